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

  constructor(private readonly options: GenerationQueueOptions<TJob>) {}

  /** Whether a reply is being generated or waiting. */
  get isBusy(): boolean {
    return this.running !== undefined || this.pending.length > 0;
  }

  /** The reply being generated, once its row exists. */
  get currentReplyId(): number | undefined {
    return this.running?.replyId;
  }

  /** Whether another job may be added. */
  get hasRoom(): boolean {
    return this.running === undefined || this.pending.length < this.options.maxQueued;
  }

  /** Adds a job; false when the queue is full. */
  enqueue(job: TJob): boolean {
    if (!this.hasRoom) return false;
    this.pending.push(job);
    if (this.running === undefined) this.startNext();
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
