import { Z_95 } from './wilson-interval.js';

/** Relative width of a histogram bucket: a percentile is known to within this share of its value. */
export const HISTOGRAM_RELATIVE_WIDTH = 0.005;

const LOG_BASE = Math.log1p(HISTOGRAM_RELATIVE_WIDTH);

/** Mean and 95th percentile of a set of values; what reports show of a distribution. */
export interface MeanAndP95 {
  mean: number;
  p95: number;
}

/**
 * Count, mean, standard deviation and (optionally) percentiles of a stream of non-negative values,
 * in memory that does not grow with the count: Welford's running moments, and a histogram whose
 * buckets are {@link HISTOGRAM_RELATIVE_WIDTH} wide on a log scale. History files can hold millions
 * of samples; this keeps a few hundred numbers per distribution.
 */
export class StreamingDistribution {
  private n = 0;
  private runningMean = 0;
  private m2 = 0;
  private largest = 0;
  private zeros = 0;
  private readonly buckets: Map<number, number> | undefined;

  /** @param withPercentiles keep the histogram that {@link quantile} needs. @default true */
  constructor(withPercentiles = true) {
    this.buckets = withPercentiles ? new Map() : undefined;
  }

  add(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.n++;
    const delta = value - this.runningMean;
    this.runningMean += delta / this.n;
    this.m2 += delta * (value - this.runningMean);
    this.largest = Math.max(this.largest, value);
    if (!this.buckets) return;
    if (value === 0) {
      this.zeros++;
      return;
    }
    const index = Math.floor(Math.log(value) / LOG_BASE);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
  }

  get count(): number {
    return this.n;
  }

  /** The mean, or null with no values. */
  get mean(): number | null {
    return this.n > 0 ? this.runningMean : null;
  }

  /** The sample standard deviation (n − 1), or null with fewer than two values. */
  get sd(): number | null {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : null;
  }

  /** 95% CLT interval of the mean, mean ± 1.96·sd/√n (floored at 0); null with fewer than two values. */
  meanCi95(): [number, number] | null {
    const sd = this.sd;
    if (sd === null) return null;
    const half = (Z_95 * sd) / Math.sqrt(this.n);
    return [Math.max(0, this.runningMean - half), this.runningMean + half];
  }

  /**
   * The q-quantile by nearest rank over the histogram: the upper edge of the bucket that holds the
   * value of rank ⌈q·n⌉, never above the largest value seen, so it is at most
   * {@link HISTOGRAM_RELATIVE_WIDTH} above the exact nearest-rank value. Null with no values, or
   * when the distribution keeps no histogram.
   */
  quantile(q: number): number | null {
    if (this.n === 0 || !this.buckets) return null;
    const rank = Math.max(1, Math.ceil(q * this.n));
    if (rank <= this.zeros) return 0;
    let seen = this.zeros;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index)!;
      if (seen >= rank) return Math.min(this.largest, Math.exp((index + 1) * LOG_BASE));
    }
    return this.largest;
  }

  /** Mean and p95, or null with no values. */
  meanAndP95(): MeanAndP95 | null {
    const mean = this.mean;
    const p95 = this.quantile(0.95);
    return mean === null || p95 === null ? null : { mean, p95 };
  }
}
