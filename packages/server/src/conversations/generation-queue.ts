/** Why a generation was stopped early; becomes the reply's stored status. */
export type StopReason = 'cancelled' | 'interrupted';

/** A job's handle on its own run: the signal to honour and a way to name its reply. */
export interface GenerationContext {
  signal: AbortSignal;
  /** Called once the reply row exists, so `cancel(replyId)` can find it. */
  setReplyId(replyId: number): void;
}

/** Options for {@link GenerationQueue}. */
export interface GenerationQueueOptions<TJob> {
  /** Most jobs that may wait behind the running one. */
  maxQueued: number;
  run: (job: TJob, context: GenerationContext) => Promise<void>;
  /** Receives what `run` threw; the queue carries on with the next job. */
  onError: (error: unknown, job: TJob) => void;
}

/** A slot taken in a {@link GenerationQueue} by {@link GenerationQueue.reserve}. */
export interface QueueReservation<TJob> {
  /**
   * Whether nothing ran, waited or was reserved when this slot was taken: its job will start as
   * soon as it is added (unless the queue is stopped meanwhile).
   */
  readonly first: boolean;
  /** Adds the job into the reserved slot (in the order slots are filled, not reserved). */
  add(job: TJob): void;
  /** Gives the slot back unused. */
  release(): void;
}

interface RunningGeneration {
  controller: AbortController;
  replyId: number | undefined;
  done: Promise<void>;
}

/**
 * Runs a conversation's replies one at a time, in arrival order. A message that arrives during a
 * reply waits its turn instead of interleaving with it.
 */
export class GenerationQueue<TJob> {
  private readonly pending: TJob[] = [];
  private running: RunningGeneration | undefined;
  /** Slots promised by {@link reserve} whose job has not been added or given back yet. */
  private reserved = 0;

  constructor(private readonly options: GenerationQueueOptions<TJob>) {}

  /** Whether a reply is being generated or waiting. */
  get isBusy(): boolean {
    return this.running !== undefined || this.pending.length > 0;
  }

  /** The reply being generated, once its row exists. */
  get currentReplyId(): number | undefined {
    return this.running?.replyId;
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
  reserve(): QueueReservation<TJob> | undefined {
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
    const reservation = this.reserve();
    if (reservation === undefined) return false;
    reservation.add(job);
    return true;
  }

  /**
   * Stops the running reply (only if it is `replyId`, when given). Returns false when there
   * was nothing matching to stop.
   */
  cancel(replyId?: number): boolean {
    const running = this.running;
    if (running === undefined || running.controller.signal.aborted) return false;
    if (replyId !== undefined && running.replyId !== replyId) return false;
    running.controller.abort('cancelled' satisfies StopReason);
    return true;
  }

  /** Drops waiting jobs, stops the running one with `reason` and resolves once it has settled. */
  async stopAll(reason: StopReason): Promise<void> {
    this.pending.length = 0;
    const running = this.running;
    if (running === undefined) return;
    if (!running.controller.signal.aborted) running.controller.abort(reason);
    await running.done;
  }

  /** Resolves when nothing is running or waiting. */
  async drained(): Promise<void> {
    while (this.running !== undefined) await this.running.done;
  }

  private startNext(): void {
    const job = this.pending.shift();
    if (job === undefined) return;
    const controller = new AbortController();
    const running: RunningGeneration = { controller, replyId: undefined, done: Promise.resolve() };
    this.running = running;
    running.done = (async () => {
      try {
        await this.options.run(job, {
          signal: controller.signal,
          setReplyId: (replyId) => {
            running.replyId = replyId;
          },
        });
      } catch (error) {
        this.options.onError(error, job);
      } finally {
        this.running = undefined;
        this.startNext();
      }
    })();
  }
}
