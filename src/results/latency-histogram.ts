/** Counts of latencies per bin; bin i holds values in [edgesMs[i], edgesMs[i+1]), the last bin includes its top edge. */
export interface LatencyHistogram {
  edgesMs: number[];
  counts: number[];
}

/**
 * `bins` log-spaced bin edges covering [min, max] (latencies spread over orders of magnitude: a
 * no-thinking answer in 300 ms, an xhigh one in a minute). Rounded to 0.1 ms; a single value gets
 * one bin around it.
 */
export function logSpacedEdges(minMs: number, maxMs: number, bins = 24): number[] {
  const lo = Math.max(0.1, minMs);
  const hi = Math.max(lo * 1.001, maxMs);
  const ratio = (hi / lo) ** (1 / bins);
  const edges = Array.from({ length: bins + 1 }, (_, i) => Math.round(lo * ratio ** i * 10) / 10);
  edges[0] = Math.min(edges[0]!, minMs);
  edges[bins] = Math.max(edges[bins]!, maxMs);
  return edges;
}

/** Adds `weight` to the bin of `edgesMs` that holds `value` (the nearest end bin when outside); nothing without bins. */
export function countIntoBins(counts: number[], edgesMs: readonly number[], value: number, weight: number): void {
  if (counts.length === 0) return;
  let lo = 0;
  let hi = counts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edgesMs[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  counts[lo]! += weight;
}
