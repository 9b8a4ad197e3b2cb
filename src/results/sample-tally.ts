import type { DeliveryMethod } from '../config/runware-limits.js';
import { summarizeLatency } from './percentile.js';
import type { Counters } from './run-summary.js';
import type { SampleErrorCode, SampleRecord } from './sample-record.js';

/**
 * Running counters over sample records: what the run's totals and each group report. Keeps numbers
 * only (one latency per completed sample, one wait per trial), never texts.
 */
export class SampleTally {
  readonly trialIds = new Set<string>();
  /** Attempts beyond the first, counted once per trial. */
  retries = 0;
  samples = 0;
  passed = 0;
  failed = 0;
  errored = 0;
  costUsd = 0;
  costedSamples = 0;
  costFromPriceTable = 0;
  /** Samples whose API cost differs from the price table's by more than 1%. */
  costMismatches = 0;
  usageSamples = 0;
  readonly tokens = { prompt: 0, completion: 0, thinking: 0 };
  readonly latencies: number[] = [];
  /** Streamed samples only. */
  readonly firstTokenTimes: number[] = [];
  readonly firstTextTimes: number[] = [];
  readonly deliveryMethods = new Set<DeliveryMethod>();
  readonly queueWaits: number[] = [];
  backoffTotalMs = 0;
  backoffMaxMs = 0;
  readonly errorsByCode: Partial<Record<SampleErrorCode, number>> = {};

  add(record: SampleRecord, isCostMismatch = false): void {
    if (isCostMismatch) this.costMismatches++;
    if (!this.trialIds.has(record.trialId)) {
      this.trialIds.add(record.trialId);
      this.retries += record.attempts - 1;
      // Journals written before waits were recorded have none: they count as no wait.
      this.queueWaits.push(record.queueMs ?? 0);
      this.backoffTotalMs += record.backoffMs ?? 0;
      this.backoffMaxMs = Math.max(this.backoffMaxMs, record.backoffMs ?? 0);
    }
    this.samples++;
    // Journals written before delivery methods were recorded were all sync.
    this.deliveryMethods.add(record.deliveryMethod ?? 'sync');
    if (record.status === 'errored') {
      this.errored++;
      const code = record.error?.code ?? 'UNKNOWN_ERROR';
      this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
      return;
    }
    if (record.pass) this.passed++;
    else this.failed++;
    if (record.costUsd !== null) {
      this.costUsd += record.costUsd;
      this.costedSamples++;
      if (record.costSource === 'priceTable') this.costFromPriceTable++;
    }
    if (record.usage) {
      this.usageSamples++;
      this.tokens.prompt += record.usage.promptTokens;
      this.tokens.completion += record.usage.completionTokens;
      this.tokens.thinking += record.usage.thinkingTokens;
    }
    if (record.latencyMs !== null) this.latencies.push(record.latencyMs);
    if (typeof record.timeToFirstTokenMs === 'number') this.firstTokenTimes.push(record.timeToFirstTokenMs);
    if (typeof record.timeToFirstTextMs === 'number') this.firstTextTimes.push(record.timeToFirstTextMs);
  }

  counters(): Counters {
    const completed = this.passed + this.failed;
    const queue = summarizeLatency([...this.queueWaits]);
    return {
      trials: this.trialIds.size,
      retries: this.retries,
      samples: this.samples,
      passed: this.passed,
      failed: this.failed,
      errored: this.errored,
      passRate: completed > 0 ? this.passed / completed : null,
      costUsd: this.costUsd,
      latencyMs: summarizeLatency([...this.latencies]),
      timeToFirstTokenMs: this.firstTokenTimes.length > 0 ? summarizeLatency([...this.firstTokenTimes]) : null,
      timeToFirstTextMs: this.firstTextTimes.length > 0 ? summarizeLatency([...this.firstTextTimes]) : null,
      waits: {
        queueMs: { p50: queue.p50, p95: queue.p95, max: queue.max },
        backoffMs: { total: Math.round(this.backoffTotalMs * 10) / 10, max: this.backoffMaxMs },
      },
      tokens: { ...this.tokens },
      errorsByCode: { ...this.errorsByCode },
    };
  }
}
