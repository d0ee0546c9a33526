/** How reconnect delays grow. */
export interface BackoffOptions {
  /**
   * Upper bound of the first retry's delay, in milliseconds.
   * @default 500
   */
  initialDelayMs: number;
  /**
   * No delay is ever longer than this, in milliseconds.
   * @default 15000
   */
  maxDelayMs: number;
  /**
   * Each further retry multiplies the upper bound by this.
   * @default 2
   */
  multiplier: number;
}

/** What {@link backoffDelay} needs. */
export interface BackoffDelayOptions extends BackoffOptions {
  /** The retry's index: 0 for the first retry after a healthy connection. */
  attempt: number;
  /** A number in [0, 1); `Math.random` in production, fixed in tests. */
  random: () => number;
}

/**
 * The delay before retry `attempt`, with "full jitter":
 * `random() * min(maxDelayMs, initialDelayMs * multiplier ** attempt)`.
 *
 * Full jitter spreads the clients that lost the same server at the same moment across the whole
 * window instead of bunching them at fixed steps, which keeps a restarting server from being hit
 * by synchronized waves. See Marc Brooker, "Exponential Backoff And Jitter", AWS Architecture
 * Blog, 2015: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(options: BackoffDelayOptions): number {
  const { attempt, initialDelayMs, maxDelayMs, multiplier, random } = options;
  const ceiling = Math.min(maxDelayMs, initialDelayMs * multiplier ** Math.max(0, attempt));
  // A random() outside [0, 1) (a careless test double) must not produce a negative or huge delay.
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.round(fraction * ceiling);
}
