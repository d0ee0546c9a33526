/** Options for {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second: the sustained rate. */
  ratePerSecond: number;
  /** Most tokens held: the burst allowed. */
  capacity: number;
  now?: () => number;
}

/** A rate limiter that allows bursts up to `capacity` and `ratePerSecond` sustained. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = options.capacity;
    this.updatedAt = this.now();
  }

  /** Takes `amount` tokens (one by default); false, taking none, when fewer are left. */
  take(amount = 1): boolean {
    const now = this.now();
    const elapsedSeconds = (now - this.updatedAt) / 1000;
    this.updatedAt = now;
    this.tokens = Math.min(
      this.options.capacity,
      this.tokens + elapsedSeconds * this.options.ratePerSecond,
    );
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Gives back tokens taken for something that did not happen. */
  refund(amount: number): void {
    this.tokens = Math.min(this.options.capacity, this.tokens + amount);
  }
}
