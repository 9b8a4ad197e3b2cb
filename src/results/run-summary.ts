import type { RetryPolicy } from '../config/config-schema.js';
import type { GateOn } from '../config/gate-on.js';
import type { JudgeCalibration } from './judge-calibration.js';
import type { CostEstimate } from '../cost/cost-estimate.js';
import type { TrafficProjection } from '../cost/project-traffic.js';
import type { DeliveryMethod, ThinkingLevel } from '../core/runware-limits.js';
import type { Comparison } from './compare-runs.js';
import type { LatencyHistogram } from './latency-histogram.js';
import type { SuiteRecommendation } from './recommend-settings.js';
import type { LatencySummary } from './percentile.js';
import type { AssertionOutcome, SampleErrorCode } from '../core/sample-record.js';

/** Version of summary.json's shape; bumped on any incompatible change (schemas/summary.schema.json). */
export const SUMMARY_SCHEMA_VERSION = 1;

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

/** Why the gate failed, one reason per problem. */
export interface GateReason {
  code: 'BELOW_THRESHOLD' | 'NO_COMPLETED_SAMPLES' | 'TOO_MANY_ERRORS' | 'INTERRUPTED' | 'BUDGET_EXHAUSTED' | 'BUDGET_EXCEEDED' | 'ACCESS_REFUSED' | 'REGRESSION' | 'COST_REGRESSION' | 'LATENCY_REGRESSION' | 'CASE_REGRESSION' | 'UNDERPOWERED' | 'NOTHING_GATED';
  message: string;
  suite?: string;
  model?: string;
  thinkingLevel?: ThinkingLevel;
  numberResults?: number;
}

export interface GateResult {
  passed: boolean;
  /** The exit code the run ends with. */
  exitCode: 0 | 1 | 3 | 130;
  reasons: GateReason[];
  /**
   * Said, never failed: cases that flipped, rises that were not tested or not significant, settings
   * too few to see the drop that matters. Absent from summaries written before notices existed.
   */
  notices?: GateReason[];
}

/** The configuration a run used, secrets removed: enough to know what was asked. */
export interface RunConfigRecord {
  provider: string;
  concurrency: number;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  maxErrorRate: number;
  suites: { name: string; file: string; threshold: number; gateOn?: GateOn | null }[];
  filter: string[];
  thinkingLevels: string[] | null;
  numberResults: number[] | null;
  apiUrl: string | null;
  /**
   * Suites the built-in simulator answered with placeholders, because no scenario matches one of their
   * cases: their pass rates say nothing about the prompt. Absent for other providers.
   */
  placeholderSuites?: string[];
}

/** summary.json. */
export interface RunSummary {
  schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  runId: string;
  provider: string;
  /** True when the answers came from the built-in simulator, not a model (directly, or replayed from its recording). */
  simulated: boolean;
  startedAt: string;
  finishedAt: string;
  /** The run stopped before every planned trial was sent. */
  interrupted: boolean;
  plannedTrials: number;
  /**
   * Trials not sent, and why: the budget (`--max-cost`) would have been passed, or (`cause: refused`)
   * the API refused the key or the account, so every other request would fail alike. A later
   * `--resume` can send them. `cause` is absent on runs from before it was recorded: budget.
   */
  skipped: { trials: number; samples: number; reason: string; trialIds: string[]; cause?: 'budget' | 'refused' } | null;
  /** What the plan was expected to cost before it ran (`evalgate estimate`'s figures), beside `totals.costUsd`; null when not estimated. */
  estimate: CostEstimate | null;
  /** This run's cost per request projected to production traffic (`--traffic`); null without it. */
  projection: TrafficProjection | null;
  config: RunConfigRecord;
  totals: Counters;
  groups: GroupSummary[];
  cases: CaseSummary[];
  /** Per suite: the cheapest setting that meets the threshold with 95% confidence, and the Pareto front. */
  recommendations: SuiteRecommendation[];
  /** The comparison with `--baseline`, when one was given. */
  baseline: Comparison | null;
  gate: GateResult;
  /**
   * The calibrations (`evalgate calibrate`) of the judge rubrics this run used, when there are any:
   * how far its judges' verdicts can be trusted. Absent without one.
   */
  judgeCalibrations?: RecordedCalibration[];
}

/** A calibration as a run records it: the figures, without the lists of misses. */
export type RecordedCalibration = Omit<JudgeCalibration, 'falsePasses' | 'falseFails'> & { falsePasses: number; falseFails: number };
