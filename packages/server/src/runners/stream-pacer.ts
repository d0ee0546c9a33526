import { sharedPacerClock, type PacerAlarm, type PacerClock } from './pacer-clock.js';

/**
 * Waits between the chunks of one runner's stream, abortably. Sleeps go to a {@link PacerClock}
 * shared by every stream of the process, so streams due in the same millisecond wake together. One abort listener serves the
 * whole stream: at a chunk per millisecond, adding and removing a listener on the signal for
 * every wait (as `timers/promises` does) costs more than the wait itself. The listener is added
 * at the first wait, so a stream that never waits (a one-chunk reply) never touches the signal's
 * listeners.
 */
export class StreamPacer {
  private alarm: PacerAlarm | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private resolveWait: (() => void) | undefined;
  private rejectWait: ((reason: unknown) => void) | undefined;
  private listening = false;

  constructor(
    private readonly signal: AbortSignal,
    private readonly clock: PacerClock = sharedPacerClock,
  ) {}

  /** Resolves after `milliseconds`; rejects with an `AbortError` as soon as the signal aborts. */
  sleep(milliseconds: number): Promise<void> {
    return this.wait(() => {
      this.alarm = this.clock.schedule(milliseconds, this.resume);
    });
  }

  /** Resolves once the event loop has run (sockets, timers); rejects when the signal aborts. */
  yieldToEventLoop(): Promise<void> {
    return this.wait(() => {
      this.immediate = setImmediate(this.resume);
    });
  }

  /** Stops listening to the signal; call when the stream ends. */
  dispose(): void {
    if (this.listening) this.signal.removeEventListener('abort', this.onAbort);
    this.listening = false;
    this.cancelTimers();
  }

  private wait(start: () => void): Promise<void> {
    if (this.signal.aborted) return Promise.reject(abortError(this.signal));
    if (!this.listening) {
      this.listening = true;
      this.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    return new Promise<void>((resolve, reject) => {
      this.resolveWait = resolve;
      this.rejectWait = reject;
      start();
    });
  }

  private readonly resume = (): void => {
    const resolve = this.resolveWait;
    this.alarm = undefined;
    this.immediate = undefined;
    this.resolveWait = undefined;
    this.rejectWait = undefined;
    resolve?.();
  };

  private readonly onAbort = (): void => {
    const reject = this.rejectWait;
    this.cancelTimers();
    this.resolveWait = undefined;
    this.rejectWait = undefined;
    reject?.(abortError(this.signal));
  };

  private cancelTimers(): void {
    if (this.alarm !== undefined) this.clock.cancel(this.alarm);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.alarm = undefined;
    this.immediate = undefined;
  }
}

/** The error an aborted wait rejects with, as `timers/promises` does: its cause is the reason. */
function abortError(signal: AbortSignal): Error {
  const error = new Error('The wait was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}
