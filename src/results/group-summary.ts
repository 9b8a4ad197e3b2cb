import type { AssertionOutcome, SampleErrorCode } from '../core/sample-record.js';
import type { DeliveryMethod, ThinkingLevel } from '../core/runware-limits.js';
import type { LatencyHistogram } from './latency-histogram.js';
import type { LatencySummary } from './percentile.js';

/** Tokens summed over completed samples. */
export interface TokenTotals {
  prompt: number;
  completion: number;
  thinking: number;
}

/** Counters shared by the run's totals and each group. */
export interface Counters {
  /** Trials (requests, each returning numberResults samples). */
  trials: number;
  /** Attempts beyond the first, over all trials. */
  retries: number;
  samples: number;
  passed: number;
  failed: number;
  /** Samples with no answer; never counted as passed or failed. */
  errored: number;
  /** passed / (passed + failed); null when nothing completed. */
  passRate: number | null;
  costUsd: number;
  latencyMs: LatencySummary;
  /** Streamed samples: time from sending to the first token (reasoning or text); null when none streamed. */
  timeToFirstTokenMs: LatencySummary | null;
  /** Streamed samples: time from sending to the first visible text, after reasoning; null when none streamed. */
  timeToFirstTextMs: LatencySummary | null;
  /** Time spent waiting, reported apart from latency: for a free slot in the queue, and between attempts. */
  waits: { queueMs: { p50: number | null; p95: number | null; max: number | null }; backoffMs: { total: number; max: number } };
  tokens: TokenTotals;
  /** Errored samples by error code. */
  errorsByCode: Partial<Record<SampleErrorCode, number>>;
  /**
   * What grading cost, apart from `costUsd` (the candidate's): present when a judge graded a sample.
   * `costUsd` + `judgeCostUsd` is what the run spent.
   */
  judgeCostUsd?: number;
  /** Judge calls, cache hits and samples whose verdicts split; present with `judgeCostUsd`. */
  judge?: JudgeCounters;
}

/** Judge calls behind a set of samples. */
export interface JudgeCounters {
  calls: number;
  /** Calls answered from the verdict cache (not paid for again). */
  cachedCalls: number;
  tokens: TokenTotals;
  /** Samples whose judge verdicts split ("judge unsure"). */
  unsureSamples: number;
}

/** One suite × model × thinkingLevel × numberResults. */
export interface GroupSummary extends Counters {
  suite: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  /** How its samples came back (one method, unless evalgate chose async for some of its cases). */
  deliveryMethods: DeliveryMethod[];
  /** Tasks sent per trial: numberResults for a streamed group (Runware streams one result per task), else 1. */
  tasksPerTrial: number;
  /** The minimum pass rate this group must reach, when gated. */
  threshold: number;
  /**
   * The gate judges this setting (it matches its suite's `gateOn`, or the suite has none): its
   * threshold and its regressions can fail the run. Other settings are measured, compared and
   * recommended, never failed. Summaries written before `gateOn` read as gated.
   */
  gated: boolean;
  /**
   * 95% Wilson interval of the pass rate, on the effective sample size (samples of one case are
   * correlated; see docs/statistics.md). Null when nothing completed.
   */
  passRateCi95: [number, number] | null;
  /** Completed samples divided by the design effect 1 + (K̄ − 1)·ICC. */
  effectiveSamples: number;
  /** Intra-case correlation of pass/fail, clamped to [0, 1]. */
  icc: number;
  /** Mean cost of a completed sample; null when no sample had a cost. */
  costPerSampleUsd: number | null;
  /**
   * 95% CLT interval of the cost per sample (mean ± 1.96·s/√n over costed samples); null with fewer
   * than two. Absent from summaries written before it was recorded.
   */
  costPerSampleCi95?: [number, number] | null;
  /** Cost of 1,000 requests (trials) at this setting. */
  costPer1kRequestsUsd: number | null;
  /** Samples whose cost came from the price table because the API sent none. */
  costFromPriceTable: number;
  /** Samples whose API cost differs from the price table's by more than 1% (the API's figure is used; the table may be out of date). */
  costMismatchSamples: number;
  meanThinkingTokens: number | null;
  cases: number;
  flakyCases: number;
  failingCases: number;
  /** Mean over cases of pass@k, for k = 1 … the fewest completed samples any case has (at most 16). */
  passAtK: number[];
  /** Mean over cases of pass^k (all k pass), same ks. */
  passHatK: number[];
  /** Completed samples' latencies in log-spaced bins shared by every group of the run. */
  latencyHistogram: LatencyHistogram;
}

/** One case at one setting. */
export interface CaseSummary {
  suite: string;
  case: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  samples: number;
  passed: number;
  failed: number;
  errored: number;
  passRate: number | null;
  /** Mean cost of its completed samples that have one; null when none has. Absent from summaries written before it was recorded. */
  costPerSampleUsd?: number | null;
  /** Geometric mean latency of its completed samples, in ms; null when none has one. Absent from summaries written before it was recorded. */
  latencyGeoMeanMs?: number | null;
  /** Its completed samples disagree: some passed, some failed. */
  flaky: boolean;
  /** Samples whose judge verdicts split ("judge unsure"); present when any did. */
  judgeUnsure?: number | undefined;
  /** pass@k for k = 1 … completed samples (at most 16): the chance that one of k samples passes. */
  passAtK: number[];
  /** pass^k: the chance that all of k samples pass. */
  passHatK: number[];
  /** The first failed assertion of its first failed sample. */
  firstFailure: AssertionOutcome | null;
}

/** The figures of a run that comparisons and advice read: its groups and cases (summary.json's, and a merge's). */
export interface RunFigures {
  runId: string;
  groups: GroupSummary[];
  cases: CaseSummary[];
}
