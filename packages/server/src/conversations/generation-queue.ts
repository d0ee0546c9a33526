import type {
  GenerationContext,
  QueueReservation,
  ReplyQueue,
  ReplyQueueFactory,
  StopReason,
} from './reply-queue.js';
import { RunningGeneration } from './running-generation.js';

/** Options for {@link GenerationQueue}. */
export interface GenerationQueueOptions<TJob> {
  /** Most jobs that may wait behind the running one. */
  maxQueued: number;
  run: (job: TJob, context: GenerationContext) => Promise<void>;
  /** Receives what `run` threw; the queue carries on with the next job. */
  onError: (error: unknown, job: TJob) => void;
}

/**
 * Runs a conversation's replies one at a time, in arrival order. A message that arrives during a
 * reply waits its turn instead of interleaving with it.
 */
export class GenerationQueue<TJob> implements ReplyQueue<TJob> {
  private readonly pending: TJob[] = [];
  private running: RunningGeneration | undefined;
  /** Slots promised by {@link reserve} whose job has not been added or given back yet. */
  private reserved = 0;

  constructor(private readonly options: GenerationQueueOptions<TJob>) {}

  /** Whether a reply is being generated or waiting. */
  get isBusy(): boolean {
    return this.running !== undefined || this.pending.length > 0;
  }

  /**
   * Whether another job may be added: the running job, the waiting ones and the reserved slots
   * together stay within `maxQueued` plus the one running.
   */
  get hasRoom(): boolean {
    const occupied = (this.running === undefined ? 0 : 1) + this.pending.length + this.reserved;
    return occupied < this.options.maxQueued + 1;
  }

  /**
   * Takes a slot now for a job that will be known later (after an await), so two callers
   * checking at the same time cannot both get the last slot. Fill it with the returned
   * function's `add(job)`, or give it back with `release()`; each at most once.
   */
  reserve(): Promise<QueueReservation<TJob> | undefined> {
    return Promise.resolve(this.reserveNow());
  }

  /** {@link reserve}, answered at once: nothing in this process waits for anyone. */
  reserveNow(): QueueReservation<TJob> | undefined {
    if (!this.hasRoom) return undefined;
    const first = this.running === undefined && this.pending.length === 0 && this.reserved === 0;
    this.reserved += 1;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      this.reserved -= 1;
      return true;
    };
    return {
      first,
      add: (job) => {
        if (!settle()) return;
        this.pending.push(job);
        if (this.running === undefined) this.startNext();
      },
      release: () => {
        settle();
      },
    };
  }

  /** Adds a job; false when the queue is full. */
  enqueue(job: TJob): boolean {
    const reservation = this.reserveNow();
    if (reservation === undefined) return false;
    reservation.add(job);
    return true;
  }

  /**
   * Stops the running reply (only if it is `replyId`, when given). Returns false when there
   * was nothing matching to stop.
   */
  cancel(replyId?: number): Promise<boolean> {
    return Promise.resolve(this.cancelNow(replyId));
  }

  /** {@link cancel}, answered at once. */
  cancelNow(replyId?: number): boolean {
    return this.running?.cancel(replyId) ?? false;
  }

  /** Drops waiting jobs, stops the running one with `reason` and resolves once it has settled. */
  async stopAll(reason: StopReason): Promise<void> {
    this.pending.length = 0;
    await this.running?.stop(reason);
  }

  relinquish(): Promise<void> {
    return this.stopAll('interrupted');
  }

  close(): void {
    // Nothing outside this object refers to the queue.
  }

  /** Resolves when nothing is running or waiting. */
  async drained(): Promise<void> {
    while (this.running !== undefined) await this.running.done;
  }

  private startNext(): void {
    const job = this.pending.shift();
    if (job === undefined) return;
    const running = new RunningGeneration();
    this.running = running;
    running.done = (async () => {
      try {
        await this.options.run(job, running.context);
      } catch (error) {
        this.options.onError(error, job);
      } finally {
        this.running = undefined;
        this.startNext();
      }
    })();
  }
}

/** The single node's queues: in this process, nothing shared. */
export function inMemoryQueueFactory<TJob>(): ReplyQueueFactory<TJob> {
  return (target) =>
    new GenerationQueue<TJob>({
      maxQueued: target.maxQueued,
      run: target.run,
      onError: target.onError,
    });
}
