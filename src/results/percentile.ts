/**
 * Percentile by nearest rank on exact values: the smallest value with at least q·n values at or below
 * it. `sorted` must be ascending. Undefined for no values.
 */
export function nearestRankPercentile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Latency figures of a set of requests, in ms; nulls when there were none. */
export interface LatencySummary {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** p50/p90/p95/p99/max by nearest rank. Sorts `values` in place. */
export function summarizeLatency(values: number[]): LatencySummary {
  values.sort((a, b) => a - b);
  const at = (q: number) => nearestRankPercentile(values, q) ?? null;
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: values.length ? values[values.length - 1]! : null };
}
