import { settingKey, settingOf, type Setting } from '../core/setting.js';
import type { CaseSummary } from '../results/group-summary.js';
import { minDetectableDrop } from '../results/sample-size.js';
import { completedOf, powerInputs } from '../results/setting-change-tests.js';
import { BettingTest } from '../stats/betting-test.js';
import { STATED_POWER, type RegressionPolicy } from './regression-policy.js';
import type { SequentialSettingPlan } from './sequential-monitor.js';

/** What sequential sampling needs to know of a trial: its setting and case. */
export interface SequentialTrial {
  suite: string;
  caseId: string;
  setting: Omit<Setting, 'suite'>;
}

export interface SequentialPlanInput {
  /** This invocation's trials, in case order (plan/order-cases.ts). */
  trials: readonly SequentialTrial[];
  /**
   * The whole plan: every suite, sequential or not, every shard. The gate judges them all in one
   * family, so the families' sizes are counted over it. Default: `trials`.
   */
  plan?: readonly SequentialTrial[];
  /** Does the suite sample until decided (`--until-decided`, its `untilDecided`, the config's `sequential.untilDecided`)? */
  isSequential: (suite: string) => boolean;
  isGated: (setting: Setting) => boolean;
  threshold: (suite: string) => number;
  /** The baseline's cases, with `--baseline`. */
  baselineCases?: readonly CaseSummary[];
  policy: Pick<RegressionPolicy, 'minDrop' | 'maxCostIncrease' | 'maxLatencyIncrease' | 'caseRegressions'>;
  /** gate.alpha, or alpha ÷ k for one of k shards. */
  alpha: number;
}

/**
 * The settings a sequential run watches, with their cases in order, the e-value each test needs
 * (its family's size ÷ alpha) and, against a baseline, each shared case's rate before and the drop
 * below which `not-regressed` is decided.
 *
 * Families, counted over the whole plan (every suite and shard, whatever this invocation runs): the
 * threshold tests of the gated sequential settings share alpha (Bonferroni), as do those of the
 * settings not gated. A regression test shares alpha with a bound on the gate's whole baseline family:
 * for every gated setting of the plan, sequential or not, a pass-rate test, a cost and a latency test
 * each when switched on, and with `caseRegressions: fail` a test per case. So a regression decided here
 * has an anytime-valid p-value under alpha ÷ (family size), which the gate's Holm correction always keeps.
 *
 * `futilityDrop` is the drop the fixed plan could detect with 80% power at that same level
 * (results/sample-size.ts), and never less than gate.minDrop: stopping when the drop is shown to be
 * smaller gives up at most the power the full plan had.
 */
export function planSequential(input: SequentialPlanInput): SequentialSettingPlan[] {
  const settings = new Map<string, { setting: Setting; cases: Map<string, number>; samplesPerCase: Map<string, number> }>();
  for (const trial of input.trials) {
    if (!input.isSequential(trial.suite)) continue;
    const setting = settingOf({ ...trial.setting, suite: trial.suite });
    const key = settingKey(setting);
    let entry = settings.get(key);
    if (!entry) settings.set(key, (entry = { setting, cases: new Map(), samplesPerCase: new Map() }));
    entry.cases.set(trial.caseId, (entry.cases.get(trial.caseId) ?? 0) + 1);
    entry.samplesPerCase.set(trial.caseId, (entry.samplesPerCase.get(trial.caseId) ?? 0) + setting.numberResults);
  }
  const baseline = new Map<string, CaseSummary[]>();
  for (const c of input.baselineCases ?? []) {
    const key = settingKey(c);
    baseline.set(key, [...(baseline.get(key) ?? []), c]);
  }
  const entries = [...settings.values()].map((e) => ({ ...e, gated: input.isGated(e.setting), before: (baseline.get(settingKey(e.setting)) ?? []).filter((c) => completedOf(c) > 0 && e.cases.has(c.case)) }));
  const perSetting = 1 + (input.policy.maxCostIncrease !== null ? 1 : 0) + (input.policy.maxLatencyIncrease !== null ? 1 : 0);
  const counts = familyCounts(input.plan ?? input.trials, input);
  const levels = (gated: boolean) => {
    const members = gated ? counts.gated : counts.ungated;
    const cases = input.policy.caseRegressions === 'fail' && gated ? members.cases : 0;
    return { threshold: Math.max(1, members.sequentialSettings) / input.alpha, regression: Math.max(1, members.settings * perSetting + cases) / input.alpha };
  };
  const familyLevels = { gated: levels(true), ungated: levels(false) };
  return entries.map((e): SequentialSettingPlan => {
    const plan: SequentialSettingPlan = {
      ...e.setting,
      gated: e.gated,
      threshold: input.threshold(e.setting.suite),
      cases: [...e.cases].map(([id, trials]) => ({ id, trials })),
      levels: e.gated ? familyLevels.gated : familyLevels.ungated,
    };
    if (e.before.length === 0) return plan;
    const planned = e.before.map((c) => ({ case: c.case, passed: e.samplesPerCase.get(c.case)!, failed: 0 }));
    const detectable = minDetectableDrop(powerInputs(e.before, planned), 1 / plan.levels.regression, STATED_POWER) ?? 1;
    return {
      ...plan,
      baselineRates: new Map(e.before.map((c) => [c.case, c.passed / completedOf(c)])),
      futilityDrop: Math.max(input.policy.minDrop, detectable),
    };
  });
}

/** Per kind of setting (gated or not) over the whole plan: settings, those sampled until decided, and cases at them. */
function familyCounts(plan: readonly SequentialTrial[], input: Pick<SequentialPlanInput, 'isSequential' | 'isGated'>) {
  const seen = new Map<string, { gated: boolean; sequential: boolean; cases: Set<string> }>();
  for (const trial of plan) {
    const setting = settingOf({ ...trial.setting, suite: trial.suite });
    const key = settingKey(setting);
    let entry = seen.get(key);
    if (!entry) seen.set(key, (entry = { gated: input.isGated(setting), sequential: input.isSequential(trial.suite), cases: new Set() }));
    entry.cases.add(trial.caseId);
  }
  const count = (gated: boolean) => {
    const members = [...seen.values()].filter((e) => e.gated === gated);
    return { settings: members.length, sequentialSettings: members.filter((e) => e.sequential).length, cases: members.reduce((n, e) => n + e.cases.size, 0) };
  };
  return { gated: count(true), ungated: count(false) };
}

/**
 * The fewest cases a setting needs to decide each way, in the best case (every case passing every
 * sample, or failing every one): a suite with fewer can only run out of cases. Null: not within `cap`.
 */
export function fewestCasesToDecide(threshold: number, level: number, cap = 10_000): { above: number | null; below: number | null } {
  const fewest = (direction: 'above' | 'below', observation: number) => {
    const test = new BettingTest(threshold, direction, [0, 1]);
    for (let n = 1; n <= cap; n++) {
      test.observe(observation);
      if (test.reached(level)) return n;
    }
    return null;
  };
  return { above: fewest('above', 1), below: fewest('below', 0) };
}
