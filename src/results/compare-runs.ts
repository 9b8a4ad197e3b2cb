import { MATCH_BY_SETTING, settingLabel, type SettingMatch } from '../core/setting.js';
import type { ThinkingLevel } from '../core/runware-limits.js';
import type { CaseSummary, GroupSummary, RunFigures } from './group-summary.js';
import { fisherExactOneSided, mcnemarExactOneSided, meanRiseOneSided, pairedDifferenceOneSided, twoProportionZOneSided } from './significance.js';

export type PassRateTest = 'mcnemar-exact' | 'paired-permutation' | 'paired-z' | 'fisher-exact' | 'two-proportion-z' | 'none';

/** The counts of one side of a comparison. */
export interface SideFigures {
  passed: number;
  completed: number;
  passRate: number | null;
  costPerSampleUsd: number | null;
  /** 95% interval of the cost per sample; null when unknown. */
  costPerSampleCi95: [number, number] | null;
  p95LatencyMs: number | null;
  /** Mean over cases of each case's geometric-mean latency, in ms; null when unknown (older summaries). */
  caseLatencyMs: number | null;
}

/** One setting, before and after. */
export interface GroupComparison {
  suite: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  before: SideFigures;
  after: SideFigures;
  /** before − after, in pass-rate points (positive: worse). */
  drop: number | null;
  test: PassRateTest;
  /** Cases compared in pairs. */
  pairedCases: number;
  /** One-sided p-value for a drop, and for a rise. */
  pDrop: number;
  pRise: number;
  /** pDrop after Holm–Bonferroni across the groups. */
  pDropAdjusted: number;
  /** pRise after Holm–Bonferroni across the groups: what a `better` verdict rests on. */
  pRiseAdjusted: number;
  /**
   * How a rise of the cost per sample was tested: per-case differences when the runs share at least
   * PAIRED_COST_CASES cases with a cost (exact sign flips up to 16, else z), else a z-test on the two
   * means and their intervals; `none` when neither is possible (a summary written before intervals).
   */
  costTest: 'paired-permutation' | 'paired-z' | 'welch-z' | 'none';
  /** Its one-sided p-value, before any adjustment; null when `costTest` is none. */
  pCostRise: number | null;
  /** Its p-value adjusted in the gate's family (or, for a setting not gated, among the settings not gated); null when not tested. */
  pCostRiseAdjusted: number | null;
  /** The latency test: per-case geometric-mean latencies compared in pairs (log ratios, sign flips); `none` when too few samples or cases. */
  latencyTest: 'paired-permutation' | 'paired-z' | 'none';
  /** Per-case latency, now ÷ before, as a geometric mean over the paired cases (1.25 = 25% slower); null when not tested. */
  latencyRatio: number | null;
  pLatencyRise: number | null;
  pLatencyRiseAdjusted: number | null;
  /** The gate judges this setting (it matches its suite's gateOn): its regressions fail the run. */
  gated: boolean;
  /**
   * The smallest pass-rate drop this comparison detects with 80% power at its case and sample counts and
   * at the false-alarm level its family leaves each test (α ÷ family size); null when not computable.
   */
  minDetectableDrop: number | null;
  verdict: 'worse' | 'better' | 'same';
  regressions: ('passRate' | 'cost' | 'latency' | 'cases')[];
}

/** A group's figures before the gate judges them: everything but the adjusted p-values and decisions. */
export type GroupFigures = Omit<GroupComparison, 'pDropAdjusted' | 'pRiseAdjusted' | 'pCostRiseAdjusted' | 'pLatencyRiseAdjusted' | 'minDetectableDrop' | 'verdict' | 'regressions'> & {
  /** Per shared case: its pass-rate variance and sample counts, for the power of the paired test. */
  powerInputs: PowerInputs;
};

/** A case that went from passing every sample to failing every sample, or the reverse. */
export interface CaseChange {
  suite: string;
  case: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  before: { passed: number; completed: number };
  after: { passed: number; completed: number };
}

/** summary.json `baseline`: how this run compares with a baseline run. */
export interface Comparison {
  baselineRunId: string;
  /** The tests that can fail the run, in one Holm–Bonferroni family at `alpha`. */
  family: { alpha: number; size: number; tests: { passRate: number; cost: number; latency: number; cases: number } };
  groups: GroupComparison[];
  /** Settings only in this run, or only in the baseline: reported, never failed. */
  addedGroups: string[];
  removedGroups: string[];
  regressedCases: CaseChange[];
  fixedCases: CaseChange[];
  /** Cases (`suite/case`) in this run and in no setting of the baseline: reported, never failed. */
  addedCases: number;
  /** Cases in the baseline and in no setting of this run: reported, never failed. */
  removedCases: number;
  /** The first LISTED_CASE_IDS of the added cases' `suite/case` ids, sorted; `addedCases` counts them all. */
  addedCaseIds: string[];
  /** The first LISTED_CASE_IDS of the removed cases' ids, sorted. */
  removedCaseIds: string[];
  /** Cases compared at a shared setting (each case × setting once). */
  comparedCases: number;
}

/** A case at one setting, both runs: for the per-case test of `gate.caseRegressions: fail`. */
export interface CaseFigures extends CaseChange {
  /** Fisher's exact one-sided p for a drop of this case's pass rate. */
  pDrop: number;
}

/** The comparison's figures, before the gate's decisions. */
export interface ComparisonFigures extends Omit<Comparison, 'groups' | 'family' | 'regressedCases' | 'fixedCases'> {
  groups: GroupFigures[];
  /** Every case compared, with its own test. */
  cases: CaseFigures[];
  /** Cases that passed every sample before and fail every one now (at least `minSamples` on each side), and the reverse. */
  regressedCases: CaseChange[];
  fixedCases: CaseChange[];
}

/** What the power of a paired comparison depends on. */
export interface PowerInputs {
  /** Shared cases. */
  cases: number;
  /** Σ over shared cases of the null variance of (rate now − rate before): p(1−p)·(1/K_before + 1/K_now). */
  differenceVariance: number;
}

/** How many added or removed case ids summary.json lists; the counts cover the rest. */
export const LISTED_CASE_IDS = 50;

/** Samples of a case or group that completed (passed or failed; errored ones are apart). */
export const completedOf = (c: { passed: number; failed: number }) => c.passed + c.failed;

/**
 * Measures a run against a baseline, setting by setting and case by case: the figures and raw
 * one-sided p-values the gate decides on (gate/judge-comparison.ts), and no decision. Pass rates are
 * compared in pairs of cases when the two runs share (nearly) all their cases (McNemar's exact test
 * with one sample per case, an exact sign-flip test or its normal approximation on per-case
 * differences otherwise), else unpaired (Fisher's exact test, or the two-proportion z-test when every
 * cell has at least 10). Cost and latency are compared per case in pairs too, where possible.
 * `caseMinSamples`: the samples a case needs on each side to be listed as regressed or fixed.
 * `match` pairs the runs' settings (by default, the same setting; `compare --by suite`: by suite).
 */
export function measureComparison(baseline: RunFigures, current: Pick<RunFigures, 'groups' | 'cases'>, caseMinSamples: number, match: SettingMatch = MATCH_BY_SETTING): ComparisonFigures {
  const { settingKey, caseKey } = match;
  const beforeGroups = new Map(baseline.groups.map((g) => [settingKey(g), g]));
  const afterGroups = new Map(current.groups.map((g) => [settingKey(g), g]));
  const beforeCases = new Map(baseline.cases.map((c) => [caseKey(c), c]));

  const shared = current.groups.filter((g) => beforeGroups.has(settingKey(g)));
  // Each group's cases, found once for the pass-rate, cost and latency tests alike.
  const [beforeByGroup, afterByGroup] = [casesByGroup(baseline.cases, settingKey), casesByGroup(current.cases, settingKey)];
  const groups = shared.map((after): GroupFigures => {
    const before = beforeGroups.get(settingKey(after))!;
    const [bc, ac] = [beforeByGroup.get(settingKey(after)) ?? [], afterByGroup.get(settingKey(after)) ?? []];
    const passRate = testGroup(before, after, bc, ac);
    const cost = costRiseTest(before, after, bc, ac);
    const latency = latencyRiseTest(bc, ac);
    const drop = passRate.before.passRate !== null && passRate.after.passRate !== null ? passRate.before.passRate - passRate.after.passRate : null;
    return {
      ...passRate,
      drop,
      gated: after.gated ?? true,
      costTest: cost.method,
      pCostRise: cost.pValue,
      latencyTest: latency.method,
      latencyRatio: latency.ratio,
      pLatencyRise: latency.pValue,
      powerInputs: powerInputs(bc, ac),
    };
  });

  const cases: CaseFigures[] = [];
  const regressedCases: CaseChange[] = [];
  const fixedCases: CaseChange[] = [];
  for (const after of current.cases) {
    const before = beforeCases.get(caseKey(after));
    if (!before) continue;
    const [nb, na] = [completedOf(before), completedOf(after)];
    if (nb === 0 || na === 0) continue;
    const change: CaseChange = {
      suite: after.suite, case: after.case, model: after.model, thinkingLevel: after.thinkingLevel, numberResults: after.numberResults,
      before: { passed: before.passed, completed: nb },
      after: { passed: after.passed, completed: na },
    };
    cases.push({ ...change, pDrop: fisherExactOneSided(before.passed, before.failed, after.passed, after.failed) });
    if (nb < caseMinSamples || na < caseMinSamples) continue;
    if (before.passed === nb && after.passed === 0) regressedCases.push(change);
    if (before.passed === 0 && after.passed === na) fixedCases.push(change);
  }
  return {
    baselineRunId: baseline.runId,
    groups,
    cases,
    comparedCases: cases.length,
    addedGroups: current.groups.filter((g) => !beforeGroups.has(settingKey(g))).map((g) => `${g.suite} · ${settingLabel(g)}`),
    removedGroups: baseline.groups.filter((g) => !afterGroups.has(settingKey(g))).map((g) => `${g.suite} · ${settingLabel(g)}`),
    regressedCases,
    fixedCases,
    ...caseIdChanges(baseline.cases, current.cases),
  };
}

/** Case ids present in one run and in no setting of the other (a new setting's cases are not new cases). */
function caseIdChanges(before: readonly CaseSummary[], after: readonly CaseSummary[]) {
  const ids = (cases: readonly CaseSummary[]) => new Set(cases.map((c) => `${c.suite}/${c.case}`));
  const [b, a] = [ids(before), ids(after)];
  const added = [...a].filter((id) => !b.has(id)).sort();
  const removed = [...b].filter((id) => !a.has(id)).sort();
  return { addedCases: added.length, removedCases: removed.length, addedCaseIds: added.slice(0, LISTED_CASE_IDS), removedCaseIds: removed.slice(0, LISTED_CASE_IDS) };
}

function side(g: GroupSummary, cases: readonly CaseSummary[]): SideFigures {
  const latencies = cases.flatMap((c) => (typeof c.latencyGeoMeanMs === 'number' ? [c.latencyGeoMeanMs] : []));
  return {
    passed: g.passed,
    completed: g.passed + g.failed,
    passRate: g.passRate,
    costPerSampleUsd: g.costPerSampleUsd,
    costPerSampleCi95: g.costPerSampleCi95 ?? null,
    p95LatencyMs: g.latencyMs.p95,
    caseLatencyMs: latencies.length > 0 ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
  };
}

/** Shared cases (with a completed sample on both sides) needed before latency is tested at all. */
export const PAIRED_LATENCY_CASES = 6;

/**
 * The one-sided test for a rise in latency: each shared case's geometric-mean latency now ÷ before,
 * on the log scale, tested in pairs like cost (a case's latency depends on its prompt and answer
 * length). Run-level shifts (a busy API, another network) move every case alike and are not
 * prompt changes: that is why the gate leaves latency out unless asked (docs/ci.md).
 */
function latencyRiseTest(beforeCases: readonly CaseSummary[], afterCases: readonly CaseSummary[]): { pValue: number | null; ratio: number | null; method: GroupComparison['latencyTest'] } {
  const latencies = (cases: readonly CaseSummary[]) => new Map(cases.flatMap((c) => (typeof c.latencyGeoMeanMs === 'number' && c.latencyGeoMeanMs > 0 ? [[c.case, c.latencyGeoMeanMs] as const] : [])));
  const [b, a] = [latencies(beforeCases), latencies(afterCases)];
  const shared = [...a.keys()].filter((id) => b.has(id));
  if (shared.length < PAIRED_LATENCY_CASES) return { pValue: null, ratio: null, method: 'none' };
  const logRatios = shared.map((id) => Math.log(a.get(id)! / b.get(id)!));
  // pairedDifferenceOneSided tests for a drop of its differences: before − now on the log scale.
  const { pValue, method } = pairedDifferenceOneSided(logRatios.map((d) => -d));
  return { pValue, ratio: Math.exp(logRatios.reduce((x, y) => x + y, 0) / logRatios.length), method };
}

/**
 * The null variance of each shared case's difference in pass rate, summed: p(1−p)·(1/K_before +
 * 1/K_now), each case's p taken from the baseline and shrunk toward the pooled rate by one sample's
 * weight ((c + p̄) / (K + 1), p̄ = (passes + ½) / (samples + 1)), so that a case, or a whole run, at
 * 0% or 100% never claims a variance of zero. A case with one sample in the baseline cannot show its
 * own p, so it takes the pooled one, which assumes cases alike: the largest variance, so the power
 * stated is the least the gate has.
 */
function powerInputs(beforeCases: readonly CaseSummary[], afterCases: readonly CaseSummary[]): PowerInputs {
  const now = new Map(afterCases.filter((c) => completedOf(c) > 0).map((c) => [c.case, completedOf(c)]));
  const pairs = beforeCases.filter((c) => completedOf(c) > 0 && now.has(c.case));
  const passed = pairs.reduce((s, c) => s + c.passed, 0);
  const completed = pairs.reduce((s, c) => s + completedOf(c), 0);
  const pooled = (passed + 0.5) / (completed + 1);
  let differenceVariance = 0;
  for (const c of pairs) {
    const k = completedOf(c);
    const p = k > 1 ? (c.passed + pooled) / (k + 1) : pooled;
    differenceVariance += p * (1 - p) * (1 / k + 1 / now.get(c.case)!);
  }
  return { cases: pairs.length, differenceVariance };
}

/** Shared cases with a cost needed to pair the cost test: below it, sign flips cannot reach alpha. */
export const PAIRED_COST_CASES = 6;

/**
 * The one-sided test for a rise in cost per sample. Paired by case when the runs share (nearly) all
 * their cases: a case's cost depends mostly on its prompt and answer, so between-case variance, most
 * of the noise, cancels out. Otherwise unpaired, from each side's mean and interval.
 */
function costRiseTest(before: GroupSummary, after: GroupSummary, beforeCases: readonly CaseSummary[], afterCases: readonly CaseSummary[]): { pValue: number | null; method: GroupComparison['costTest'] } {
  if (before.costPerSampleUsd === null || after.costPerSampleUsd === null) return { pValue: null, method: 'none' };
  const costs = (cases: readonly CaseSummary[]) => new Map(cases.flatMap((c) => (typeof c.costPerSampleUsd === 'number' ? [[c.case, c.costPerSampleUsd] as const] : [])));
  const [b, a] = [costs(beforeCases), costs(afterCases)];
  const shared = [...a.keys()].filter((id) => b.has(id));
  if (shared.length >= PAIRED_COST_CASES && shared.length >= 0.8 * Math.max(a.size, b.size)) {
    // before − now per case: a rise is a drop of this difference.
    const { pValue, method } = pairedDifferenceOneSided(shared.map((id) => b.get(id)! - a.get(id)!));
    return { pValue, method };
  }
  if (!before.costPerSampleCi95 || !after.costPerSampleCi95) return { pValue: null, method: 'none' };
  return {
    pValue: meanRiseOneSided({ mean: before.costPerSampleUsd, ci95: before.costPerSampleCi95 }, { mean: after.costPerSampleUsd, ci95: after.costPerSampleCi95 }),
    method: 'welch-z',
  };
}

/** The cases of each group (suite × setting), by `settingKey`. */
function casesByGroup(cases: readonly CaseSummary[], settingKey: SettingMatch['settingKey']): Map<string, CaseSummary[]> {
  const byGroup = new Map<string, CaseSummary[]>();
  for (const c of cases) {
    const key = settingKey(c);
    const list = byGroup.get(key);
    if (list) list.push(c);
    else byGroup.set(key, [c]);
  }
  return byGroup;
}

/** `beforeCases` and `afterCases`: the group's own cases in each run. */
function testGroup(before: GroupSummary, after: GroupSummary, beforeCases: readonly CaseSummary[], afterCases: readonly CaseSummary[]) {
  const own = (cases: readonly CaseSummary[]) => new Map(cases.filter((c) => completedOf(c) > 0).map((c) => [c.case, c]));
  const b = own(beforeCases);
  const a = own(afterCases);
  const paired = [...a.keys()].filter((id) => b.has(id));
  const figures = { suite: after.suite, model: after.model, thinkingLevel: after.thinkingLevel, numberResults: after.numberResults, before: side(before, beforeCases), after: side(after, afterCases) };
  const { passed: pb, completed: nb } = figures.before;
  const { passed: pa, completed: na } = figures.after;
  if (nb === 0 || na === 0) return { ...figures, test: 'none' as PassRateTest, pairedCases: 0, pDrop: 1, pRise: 1 };

  // Pair by case when the runs share (nearly) all their cases: between-case variance cancels out.
  if (paired.length >= 2 && paired.length >= 0.8 * Math.max(a.size, b.size)) {
    const pairs = paired.map((id) => [b.get(id)!, a.get(id)!] as const);
    if (pairs.every(([x, y]) => completedOf(x) === 1 && completedOf(y) === 1)) {
      const worse = pairs.filter(([x, y]) => x.passed === 1 && y.passed === 0).length;
      const better = pairs.filter(([x, y]) => x.passed === 0 && y.passed === 1).length;
      return { ...figures, test: 'mcnemar-exact' as PassRateTest, pairedCases: pairs.length, pDrop: mcnemarExactOneSided(worse, better), pRise: mcnemarExactOneSided(better, worse) };
    }
    const differences = pairs.map(([x, y]) => y.passed / completedOf(y) - x.passed / completedOf(x));
    const drop = pairedDifferenceOneSided(differences);
    const rise = pairedDifferenceOneSided(differences.map((d) => -d));
    return { ...figures, test: drop.method as PassRateTest, pairedCases: pairs.length, pDrop: drop.pValue, pRise: rise.pValue };
  }
  const cells = [pb, nb - pb, pa, na - pa];
  if (cells.every((n) => n >= 10)) {
    return { ...figures, test: 'two-proportion-z' as PassRateTest, pairedCases: 0, pDrop: twoProportionZOneSided(pb, nb, pa, na), pRise: twoProportionZOneSided(pa, na, pb, nb) };
  }
  return { ...figures, test: 'fisher-exact' as PassRateTest, pairedCases: 0, pDrop: fisherExactOneSided(pb, nb - pb, pa, na - pa), pRise: fisherExactOneSided(pa, na - pa, pb, nb - pb) };
}
