/** Something holding writes to put on the wire at the end of the tick. */
export interface Flushable {
  flush(): void;
}

/**
 * Runs the flushes of every connection written to during one tick from a single
 * `process.nextTick` callback. Frames sent to a connection within a tick (chunks of several
 * replies, a burst of one reply, events of a group conversation) leave in one socket write,
 * instead of a system call per frame; and a tick costs one scheduled callback, not one per
 * connection.
 */
export class FlushScheduler {
  private queue: Flushable[] = [];
  private scheduled = false;
  private readonly run = (): void => this.flushAll();

  /** Flushes `target` at the end of the current tick; call once per tick per target. */
  schedule(target: Flushable): void {
    this.queue.push(target);
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(this.run);
  }

  /** Flushes everything scheduled so far, now. */
  flushAll(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (const target of queue) target.flush();
  }
}
