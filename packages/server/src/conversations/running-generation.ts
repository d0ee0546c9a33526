import type { GenerationContext, StopReason } from './reply-queue.js';

/**
 * The reply a queue is generating: the signal that stops it, its reply id once stored, and when
 * it settles. Shared by every {@link ReplyQueue} implementation.
 */
export class RunningGeneration {
  private readonly controller = new AbortController();
  private replyId: number | undefined;
  /** Settles once the run ended, whichever way; set by the queue that starts the run. */
  done: Promise<void> = Promise.resolve();
  /** What the run is given. */
  readonly context: GenerationContext = {
    signal: this.controller.signal,
    setReplyId: (replyId) => {
      this.replyId = replyId;
    },
  };

  /** Cancels it (only if it is `replyId`, when given); false when it was stopped or not matched. */
  cancel(replyId?: number): boolean {
    if (this.controller.signal.aborted) return false;
    if (replyId !== undefined && this.replyId !== replyId) return false;
    this.controller.abort('cancelled' satisfies StopReason);
    return true;
  }

  /** Stops it with `reason` (unless stopped before) and resolves once it has settled. */
  async stop(reason: StopReason): Promise<void> {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    await this.done;
  }
}
