import { formatCount, formatEValue, formatExactPercent, formatPercent, formatUsd } from '../core/format-figures.js';
import type { Setting } from '../core/setting.js';
import type { SequentialGroup, SequentialQuestion, SequentialSummary } from '../results/sequential-summary.js';

/** One setting of a `--until-decided` run as every report words it. */
export interface SequentialSettingFacts extends Setting {
  gated: boolean;
  verdict: SequentialGroup['verdict'];
  /** `passes`, `fails`, `undecided`, with `, not gated` for a setting that never fails the run. */
  verdictText: string;
  /** `above 80% after 46 of 150 cases (e = 22.4 ≥ 20.0)`, or `undecided after 150 of 150 cases (e = 3.0 toward below, 40.0 needed)`. */
  threshold: string;
  /** With a baseline: `not regressed after 60 cases (drop under 8.0 points; e = 45.1 ≥ 40.0)`, `regressed after …`, `undecided after …`; null without. */
  regression: string | null;
  /** `196 of 300 samples, $2.41`, or `none` (a setting that never stopped saves nothing). */
  saved: string;
}

/** What every report says of summary.json `sequential`. */
export interface SequentialFacts {
  /** `cases in a seeded random order (seed 3); each setting stopped once anytime-valid tests decided its verdict at α = 0.05; …`, with the shards and the baseline when there were any. */
  about: string;
  /** `sent 422 of 900 planned samples; saved 478 (53%), $2.49` */
  totals: string;
  settings: SequentialSettingFacts[];
  /** Does any setting ask the regression question (a run with `--baseline`)? */
  hasRegression: boolean;
}

const UNDECIDED_POLICY: Record<SequentialSummary['undecided'], string> = {
  estimate: 'a gated setting still undecided after its last case is judged by its pass rate',
  pass: 'a gated setting still undecided after its last case passes',
  fail: 'a gated setting still undecided after its last case fails',
};

/**
 * Words summary.json `sequential` for the reports: per setting its verdict, when each question was
 * decided and by what evidence (the e-value against the level it needed), and what stopping saved;
 * then the run's totals. Says what was recorded, never decides anything again. Pure.
 */
export function sequentialFacts(sequential: SequentialSummary): SequentialFacts {
  const t = sequential.totals;
  const share = t.plannedSamples > 0 ? ` (${formatPercent(t.savedSamples / t.plannedSamples, 0)})` : '';
  const cost = t.savedSamples === 0 ? '' : t.savedCostUsd === null ? ', cost unknown' : `, ${formatUsd(t.savedCostUsd)}`;
  const cap = sequential.maxCases === null ? '' : `, at most ${formatCount(sequential.maxCases)} cases per suite`;
  const shards = sequential.shards ? ` (${sequential.shards} shards, each deciding for its own cases at α ÷ ${sequential.shards})` : '';
  const baseline = sequential.baselineRunId === null ? '' : `, regressions against baseline ${sequential.baselineRunId}`;
  return {
    about: `cases in a seeded random order (seed ${sequential.orderSeed}${cap}); each setting stopped once anytime-valid tests decided its verdict at α = ${sequential.alpha}${shards}${baseline}; ${UNDECIDED_POLICY[sequential.undecided]}`,
    totals: `sent ${formatCount(t.sentSamples)} of ${formatCount(t.plannedSamples)} planned samples; saved ${formatCount(t.savedSamples)}${share}${cost}`,
    settings: sequential.groups.map(settingFacts),
    hasRegression: sequential.groups.some((g) => g.regressionTest !== null),
  };
}

function settingFacts(g: SequentialGroup): SequentialSettingFacts {
  const test = g.thresholdTest;
  const threshold =
    test.decision === null
      ? `undecided after ${formatCount(g.observedCases)} of ${formatCount(g.plannedCases)} cases (${undecidedEvidence(test)})`
      : `${test.decision} ${formatExactPercent(g.threshold)} after ${formatCount(test.decidedAtCase)} of ${formatCount(g.plannedCases)} cases (${decidedEvidence(test, test.decision)})`;
  return {
    suite: g.suite,
    model: g.model,
    thinkingLevel: g.thinkingLevel,
    numberResults: g.numberResults,
    gated: g.gated,
    verdict: g.verdict,
    verdictText: g.gated ? g.verdict : `${g.verdict}, not gated`,
    threshold,
    regression: g.regressionTest ? regressionFacts(g.regressionTest, g.observedCases) : null,
    saved: g.savedSamples === 0 ? 'none' : `${formatCount(g.savedSamples)} of ${formatCount(g.plannedSamples)} samples, ${formatUsd(g.savedCostUsd)}`,
  };
}

function regressionFacts(test: NonNullable<SequentialGroup['regressionTest']>, observedCases: number): string {
  if (test.decision === null) return `undecided after ${formatCount(observedCases)} cases, ${formatCount(test.pairedCases)} paired (${undecidedEvidence(test)})`;
  const drop = test.decision === 'regressed' ? `mean drop ${points(test.meanDrop)}` : `drop under ${points(test.futilityDrop)}`;
  return `${test.decision === 'regressed' ? 'regressed' : 'not regressed'} after ${formatCount(test.decidedAtCase)} cases (${drop}; ${decidedEvidence(test, test.decision)})`;
}

/** `e = 22.4 ≥ 20.0`: the deciding direction's e-value against the level it needed. */
function decidedEvidence<D extends string>(test: SequentialQuestion<D>, decision: D): string {
  return `e = ${formatEValue(test.eValues[decision])} ≥ ${formatEValue(test.level)}`;
}

/** `e = 3.0 toward below, 40.0 needed`: the direction the evidence leans to. */
function undecidedEvidence<D extends string>(test: SequentialQuestion<D>): string {
  const [direction, e] = (Object.entries(test.eValues) as [D, number][]).reduce((best, next) => (next[1] > best[1] ? next : best));
  return `e = ${formatEValue(e)} toward ${direction.replace('-', ' ')}, ${formatEValue(test.level)} needed`;
}

/** `8.0 points`: a drop in pass rate, in percentage points. */
function points(drop: number | null): string {
  return drop === null ? '—' : `${(drop * 100).toFixed(1)} points`;
}
