import { countIntoBins, type LatencyHistogram } from './latency-histogram.js';
import { summarizeLatency, type LatencySummary } from './percentile.js';

/** Values kept exactly before a sketch switches to bins. */
export const EXACT_VALUES_CAP = 4096;
/** Each bin's top edge over its bottom one: a bin's middle is within 0.5% of any value in it. */
const BIN_RATIO = 1.01;
const LOWEST_MS = 0.1;
const HIGHEST_MS = 1e7;
const LOG_RATIO = Math.log(BIN_RATIO);
/** Bin 0 holds values below LOWEST_MS, the last one values from HIGHEST_MS up; log-spaced bins between. */
const BIN_COUNT = Math.ceil(Math.log(HIGHEST_MS / LOWEST_MS) / LOG_RATIO) + 2;

/**
 * Durations in ms whose percentiles a summary reports, in bounded memory. The first
 * {@link EXACT_VALUES_CAP} values are kept as they are, so a small run's percentiles are exact; past
 * that they move into fixed log-spaced bins (ratio 1.01 from 0.1 ms to 10⁷ ms, about 7 KB), where a
 * percentile is the middle of the bin the nearest-rank value falls in: within 0.5% of it (values
 * under 0.1 ms read as the minimum, over 10⁷ ms as the maximum). The count, minimum and maximum
 * stay exact. The result does not depend on the order values came in.
 */
export class LatencySketch {
  private exact: number[] | null = [];
  private bins: Uint32Array | null = null;
  /** How many values were added. */
  count = 0;
  /** Smallest value added; Infinity before any. */
  minMs = Infinity;
  /** Largest value added; -Infinity before any. */
  maxMs = -Infinity;

  add(ms: number): void {
    this.count++;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
    if (this.exact) {
      this.exact.push(ms);
      if (this.exact.length > EXACT_VALUES_CAP) this.switchToBins();
      return;
    }
    this.bins![binOf(ms)]!++;
  }

  /** Whether percentiles are still exact. */
  get isExact(): boolean {
    return this.exact !== null;
  }

  /** Numbers held: the exact values, or the bins once past the cap. Never more than the larger of the two. */
  get storedNumbers(): number {
    return this.exact ? this.exact.length : this.bins!.length;
  }

  /** p50/p90/p95/p99 by nearest rank and the exact max; nulls when empty. */
  summary(): LatencySummary {
    if (this.exact) return summarizeLatency([...this.exact]);
    const at = (q: number) => this.binnedPercentile(q);
    return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: this.maxMs };
  }

  /** Counts the values into the bins of `edgesMs` (binned values count at their bin's middle). */
  histogram(edgesMs: readonly number[]): LatencyHistogram {
    const counts = new Array<number>(Math.max(0, edgesMs.length - 1)).fill(0);
    if (this.exact) for (const ms of this.exact) countIntoBins(counts, edgesMs, ms, 1);
    else this.bins!.forEach((n, i) => n > 0 && countIntoBins(counts, edgesMs, this.valueOfBin(i), n));
    return { edgesMs: [...edgesMs], counts };
  }

  private switchToBins(): void {
    this.bins = new Uint32Array(BIN_COUNT);
    for (const ms of this.exact!) this.bins[binOf(ms)]!++;
    this.exact = null;
  }

  private binnedPercentile(q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BIN_COUNT; i++) {
      seen += this.bins![i]!;
      if (seen >= rank) return this.valueOfBin(i);
    }
    return this.maxMs;
  }

  /** A bin's geometric middle, kept within the exact min and max; the end bins read as min and max. */
  private valueOfBin(i: number): number {
    if (i === 0) return this.minMs;
    if (i === BIN_COUNT - 1) return this.maxMs;
    const middle = LOWEST_MS * BIN_RATIO ** (i - 1) * Math.sqrt(BIN_RATIO);
    return Math.min(this.maxMs, Math.max(this.minMs, middle));
  }
}

function binOf(ms: number): number {
  if (!(ms >= LOWEST_MS)) return 0;
  if (ms >= HIGHEST_MS) return BIN_COUNT - 1;
  return Math.min(BIN_COUNT - 2, 1 + Math.floor(Math.log(ms / LOWEST_MS) / LOG_RATIO));
}
