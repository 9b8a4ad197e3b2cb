import { describe, expect, it } from 'vitest';
import { HISTOGRAM_RELATIVE_WIDTH, StreamingDistribution } from '../../src/stats/streaming-distribution.js';
import { nearestRankPercentile } from '../../src/results/percentile.js';

describe('StreamingDistribution', () => {
  it('computes the mean and the sample standard deviation of what it was given', () => {
    const d = new StreamingDistribution();
    for (const v of [2, 4, 4, 4, 5, 5, 7, 9]) d.add(v);
    expect(d.count).toBe(8);
    expect(d.mean).toBe(5);
    // Sum of squared deviations 32, over n − 1 = 7.
    expect(d.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('has no mean without values and no spread with one', () => {
    const d = new StreamingDistribution();
    expect(d.mean).toBeNull();
    expect(d.quantile(0.95)).toBeNull();
    d.add(3);
    expect(d.sd).toBeNull();
    expect(d.meanAndP95()).toEqual({ mean: 3, p95: 3 });
  });

  it('gives percentiles within the bucket width above the exact nearest-rank value, never below it', () => {
    const values: number[] = [];
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      values.push(Math.round((x / 2 ** 31) ** 3 * 4000));
    }
    const d = new StreamingDistribution();
    for (const v of values) d.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99, 1]) {
      const exact = nearestRankPercentile(sorted, q)!;
      const approx = d.quantile(q)!;
      expect(approx).toBeGreaterThanOrEqual(exact);
      expect(approx).toBeLessThanOrEqual(exact * (1 + HISTOGRAM_RELATIVE_WIDTH) + 1e-9);
    }
  });

  it('counts zeros (no thinking at level none) as zeros in its percentiles', () => {
    const d = new StreamingDistribution();
    for (let i = 0; i < 96; i++) d.add(0);
    for (let i = 0; i < 4; i++) d.add(500);
    expect(d.quantile(0.95)).toBe(0);
    expect(d.quantile(0.97)).toBe(500);
  });

  it('keeps moments only when asked for no percentiles, and ignores values that are not counts', () => {
    const d = new StreamingDistribution(false);
    d.add(1);
    d.add(3);
    d.add(Number.NaN);
    d.add(-1);
    expect(d.count).toBe(2);
    expect(d.mean).toBe(2);
    expect(d.quantile(0.5)).toBeNull();
  });
});
