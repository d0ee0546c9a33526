import type { WriteBatchExecutor, WriteOperation } from './write-batch.js';

/** Options for {@link GroupCommitter}. */
export interface GroupCommitterOptions {
  executor: WriteBatchExecutor;
  /**
   * Runs `flush` once the current event-loop turn is over; `setImmediate` by default, so every
   * write that falls due while the loop handles one round of socket reads and timers joins the
   * same batch.
   */
  schedule?: (flush: () => void) => void;
  /**
   * A batch leaves as soon as it holds this many writes, without waiting for the end of the
   * turn (when no other batch is in flight), which bounds the size of one transaction.
   * {@link DEFAULT_MAX_BATCH_WRITES} by default.
   */
  maxBatchWrites?: number;
}

/**
 * Writes per batch before it leaves without waiting for the end of the turn. A bound, not a
 * tuning knob: leaving early at 64 writes let the first of 200 simultaneous messages start
 * streaming sooner, but their replies then competed with reading the rest (bursts of 32 chunks
 * per turn), and the bench showed no gain for the first chunk's p50 (docs/BENCHMARKS.md).
 */
export const DEFAULT_MAX_BATCH_WRITES = 1_000;

interface Waiter {
  resolve(id: number | undefined): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the chat hot path: writes requested during one event-loop turn (user messages
 * of many connections, reply rows, progress and final updates, seq reservations) are handed to
 * the dialect's {@link WriteBatchExecutor} as one batch, which commits them in one transaction.
 * Each write's promise settles only after the transaction holding it committed, so a caller that
 * acknowledges after `await` acknowledges durable data, at one commit per turn instead of one
 * per statement.
 *
 * At most one batch is in flight: writes arriving while it commits wait and leave together as
 * the next batch (with a database a round trip away, batches grow with the load instead of
 * queueing one commit each). Order is kept: batches run one after another, operations in the
 * order they were requested.
 */
export class GroupCommitter {
  private operations: WriteOperation[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | undefined;
  private readonly schedule: (flush: () => void) => void;
  private readonly maxBatchWrites: number;

  constructor(private readonly options: GroupCommitterOptions) {
    this.schedule = options.schedule ?? ((flush) => setImmediate(flush));
    this.maxBatchWrites = Math.max(1, options.maxBatchWrites ?? DEFAULT_MAX_BATCH_WRITES);
  }

  /** Writes waiting for the next batch. */
  get pending(): number {
    return this.operations.length;
  }

  /**
   * Queues one write for the current turn's batch. Resolves with the new row's id of an
   * `insert-message` (undefined for a skipped duplicate and for other kinds) once committed;
   * rejects with the operation's own error, or the commit's.
   */
  write(operation: WriteOperation): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.operations.push(operation);
      this.waiters.push({ resolve, reject });
      if (this.operations.length >= this.maxBatchWrites && this.inFlight === undefined) {
        // The scheduled flush, if any, finds the batch gone (or the next one) and does no harm.
        this.flush();
      } else if (!this.scheduled && this.inFlight === undefined) {
        this.scheduled = true;
        this.schedule(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Resolves once every write requested so far has been committed (or has failed). */
  async drain(): Promise<void> {
    while (this.inFlight !== undefined || this.operations.length > 0) {
      if (this.inFlight === undefined) this.flush();
      await this.inFlight;
    }
  }

  private flush(): void {
    if (this.inFlight !== undefined || this.operations.length === 0) return;
    const operations = this.operations;
    const waiters = this.waiters;
    this.operations = [];
    this.waiters = [];
    this.inFlight = this.run(operations, waiters).finally(() => {
      this.inFlight = undefined;
      // What arrived during the commit is the next batch; it has waited long enough.
      if (this.operations.length > 0 && !this.scheduled) this.flush();
    });
  }

  private async run(operations: WriteOperation[], waiters: Waiter[]): Promise<void> {
    try {
      const results = await this.options.executor.execute(operations);
      for (let index = 0; index < waiters.length; index += 1) {
        const waiter = waiters[index];
        const result = results[index];
        if (waiter === undefined) continue;
        if (result === undefined) {
          waiter.reject(new Error('The write batch executor returned no result for a write.'));
        } else if (result.ok) waiter.resolve(result.id);
        else waiter.reject(result.error);
      }
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}
