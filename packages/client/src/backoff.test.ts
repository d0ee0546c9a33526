import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { DEFAULT_CLIENT_OPTIONS } from './client-options.js';

const options = { initialDelayMs: 500, maxDelayMs: 10_000, multiplier: 2 };

describe('backoffDelay', () => {
  it('uses the whole window: random() times the exponential ceiling', () => {
    expect(backoffDelay({ ...options, attempt: 0, random: () => 1 })).toBe(500);
    expect(backoffDelay({ ...options, attempt: 1, random: () => 1 })).toBe(1_000);
    expect(backoffDelay({ ...options, attempt: 3, random: () => 1 })).toBe(4_000);
    expect(backoffDelay({ ...options, attempt: 3, random: () => 0.5 })).toBe(2_000);
    expect(backoffDelay({ ...options, attempt: 3, random: () => 0 })).toBe(0);
  });

  it('never exceeds maxDelayMs, however many attempts', () => {
    expect(backoffDelay({ ...options, attempt: 5, random: () => 1 })).toBe(10_000);
    expect(backoffDelay({ ...options, attempt: 1_000, random: () => 1 })).toBe(10_000);
  });

  it('stays within [0, ceiling] with real randomness and a misbehaving random()', () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const ceiling = Math.min(10_000, 500 * 2 ** attempt);
      for (let sample = 0; sample < 50; sample += 1) {
        const delay = backoffDelay({ ...options, attempt, random: Math.random });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
    expect(backoffDelay({ ...options, attempt: 0, random: () => -3 })).toBe(0);
    expect(backoffDelay({ ...options, attempt: 0, random: () => 7 })).toBe(500);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_CLIENT_OPTIONS.backoff).toEqual(options);
  });
});
