import type { RunSummary } from '../results/run-summary.js';
import { measureComparison, type Comparison, type ComparisonFigures, type GroupComparison, type GroupFigures } from '../results/compare-runs.js';
import { minDetectableDrop } from '../results/sample-size.js';
import { holmAdjust } from '../results/significance.js';
import { STATED_POWER, type RegressionPolicy } from './regression-policy.js';
import { MATCH_BY_SETTING, settingKey, type Setting, type SettingMatch } from '../core/setting.js';

type TestKind = 'passRate' | 'cost' | 'latency' | 'cases';

/** One hypothesis of the family: which figure, and its raw one-sided p-value. */
interface FamilyTest {
  kind: TestKind;
  /** Index into `figures.groups`, or into `figures.cases` for kind `cases`. */
  index: number;
  p: number;
}

/**
 * The gate's decisions on a comparison. Every check that can fail the run against its baseline is a
 * one-sided test in **one** Holm–Bonferroni family at `policy.alpha`: the pass-rate drop of each gated
 * setting; its cost rise (with `maxCostIncrease`), its latency rise (with `maxLatencyIncrease`, and
 * at least `latencyMinSamples` on each side), and with `caseRegressions: fail` every case at a gated
 * setting. A test fails the gate when its adjusted p is at most alpha and its effect passes the
 * practical limit (minDrop, +maxCostIncrease, +maxLatencyIncrease and minLatencyIncreaseMs), so the
 * whole gate's false-alarm rate stays at alpha. `maxDrop` alone acts without a test: a hard limit
 * outside that budget, off by default. Settings not gated get verdicts from a family of their own and
 * never regress.
 */
export function judgeComparison(figures: ComparisonFigures, policy: RegressionPolicy): Comparison {
  const gatedGroups = figures.groups.flatMap((g, i) => (g.gated ? [i] : []));
  const family = familyTests(figures, policy, new Set(gatedGroups));
  const adjusted = holmAdjust(family.map((t) => t.p));
  const adjustedOf = new Map(family.map((t, k) => [`${t.kind}:${t.index}`, adjusted[k]!]));
  const pAdjusted = (kind: TestKind, index: number) => adjustedOf.get(`${kind}:${index}`) ?? null;

  // The settings not gated: the same tests in a family of their own, for verdicts only.
  const ungated = figures.groups.flatMap((g, i) => (g.gated ? [] : [i]));
  const shown = familyTests(figures, { ...policy, caseRegressions: 'report' }, new Set(ungated));
  const shownAdjusted = holmAdjust(shown.map((t) => t.p));
  const shownOf = new Map(shown.map((t, k) => [`${t.kind}:${t.index}`, shownAdjusted[k]!]));
  const riseAdjusted = new Map<number, number>();
  for (const indexes of [gatedGroups, ungated]) {
    holmAdjust(indexes.map((i) => figures.groups[i]!.pRise)).forEach((p, k) => riseAdjusted.set(indexes[k]!, p));
  }

  const failingCases = new Set<string>();
  // With caseRegressions: fail, a case whose drop survived the correction is a regressed case too,
  // whether or not it went from every sample passing to none, so the reasons can name it.
  const regressedCases = [...figures.regressedCases];
  const listed = new Set(regressedCases.map((c) => `${settingKey(c)}\u0000${c.case}`));
  figures.cases.forEach((c, i) => {
    const p = pAdjusted('cases', i);
    if (p !== null && p <= policy.alpha && c.after.passed / c.after.completed < c.before.passed / c.before.completed) {
      failingCases.add(settingKey(c));
      const { pDrop: _p, ...change } = c;
      if (!listed.has(`${settingKey(c)}\u0000${c.case}`)) regressedCases.push(change);
    }
  });

  const groups = figures.groups.map((g, i): GroupComparison => {
    const { powerInputs, ...rest } = g;
    const adjustedIn = (kind: TestKind) => (g.gated ? pAdjusted(kind, i) : (shownOf.get(`${kind}:${i}`) ?? null));
    const pDropAdjusted = adjustedIn('passRate') ?? 1;
    const pRiseAdjusted = riseAdjusted.get(i) ?? 1;
    const pCostRiseAdjusted = adjustedIn('cost');
    const pLatencyRiseAdjusted = adjustedIn('latency');
    const isSignificant = (p: number | null) => p !== null && p <= policy.alpha;
    const regressions: GroupComparison['regressions'] = [];
    if (g.gated) {
      const tested = g.testedDrop;
      if (tested !== null && ((isSignificant(pDropAdjusted) && tested >= policy.minDrop) || (policy.maxDrop !== null && tested > policy.maxDrop))) regressions.push('passRate');
      if (isSignificant(pCostRiseAdjusted) && costRose(g, policy)) regressions.push('cost');
      if (isSignificant(pLatencyRiseAdjusted) && latencyRose(g, policy)) regressions.push('latency');
      if (failingCases.has(settingKey(g))) regressions.push('cases');
    }
    const drop = g.testedDrop ?? 0;
    const verdict = isSignificant(pDropAdjusted) && drop > 0 ? 'worse' : pRiseAdjusted <= policy.alpha && drop < 0 ? 'better' : 'same';
    const familySize = g.gated ? family.length : shown.length;
    return {
      ...rest,
      pDropAdjusted,
      pRiseAdjusted,
      pCostRiseAdjusted,
      pLatencyRiseAdjusted,
      // The power of the paired test; an unpaired comparison (the runs' cases differ) says none.
      minDetectableDrop: g.pairedCases > 0 ? minDetectableDrop(powerInputs, policy.alpha / Math.max(1, familySize), STATED_POWER) : null,
      verdict,
      regressions,
    };
  });
  const count = (kind: TestKind) => family.filter((t) => t.kind === kind).length;
  const { cases: _cases, groups: _groups, ...rest } = figures;
  return {
    ...rest,
    family: { alpha: policy.alpha, size: family.length, tests: { passRate: count('passRate'), cost: count('cost'), latency: count('latency'), cases: count('cases') } },
    groups,
    regressedCases,
  };
}

/**
 * Measures and judges: the comparison summary.json records under `baseline`. `match` pairs the runs'
 * settings (`compare --by suite`). `anytimePDrop`: in a sequential run, the pass-rate test of each
 * setting it watched is its anytime-valid one (a fixed-sample test is not valid after stopping early).
 */
export function compareRuns(
  baseline: Pick<RunSummary, 'runId' | 'groups' | 'cases'>,
  current: Pick<RunSummary, 'groups' | 'cases'>,
  policy: RegressionPolicy,
  match: SettingMatch = MATCH_BY_SETTING,
  anytimePDrop?: (setting: Setting) => number | null,
): Comparison {
  const figures = measureComparison(baseline, current, policy.caseMinSamples, match);
  if (anytimePDrop) {
    figures.groups = figures.groups.map((g) => {
      const p = anytimePDrop(g);
      return p === null || g.test === 'none' ? g : { ...g, test: 'anytime-betting', pDrop: p };
    });
  }
  return judgeComparison(figures, policy);
}

/** The tests of the family for the groups in `members` (indexes into figures.groups). */
function familyTests(figures: ComparisonFigures, policy: RegressionPolicy, members: ReadonlySet<number>): FamilyTest[] {
  const tests: FamilyTest[] = [];
  figures.groups.forEach((g, index) => {
    if (!members.has(index)) return;
    if (g.test !== 'none') tests.push({ kind: 'passRate', index, p: g.pDrop });
    if (policy.maxCostIncrease !== null && g.pCostRise !== null) tests.push({ kind: 'cost', index, p: g.pCostRise });
    const timed = g.before.completed >= policy.latencyMinSamples && g.after.completed >= policy.latencyMinSamples;
    if (policy.maxLatencyIncrease !== null && g.pLatencyRise !== null && timed) tests.push({ kind: 'latency', index, p: g.pLatencyRise });
  });
  if (policy.caseRegressions === 'fail') {
    const settings = new Set([...members].map((i) => settingKey(figures.groups[i]!)));
    figures.cases.forEach((c, index) => {
      if (settings.has(settingKey(c))) tests.push({ kind: 'cases', index, p: c.pDrop });
    });
  }
  return tests;
}

function costRose(g: GroupFigures, policy: RegressionPolicy): boolean {
  const [before, after] = [g.before.costPerSampleUsd, g.after.costPerSampleUsd];
  return policy.maxCostIncrease !== null && before !== null && after !== null && before > 0 && after > before * (1 + policy.maxCostIncrease);
}

function latencyRose(g: GroupFigures, policy: RegressionPolicy): boolean {
  const [before, after] = [g.before.caseLatencyMs, g.after.caseLatencyMs];
  if (policy.maxLatencyIncrease === null || g.latencyRatio === null || before === null || after === null) return false;
  return g.latencyRatio > 1 + policy.maxLatencyIncrease && after - before >= policy.minLatencyIncreaseMs;
}

