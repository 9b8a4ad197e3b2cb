import type { Setting } from '../core/setting.js';

/**
 * summary.json `sequential`: how a run with `--until-decided` spent its samples. Cases are drawn in a
 * seeded random order; each setting takes them in that order until anytime-valid tests decide its
 * verdict (docs/statistics.md, "Sequential sampling"). Null for a run with a fixed plan.
 */
export interface SequentialSummary {
  /** Seed of the case order (`--order-seed`, else drawn at random and recorded in run.json). */
  orderSeed: number;
  /** The false-alarm level each family of tests is held to (gate.alpha). */
  alpha: number;
  /** What the gate does with a gated setting still undecided after its last case (`sequential.undecided`). */
  undecided: UndecidedPolicy;
  /** At most this many cases of each suite (`--max-cases`); null: every case. */
  maxCases: number | null;
  /** The baseline the regression questions were asked against (`--baseline`); null without one. */
  baselineRunId: string | null;
  /** Shards whose decisions were combined (`evalgate merge`): each decided for its own cases at alpha ÷ shards. Absent: one run. */
  shards?: number;
  /** When every setting decided… or what each setting did instead. */
  groups: SequentialGroup[];
  /** Over every setting: samples the fixed plan would have sent, those sent, and those its decisions saved (a budget or a stop can leave others unsent). */
  totals: { plannedSamples: number; sentSamples: number; savedSamples: number; savedCostUsd: number | null };
}

/** `estimate`: judged as a fixed plan would be (pass rate against threshold); `pass`; `fail` (UNDECIDED). */
export type UndecidedPolicy = 'estimate' | 'pass' | 'fail';

/** One question a setting's sampling asks, and what its test says. */
export interface SequentialQuestion<D extends string> {
  /** Null while undecided. */
  decision: D | null;
  /** Cases observed when it was decided; null while undecided. */
  decidedAtCase: number | null;
  /** The e-value a test needs to decide: the number of tests sharing alpha ÷ alpha. */
  level: number;
  /** Each direction's e-value (its capital's peak), at the decision or at the last case observed. */
  eValues: Record<D, number>;
  /** Anytime-valid p-values of each direction (1 / peak e-value, at most 1). */
  pValues: Record<D, number>;
}

export interface SequentialGroup extends Setting {
  gated: boolean;
  threshold: number;
  /** Cases the setting would take: its suite's cases (at most `maxCases`). */
  plannedCases: number;
  /** Samples the fixed plan would send at this setting. */
  plannedSamples: number;
  /** Samples it sent (and recorded), in flight at its decision included. */
  sentSamples: number;
  /** Cases taken in order with every trial landed: the evidence the tests have seen. */
  observedCases: number;
  /** Cases at which its verdict was known (every question decided, or one that fails it); null: never. */
  stoppedAtCase: number | null;
  /** `fails`: a question decided against it; `passes`: every question decided for it; `undecided`: it ran out of cases. */
  verdict: 'fails' | 'passes' | 'undecided';
  /** Is the pass rate above or below the threshold? */
  thresholdTest: SequentialQuestion<'above' | 'below'>;
  /**
   * With `--baseline`: has the pass rate dropped against the baseline's cases (`regressed`), or by less
   * than `futilityDrop` (`not-regressed`)? Null without a baseline, or when no case is shared.
   */
  regressionTest: (SequentialQuestion<'regressed' | 'not-regressed'> & { futilityDrop: number; meanDrop: number | null; pairedCases: number }) | null;
  /** Samples not sent because the verdict was known (none while undecided). */
  savedSamples: number;
  /** savedSamples × the setting's cost per sample; null when unknown. */
  savedCostUsd: number | null;
}
