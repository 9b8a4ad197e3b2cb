import type { DeliveryMethod } from '../core/runware-limits.js';
import { LatencySketch } from './latency-sketch.js';
import { StreamingDistribution } from '../stats/streaming-distribution.js';
import type { JudgeCounters } from './group-summary.js';
import type { Counters } from './group-summary.js';
import type { SampleErrorCode, SampleRecord } from '../core/sample-record.js';

/**
 * Running counters over sample records: what the run's totals and each group report. Its memory does
 * not grow with the samples: counters, and durations in {@link LatencySketch}es (exact for a small
 * run, binned past a few thousand). Every record must come once (journals are deduplicated), and a
 * trial counts on its first sample (`sampleIndex` 0), which every trial writes.
 */
export class SampleTally {
  trials = 0;
  /** Attempts beyond the first, counted once per trial. */
  retries = 0;
  samples = 0;
  passed = 0;
  failed = 0;
  errored = 0;
  costUsd = 0;
  costedSamples = 0;
  /** A costed sample's cost: running moments only (Welford), for the interval of the mean. */
  private readonly costs = new StreamingDistribution(false);
  costFromPriceTable = 0;
  /** Samples whose API cost differs from the price table's by more than 1%. */
  costMismatches = 0;
  usageSamples = 0;
  readonly tokens = { prompt: 0, completion: 0, thinking: 0 };
  /** Completed samples only. */
  readonly latencies = new LatencySketch();
  /** Streamed samples only. */
  readonly firstTokenTimes = new LatencySketch();
  readonly firstTextTimes = new LatencySketch();
  readonly deliveryMethods = new Set<DeliveryMethod>();
  /** One per trial. */
  readonly queueWaits = new LatencySketch();
  backoffTotalMs = 0;
  backoffMaxMs = 0;
  readonly errorsByCode: Partial<Record<SampleErrorCode, number>> = {};
  /** Judge spend, apart from the candidate's `costUsd`. */
  judgeCostUsd = 0;
  readonly judge: JudgeCounters = { calls: 0, cachedCalls: 0, tokens: { prompt: 0, completion: 0, thinking: 0 }, unsureSamples: 0 };

  add(record: SampleRecord, isCostMismatch = false): void {
    if (isCostMismatch) this.costMismatches++;
    if (record.sampleIndex === 0) {
      this.trials++;
      this.retries += record.attempts - 1;
      // Journals written before waits were recorded are normalised to no wait when read (readJournal).
      this.queueWaits.add(record.queueMs);
      this.backoffTotalMs += record.backoffMs;
      this.backoffMaxMs = Math.max(this.backoffMaxMs, record.backoffMs);
    }
    this.samples++;
    if (record.judge) {
      // Grading is counted apart, whatever became of the sample: the calls were made.
      this.judge.calls += record.judge.calls;
      this.judge.cachedCalls += record.judge.cachedCalls;
      this.judgeCostUsd += record.judge.costUsd;
      this.judge.tokens.prompt += record.judge.tokens.prompt;
      this.judge.tokens.completion += record.judge.tokens.completion;
      this.judge.tokens.thinking += record.judge.tokens.thinking;
      if (record.judge.isUnsure) this.judge.unsureSamples++;
    }
    this.deliveryMethods.add(record.deliveryMethod);
    if (record.status === 'errored') {
      this.errored++;
      const code = record.error?.code ?? 'UNKNOWN_ERROR';
      this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
      // An answer whose check errored (a script threw, a judge gave no verdict) was still paid for.
      if (record.costUsd !== null) this.costUsd += record.costUsd;
      return;
    }
    if (record.pass) this.passed++;
    else this.failed++;
    if (record.costUsd !== null) {
      this.costUsd += record.costUsd;
      this.costedSamples++;
      this.costs.add(record.costUsd);
      if (record.costSource === 'priceTable') this.costFromPriceTable++;
    }
    if (record.usage) {
      this.usageSamples++;
      this.tokens.prompt += record.usage.promptTokens;
      this.tokens.completion += record.usage.completionTokens;
      this.tokens.thinking += record.usage.thinkingTokens;
    }
    if (record.latencyMs !== null) this.latencies.add(record.latencyMs);
    if (typeof record.timeToFirstTokenMs === 'number') this.firstTokenTimes.add(record.timeToFirstTokenMs);
    if (typeof record.timeToFirstTextMs === 'number') this.firstTextTimes.add(record.timeToFirstTextMs);
  }

  /**
   * 95% CLT interval of the mean cost of a sample, mean ± 1.96·s/√n (floored at 0); null with fewer
   * than two costed samples.
   */
  costPerSampleCi95(): [number, number] | null {
    return this.costs.meanCi95();
  }

  counters(): Counters {
    const completed = this.passed + this.failed;
    const queue = this.queueWaits.summary();
    return {
      trials: this.trials,
      retries: this.retries,
      samples: this.samples,
      passed: this.passed,
      failed: this.failed,
      errored: this.errored,
      passRate: completed > 0 ? this.passed / completed : null,
      costUsd: this.costUsd,
      latencyMs: this.latencies.summary(),
      timeToFirstTokenMs: this.firstTokenTimes.count > 0 ? this.firstTokenTimes.summary() : null,
      timeToFirstTextMs: this.firstTextTimes.count > 0 ? this.firstTextTimes.summary() : null,
      waits: {
        queueMs: { p50: queue.p50, p95: queue.p95, max: queue.max },
        backoffMs: { total: Math.round(this.backoffTotalMs * 10) / 10, max: this.backoffMaxMs },
      },
      tokens: { ...this.tokens },
      errorsByCode: { ...this.errorsByCode },
      ...(this.judge.calls > 0 ? { judgeCostUsd: this.judgeCostUsd, judge: { ...this.judge, tokens: { ...this.judge.tokens } } } : {}),
    };
  }
}
