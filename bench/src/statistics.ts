/** p50, p99 and max of a set of samples, plus how many there were. */
export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile (`fraction` 0.5 for p50, 0.99 for p99) of samples already sorted
 * ascending. Nearest-rank always returns a value that was measured, never an interpolation.
 */
export function percentileOfSorted(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  const index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[index] ?? Number.NaN;
}

/** Summarizes samples in any order; every field is NaN when there are none. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((left, right) => left - right);
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 0.5),
    p99: percentileOfSorted(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** `numerator / denominator`, or NaN when the denominator is zero (nothing to divide by). */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}
