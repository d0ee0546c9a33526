/** What {@link Heartbeat} needs. */
export interface HeartbeatOptions {
  /** How long after a ping some frame must arrive. */
  timeoutMs: number;
  /** Sends a `ping`; false when there was no open socket to send it on. */
  sendPing: () => boolean;
  /** Called once when a ping went unanswered for `timeoutMs`; the heartbeat is stopped by then. */
  onTimeout: () => void;
}

/**
 * Application-level keep-alive for the current connection. Browsers answer the server's
 * WebSocket pings but never show them to the page, so a page whose network died without the
 * operating system noticing only finds out by pinging itself and hearing nothing back.
 */
export class Heartbeat {
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: HeartbeatOptions) {}

  /** Starts pinging every `intervalMs` (after the connection was accepted). */
  start(intervalMs: number): void {
    this.stop();
    this.pingTimer = setInterval(() => {
      if (!this.options.sendPing()) return;
      // An unanswered earlier ping keeps its deadline: a later ping must not extend it.
      this.deadline ??= setTimeout(() => {
        this.stop();
        this.options.onTimeout();
      }, this.options.timeoutMs);
    }, intervalMs);
  }

  /** A frame arrived: any frame, not only the pong, proves the connection alive. */
  alive(): void {
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /** Stops pinging and waiting (the connection ended). */
  stop(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.alive();
  }
}
