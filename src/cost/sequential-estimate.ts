import type { Setting } from '../core/setting.js';

/**
 * estimate.json `untilDecided` (`evalgate estimate --until-decided`): what a run that samples until
 * decided is expected to spend, by Monte Carlo of the gate's own sequential tests at each setting's
 * pass rate in history. Covers the threshold question only: a run with `--baseline` also waits for the
 * regression question, and can spend more.
 */
export interface SequentialEstimate {
  /** Simulated runs per setting. */
  repetitions: number;
  /** Seed of the simulation: the same seed and history give the same figures. */
  seed: number;
  /** gate.alpha. */
  alpha: number;
  groups: SequentialEstimateGroup[];
  /** Over every setting: the fixed plan's samples and expected cost, and those expected until decided. */
  totals: { plannedSamples: number; expectedSamples: number; fixedCostUsd: number; expectedCostUsd: number };
}

/** Where a setting's simulated pass rates come from. */
export type PassRateBasis =
  /** Each simulated case draws one of the history's cases of this setting (with replacement), at its pass rate. */
  | 'cases'
  /** Every sample passes at the setting's pass rate in history, independently. */
  | 'rate'
  /** No pass rate in history: priced at the fixed plan. */
  | 'none';

export interface SequentialEstimateGroup extends Setting {
  gated: boolean;
  threshold: number;
  plannedCases: number;
  plannedSamples: number;
  basis: PassRateBasis;
  /** The setting's pass rate in the newest earlier run that has it; null: none. */
  historyPassRate: number | null;
  /** That run's id; null: none. */
  historyRunId: string | null;
  /** Cases a simulated run takes before the setting's verdict is known (at most plannedCases): mean and 90th percentile. */
  cases: { mean: number; p90: number };
  /** Samples it sends: mean and 90th percentile. */
  samples: { mean: number; p90: number };
  /** Mean samples ÷ planned samples; 1 without history. */
  expectedFraction: number;
  /** Simulated runs that decided before their last case. */
  decidedShare: number;
  /** The fixed plan's expected cost (the estimate's own figure for the setting). */
  fixedCostUsd: number;
  /** fixedCostUsd × expectedFraction. */
  expectedCostUsd: number;
}
