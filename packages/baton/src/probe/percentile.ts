/** Nearest-rank percentile (q in 0..1) of already sorted values; null for no values. */
export function percentileOfSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round(sorted[rank] ?? 0);
}

/** Percentile of unsorted values (copies, then sorts). */
export function percentile(values: readonly number[], q: number): number | null {
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

/** Latencies are reported to 0.01 ms: finer digits would be noise in a JSON record. */
export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
