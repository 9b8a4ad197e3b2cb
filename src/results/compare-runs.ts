import { MATCH_BY_SETTING, settingLabel, type SettingMatch } from '../core/setting.js';
import type { ThinkingLevel } from '../core/runware-limits.js';
import type { CaseSummary, GroupSummary, RunFigures } from './group-summary.js';
import { fisherExactOneSided } from './significance.js';
import { completedOf, costRiseTest, latencyRiseTest, passRateTest, powerInputs, type CostTest, type LatencyTest, type PassRateTest, type PowerInputs, type SideFigures } from './setting-change-tests.js';

export { completedOf, type PassRateTest, type PowerInputs, type SideFigures } from './setting-change-tests.js';



/** One setting, before and after. */
export interface GroupComparison {
  suite: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  before: SideFigures;
  after: SideFigures;
  /** before − after, in pass-rate points (positive: worse), of the whole groups: what the tables show. */
  drop: number | null;
  /**
   * The drop the pass-rate test weighs (positive: worse): the mean over the paired cases of each case's
   * rate before minus now, or the difference of the two rates when unpaired. `gate.minDrop`, `maxDrop`
   * and the verdict use it, so a drop and its test always speak of the same cases. Null without a test.
   */
  testedDrop: number | null;
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
  costTest: CostTest;
  /** Its one-sided p-value, before any adjustment; null when `costTest` is none. */
  pCostRise: number | null;
  /** Its p-value adjusted in the gate's family (or, for a setting not gated, among the settings not gated); null when not tested. */
  pCostRiseAdjusted: number | null;
  /** The latency test: per-case geometric-mean latencies compared in pairs (log ratios, sign flips); `none` when too few samples or cases. */
  latencyTest: LatencyTest;
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
  /**
   * Cases that passed every sample in the baseline and fail every one now (with gate.caseMinSamples on
   * each side), and with `gate.caseRegressions: fail` every case whose drop survived the family's correction.
   */
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


/** How many added or removed case ids summary.json lists; the counts cover the rest. */
export const LISTED_CASE_IDS = 50;


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
    const passRate = passRateTest(before, after, bc, ac);
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
