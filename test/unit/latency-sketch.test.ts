import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../../src/stats/seeded-random.js';
import { logSpacedEdges } from '../../src/results/latency-histogram.js';
import { EXACT_VALUES_CAP, LatencySketch } from '../../src/results/latency-sketch.js';
import { summarizeLatency } from '../../src/results/percentile.js';


/** `n` log-normal latencies around a median of 800 ms (σ 1: from tens of ms to tens of seconds), rounded to 0.1 ms. */
function logNormalLatencies(n: number, seed = 7): number[] {
  const u = random(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(u() + Number.EPSILON)) * Math.cos(2 * Math.PI * u());
    return Math.round(800 * Math.exp(z) * 10) / 10;
  });
}

function sketchOf(values: readonly number[]): LatencySketch {
  const sketch = new LatencySketch();
  for (const v of values) sketch.add(v);
  return sketch;
}

describe('LatencySketch', () => {
  it('gives exact nearest-rank percentiles up to the cap', () => {
    const values = logNormalLatencies(EXACT_VALUES_CAP);
    const sketch = sketchOf(values);
    expect(sketch.isExact).toBe(true);
    expect(sketch.summary()).toEqual(summarizeLatency([...values]));
    expect(sketchOf([10, 20, 30, 40]).summary()).toEqual({ p50: 20, p90: 40, p95: 40, p99: 40, max: 40 });
  });

  it('has nulls and no count when empty', () => {
    const sketch = new LatencySketch();
    expect(sketch.summary()).toEqual({ p50: null, p90: null, p95: null, p99: null, max: null });
    expect(sketch.count).toBe(0);
  });

  it('past the cap, keeps p50/p95/p99 within 0.5% of the exact values on 100k log-normal latencies, max and count exact', () => {
    const values = logNormalLatencies(100_000);
    const sketch = sketchOf(values);
    expect(sketch.isExact).toBe(false);
    const exact = summarizeLatency([...values]);
    const binned = sketch.summary();
    for (const q of ['p50', 'p90', 'p95', 'p99'] as const) {
      expect(Math.abs(binned[q]! - exact[q]!) / exact[q]!).toBeLessThanOrEqual(0.005);
    }
    expect(binned.max).toBe(exact.max);
    expect(sketch.count).toBe(100_000);
    expect(sketch.minMs).toBe(Math.min(...values.slice(0, 50_000), ...values.slice(50_000)));
  });

  it('holds a fixed number of numbers past the cap, however many values come', () => {
    const sketch = new LatencySketch();
    const values = logNormalLatencies(200_000);
    values.slice(0, EXACT_VALUES_CAP + 1).forEach((v) => sketch.add(v));
    const atSwitch = sketch.storedNumbers;
    expect(atSwitch).toBeLessThan(EXACT_VALUES_CAP);
    values.slice(EXACT_VALUES_CAP + 1).forEach((v) => sketch.add(v));
    expect(sketch.storedNumbers).toBe(atSwitch);
  });

  it('gives the same figures whatever order the values came in', () => {
    const values = logNormalLatencies(20_000);
    expect(sketchOf([...values].reverse()).summary()).toEqual(sketchOf(values).summary());
  });

  it('reads waits of zero as zero past the cap (values under 0.1 ms read as the minimum)', () => {
    const waits = [...new Array<number>(9000).fill(0), ...new Array<number>(1000).fill(250)];
    expect(sketchOf(waits).summary()).toMatchObject({ p50: 0, p90: 0, max: 250 });
    expect(sketchOf(waits).summary().p95).toBeCloseTo(250, 0);
  });

  it('counts into histogram bins: exactly below the cap, at the bin middles past it', () => {
    const small = sketchOf([5, 50, 500, 5000]);
    expect(small.histogram([1, 10, 100, 1000, 10_000]).counts).toEqual([1, 1, 1, 1]);
    const values = logNormalLatencies(50_000);
    const sketch = sketchOf(values);
    const edges = logSpacedEdges(sketch.minMs, sketch.maxMs);
    const { counts } = sketch.histogram(edges);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    // Only values within 0.5% of an edge can land in the next bin.
    const exact = exactHistogram(values, edges);
    const moved = counts.reduce((sum, c, i) => sum + Math.abs(c - exact[i]!), 0);
    expect(moved / values.length).toBeLessThan(0.02);
  });
});

function exactHistogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    let i = edges.findIndex((e, j) => j > 0 && v < e) - 1;
    if (i < 0) i = v < edges[0]! ? 0 : counts.length - 1;
    counts[i]!++;
  }
  return counts;
}
