import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then refills at its rate on the clock', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 4, now: () => now });
    const burst = Array.from({ length: 10 }, () => bucket.take());
    expect(burst.filter(Boolean)).toHaveLength(4);

    now += 499;
    expect(bucket.take()).toBe(false);
    now += 1;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);

    // A long pause refills only up to the capacity.
    now += 60_000;
    expect(Array.from({ length: 10 }, () => bucket.take()).filter(Boolean)).toHaveLength(4);
  });
});
