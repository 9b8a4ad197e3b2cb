import type { ThinkingLevel } from '../config/runware-limits.js';
import type { CaseSummary, GroupSummary, RunSummary } from './run-summary.js';
import { fisherExactOneSided, holmAdjust, mcnemarExactOneSided, meanRiseOneSided, pairedDifferenceOneSided, twoProportionZOneSided } from './significance.js';

/** When a change from the baseline counts as a regression. Mirrors `gate:` in evalconfig.yaml. */
export interface RegressionPolicy {
  /** Family-wise false-alarm rate of the pass-rate tests (Holm–Bonferroni across groups). */
  alpha: number;
  /** Drops smaller than this never fail, however significant (practical tolerance). */
  minDrop: number;
  /** A drop larger than this fails even when not significant; null: off. */
  maxDrop: number | null;
  /**
   * Cost per sample may rise by this share (0.2 = +20%); null: not checked. A larger rise fails only
   * when it is also significant (one-sided z-test on the means, Holm-adjusted, at alpha), unless a
   * side has no interval (summaries written before intervals were recorded): then the ratio alone.
   */
  maxCostIncrease: number | null;
  /** p95 latency may rise by this share; null: not checked. */
  maxLatencyIncrease: number | null;
  /** …and only a rise of at least this many ms counts (fast requests jitter). */
  minLatencyIncreaseMs: number;
  /** A case regresses only with at least this many completed samples on both sides. */
  caseMinSamples: number;
}

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
  /** Its one-sided p-value, Holm-adjusted across the groups tested; null when `costTest` is none. */
  pCostRiseAdjusted: number | null;
  verdict: 'worse' | 'better' | 'same';
  regressions: ('passRate' | 'cost' | 'latency')[];
}

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
}

/** How many added or removed case ids summary.json lists; the counts cover the rest. */
export const LISTED_CASE_IDS = 50;

/** A group's (suite × setting) key; a case's group is its own suite and setting. */
export const groupKey = (g: { suite: string; model: string; thinkingLevel: string; numberResults: number }) => `${g.suite} · ${g.model} · ${g.thinkingLevel} · n=${g.numberResults}`;
/** A case at one setting. */
export const caseKey = (c: CaseSummary) => `${groupKey(c)} · ${c.case}`;
/** Samples of a case or group that completed (passed or failed; errored ones are apart). */
export const completedOf = (c: { passed: number; failed: number }) => c.passed + c.failed;

/**
 * Compares a run with a baseline, setting by setting and case by case. Pass rates are compared in
 * pairs of cases when the two runs share their cases (McNemar's exact test with one sample per case,
 * an exact sign-flip test or its normal approximation on per-case differences otherwise), else
 * unpaired (Fisher's exact test, or the two-proportion z-test when every cell has at least 10).
 * p-values for a drop are adjusted by Holm–Bonferroni across settings, so the whole gate's false-alarm
 * rate stays at alpha.
 */
export function compareRuns(baseline: Pick<RunSummary, 'runId' | 'groups' | 'cases'>, current: Pick<RunSummary, 'groups' | 'cases'>, policy: RegressionPolicy): Comparison {
  const beforeGroups = new Map(baseline.groups.map((g) => [groupKey(g), g]));
  const afterGroups = new Map(current.groups.map((g) => [groupKey(g), g]));
  const beforeCases = new Map(baseline.cases.map((c) => [caseKey(c), c]));
  const afterCases = new Map(current.cases.map((c) => [caseKey(c), c]));

  const shared = current.groups.filter((g) => beforeGroups.has(groupKey(g)));
  // Each group's cases, found once for the pass-rate and the cost tests alike.
  const [beforeByGroup, afterByGroup] = [casesByGroup(baseline.cases), casesByGroup(current.cases)];
  const casesOf = (g: GroupSummary) => [beforeByGroup.get(groupKey(g)) ?? [], afterByGroup.get(groupKey(g)) ?? []] as const;
  const tested = shared.map((after) => testGroup(beforeGroups.get(groupKey(after))!, after, ...casesOf(after)));
  const adjusted = holmAdjust(tested.map((t) => t.pDrop));
  const adjustedRise = holmAdjust(tested.map((t) => t.pRise));
  const costRise = shared.map((after) => costRiseTest(beforeGroups.get(groupKey(after))!, after, ...casesOf(after)));
  // Only the groups actually tested form the family: an untested one is no chance of a false alarm.
  const costTested = costRise.flatMap((c, i) => (c.pValue === null ? [] : [i]));
  const adjustedCostRise = new Map(holmAdjust(costTested.map((i) => costRise[i]!.pValue!)).map((p, k) => [costTested[k]!, p]));
  const groups = tested.map((t, i): GroupComparison => {
    const drop = t.before.passRate !== null && t.after.passRate !== null ? t.before.passRate - t.after.passRate : null;
    const regressions: GroupComparison['regressions'] = [];
    const isSignificant = adjusted[i]! <= policy.alpha;
    if (drop !== null && ((isSignificant && drop >= policy.minDrop) || (policy.maxDrop !== null && drop > policy.maxDrop))) regressions.push('passRate');
    const pCostRiseAdjusted = adjustedCostRise.get(i) ?? null;
    const costSignificant = pCostRiseAdjusted === null || pCostRiseAdjusted <= policy.alpha;
    if (policy.maxCostIncrease !== null && costSignificant && rose(t.before.costPerSampleUsd, t.after.costPerSampleUsd, policy.maxCostIncrease, 0)) regressions.push('cost');
    if (policy.maxLatencyIncrease !== null && rose(t.before.p95LatencyMs, t.after.p95LatencyMs, policy.maxLatencyIncrease, policy.minLatencyIncreaseMs)) regressions.push('latency');
    const verdict = isSignificant && (drop ?? 0) > 0 ? 'worse' : adjustedRise[i]! <= policy.alpha && (drop ?? 0) < 0 ? 'better' : 'same';
    return { ...t, drop, pDropAdjusted: adjusted[i]!, pRiseAdjusted: adjustedRise[i]!, costTest: costRise[i]!.method, pCostRiseAdjusted, verdict, regressions };
  });

  const regressedCases: CaseChange[] = [];
  const fixedCases: CaseChange[] = [];
  for (const [key, after] of afterCases) {
    const before = beforeCases.get(key);
    if (!before) continue;
    const [nb, na] = [completedOf(before), completedOf(after)];
    if (nb < policy.caseMinSamples || na < policy.caseMinSamples) continue;
    const change: CaseChange = {
      suite: after.suite, case: after.case, model: after.model, thinkingLevel: after.thinkingLevel, numberResults: after.numberResults,
      before: { passed: before.passed, completed: nb },
      after: { passed: after.passed, completed: na },
    };
    if (before.passed === nb && after.passed === 0) regressedCases.push(change);
    if (before.passed === 0 && after.passed === na) fixedCases.push(change);
  }
  return {
    baselineRunId: baseline.runId,
    groups,
    addedGroups: [...afterGroups.keys()].filter((k) => !beforeGroups.has(k)),
    removedGroups: [...beforeGroups.keys()].filter((k) => !afterGroups.has(k)),
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

function side(g: GroupSummary): SideFigures {
  return { passed: g.passed, completed: g.passed + g.failed, passRate: g.passRate, costPerSampleUsd: g.costPerSampleUsd, costPerSampleCi95: g.costPerSampleCi95 ?? null, p95LatencyMs: g.latencyMs.p95 };
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

/** The cases of each group (suite × setting), by groupKey. */
function casesByGroup(cases: readonly CaseSummary[]): Map<string, CaseSummary[]> {
  const byGroup = new Map<string, CaseSummary[]>();
  for (const c of cases) {
    const key = groupKey(c);
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
  const figures = { suite: after.suite, model: after.model, thinkingLevel: after.thinkingLevel, numberResults: after.numberResults, before: side(before), after: side(after) };
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

/** True when `after` exceeds `before` by more than `share` (and by at least `minAbsolute`). */
function rose(before: number | null, after: number | null, share: number, minAbsolute: number): boolean {
  if (before === null || after === null || !(before > 0)) return false;
  return after > before * (1 + share) && after - before >= minAbsolute;
}
