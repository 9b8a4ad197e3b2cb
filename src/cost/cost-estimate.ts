import type { JudgeEstimate } from './estimate-judge-calls.js';
import type { ThinkingLevel } from '../core/runware-limits.js';
import type { MeanAndP95 } from '../stats/streaming-distribution.js';
import type { HistoryScope } from './usage-history.js';
import type { TokenizerName } from './prompt-token-counter.js';
import type { TrafficProjection } from './project-traffic.js';
import type { SequentialEstimate } from './sequential-estimate.js';

/**
 * Where an estimate's output and thinking tokens come from: `history`, learned from earlier runs'
 * samples; `maxTokens`, no history, so every result is assumed to use all of `maxTokens` (a bound).
 */
export type EstimateBasis = 'history' | 'maxTokens';

/** What a set of trials is expected to cost, in USD: the expectation and a 95% range. */
export interface EstimateFigures {
  trials: number;
  samples: number;
  expectedCostUsd: number;
  lowCostUsd: number;
  highCostUsd: number;
}

/** The estimate of one suite × model × thinkingLevel × numberResults. */
export interface EstimateGroup extends EstimateFigures {
  suite: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  /** `maxTokens` when any of its trials had no history to learn from. */
  basis: EstimateBasis;
  /** The broadest history scope any of its trials used (`case` < `setting` < `model`); null without history. */
  historyScope: HistoryScope | null;
  /** Earlier samples of this suite, model and level (any case): the evidence behind the figures. */
  historySamples: number;
  /** How its prompt tokens were counted (those not taken from history). */
  tokenizer: TokenizerName;
  /**
   * Where its prompt cost comes from, at the input price: `tokenizer`, counted tokens; `history`, the
   * prompt tokens the API reported for each of its cases in earlier runs (a run's own estimate); or
   * `dryRun`, Runware's dry runs (`--exact`).
   */
  promptCostSource: 'tokenizer' | 'history' | 'dryRun';
  /** Mean prompt tokens of a sample, counted. */
  promptTokensPerSample: number;
  /** Completion and thinking tokens per sample in the history of this setting (else this model and level); null without. */
  completionTokens: MeanAndP95 | null;
  thinkingTokens: MeanAndP95 | null;
}

/** A plan's cost estimate (`evalgate estimate`, and summary.json's `estimate`). */
export interface CostEstimate {
  /** The earlier runs learned from. */
  history: { runs: number; samples: number };
  totals: EstimateFigures;
  groups: EstimateGroup[];
  /** Models without a price: their trials are not in the figures. */
  unpriced: string[];
  /** Judge calls and their expected cost, apart from the figures above (the answers'); absent without judges. */
  judge?: JudgeEstimate;
}

/** Version of estimate.json's shape (schemas/estimate.schema.json). */
export const ESTIMATE_SCHEMA_VERSION = 1;

/** estimate.json, written by `evalgate estimate`. */
export interface EstimateFile extends CostEstimate {
  schemaVersion: typeof ESTIMATE_SCHEMA_VERSION;
  createdAt: string;
  /** The folder history was read from, as given or configured. */
  historyDir: string;
  /** Cost at production traffic (`--traffic`), or null. */
  projection: TrafficProjection | null;
  /** With `--until-decided`: what sampling until decided is expected to spend; null without it. */
  untilDecided: SequentialEstimate | null;
}
