import { describe, expect, it } from 'vitest';
import { percentileOfSorted, ratio, summarize } from './statistics.js';

describe('percentileOfSorted', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_unused, index) => index + 1);
    expect(percentileOfSorted(samples, 0.5)).toBe(50);
    expect(percentileOfSorted(samples, 0.99)).toBe(99);
    expect(percentileOfSorted(samples, 1)).toBe(100);
  });

  it('handles one sample and none', () => {
    expect(percentileOfSorted([7], 0.99)).toBe(7);
    expect(percentileOfSorted([], 0.5)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts before taking percentiles', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p99: 5, max: 5 });
  });

  it('gives NaN for no samples', () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    expect(summary.max).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides, and refuses zero', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNaN();
  });
});
