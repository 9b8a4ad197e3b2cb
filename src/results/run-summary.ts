import type { RetryPolicy } from '../config/config-schema.js';
import type { GateOn } from '../config/gate-on.js';
import type { JudgeCalibration } from './judge-calibration.js';
import type { CostEstimate } from '../cost/cost-estimate.js';
import type { TrafficProjection } from '../cost/project-traffic.js';
import type { ThinkingLevel } from '../core/runware-limits.js';
import type { Comparison } from './compare-runs.js';
import type { Counters, RunFigures } from './group-summary.js';
import type { SuiteRecommendation } from './recommend-settings.js';
import type { SequentialSummary } from './sequential-summary.js';

/** Version of summary.json's shape; bumped on any incompatible change (schemas/summary.schema.json). */
export const SUMMARY_SCHEMA_VERSION = 1;

/** Why the gate failed, one reason per problem. */
export interface GateReason {
  code: 'UNDECIDED' | 'FIXED_TEST_AFTER_STOP' | 'BELOW_THRESHOLD' | 'NO_COMPLETED_SAMPLES' | 'TOO_MANY_ERRORS' | 'INTERRUPTED' | 'BUDGET_EXHAUSTED' | 'BUDGET_EXCEEDED' | 'ACCESS_REFUSED' | 'REGRESSION' | 'COST_REGRESSION' | 'LATENCY_REGRESSION' | 'CASE_REGRESSION' | 'UNDERPOWERED' | 'NOTHING_GATED';
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
  /** `untilDecided`: the suite sampled until decided (absent: a fixed plan). */
  suites: { name: string; file: string; threshold: number; gateOn?: GateOn | null; untilDecided?: boolean }[];
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
export interface RunSummary extends RunFigures {
  schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
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
  /** Per suite: the cheapest setting that meets the threshold with 95% confidence, and the Pareto front. */
  recommendations: SuiteRecommendation[];
  /** The comparison with `--baseline`, when one was given. */
  baseline: Comparison | null;
  /**
   * With `--until-decided`: per setting, when and why sampling stopped, and what it saved against the
   * fixed plan. Absent from a run with a fixed plan (and from summaries written before it existed).
   */
  sequential?: SequentialSummary;
  gate: GateResult;
  /**
   * The calibrations (`evalgate calibrate`) of the judge rubrics this run used, when there are any:
   * how far its judges' verdicts can be trusted. Absent without one.
   */
  judgeCalibrations?: RecordedCalibration[];
}

/** A calibration as a run records it: the figures, without the lists of misses. */
export type RecordedCalibration = Omit<JudgeCalibration, 'falsePasses' | 'falseFails'> & { falsePasses: number; falseFails: number };
