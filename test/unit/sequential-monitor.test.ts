import { describe, expect, it } from 'vitest';
import { fewestCasesToDecide, planSequential, type SequentialTrial } from '../../src/gate/plan-sequential.js';
import { SequentialMonitor, type SequentialSettingPlan } from '../../src/gate/sequential-monitor.js';
import { GateSchema } from '../../src/config/config-schema.js';
import type { CaseSummary } from '../../src/results/group-summary.js';
import { makeRecord } from '../support/builders.js';

const SETTING = { suite: 's', model: 'openai-gpt-5-5', thinkingLevel: 'low' as const, numberResults: 2 };
const OPTIONS = { orderSeed: 1, undecided: 'estimate' as const, maxCases: null, alpha: 0.05, minDrop: 0.02 };

function plan(cases: number, overrides: Partial<SequentialSettingPlan> = {}): SequentialSettingPlan {
  return { ...SETTING, gated: true, threshold: 0.8, cases: Array.from({ length: cases }, (_, i) => ({ id: `c${i}`, trials: 1 })), levels: { threshold: 20, regression: 20 }, ...overrides };
}

/** The two samples of case `i`'s one trial, `passes` of them passing. */
function trialOf(i: number, passes: number, setting = SETTING) {
  return [0, 1].map((k) => makeRecord({ ...setting, case: `c${i}`, trialId: `t${i}`, sampleIndex: k, pass: k < passes }));
}

const trial = { suite: 's', setting: { model: SETTING.model, thinkingLevel: SETTING.thinkingLevel, numberResults: 2 } };

describe('SequentialMonitor', () => {
  it('decides below for a setting that fails every case, then tells the scheduler so', () => {
    const monitor = new SequentialMonitor([plan(100)], OPTIONS);
    let i = 0;
    while (!monitor.isDecided(trial)) monitor.add(trialOf(i++, 0));
    const [group] = monitor.summarize([]).groups;
    expect(group!.thresholdTest.decision).toBe('below');
    expect(group!.verdict).toBe('fails');
    expect(group!.stoppedAtCase).toBe(i);
    expect(i).toBeLessThan(10);
    expect(group!.thresholdTest.eValues.below).toBeGreaterThanOrEqual(20);
  });

  it('weighs cases only in the drawn order: answers that come back early wait for the cases before them', () => {
    const monitor = new SequentialMonitor([plan(100)], OPTIONS);
    // Cases 1…30 land, all failing, before case 0: nothing is observed until case 0 is in.
    for (let i = 1; i <= 30; i++) monitor.add(trialOf(i, 0));
    expect(monitor.isDecided(trial)).toBe(false);
    expect(monitor.summarize([]).groups[0]!.observedCases).toBe(0);
    monitor.add(trialOf(0, 0));
    expect(monitor.isDecided(trial)).toBe(true);
  });

  it('counts a case only once every sample of its trials is in, and skips a case whose samples all errored', () => {
    const monitor = new SequentialMonitor([plan(5, { cases: [{ id: 'c0', trials: 2 }, { id: 'c1', trials: 1 }] })], OPTIONS);
    monitor.add(trialOf(0, 2));
    expect(monitor.summarize([]).groups[0]!.observedCases).toBe(0);
    monitor.add([0, 1].map((k) => makeRecord({ ...SETTING, case: 'c0', trialId: 't0b', repeat: 1, sampleIndex: k, status: 'errored', pass: null })));
    const summary = monitor.summarize([]).groups[0]!;
    expect(summary.observedCases).toBe(1);
    // Two completed samples, both passing: one observation of rate 1.
    expect(summary.thresholdTest.eValues.above).toBeGreaterThan(1);
  });

  it('a gated setting with a baseline passes only once both questions are decided for it', () => {
    const rates = new Map(Array.from({ length: 200 }, (_, i) => [`c${i}`, 1]));
    const monitor = new SequentialMonitor([plan(200, { baselineRates: rates, futilityDrop: 0.1 })], OPTIONS);
    let i = 0;
    let thresholdAt = 0;
    while (!monitor.isDecided(trial) && i < 200) {
      monitor.add(trialOf(i++, 2));
      const g = monitor.summarize([]).groups[0]!;
      if (!thresholdAt && g.thresholdTest.decision === 'above') thresholdAt = i;
    }
    const g = monitor.summarize([]).groups[0]!;
    expect(g.verdict).toBe('passes');
    expect(g.regressionTest!.decision).toBe('not-regressed');
    expect(thresholdAt).toBeGreaterThan(0);
    expect(g.stoppedAtCase).toBe(Math.max(thresholdAt, g.regressionTest!.decidedAtCase!));
  });

  it('asks no "not regressed" question when the full plan could see no drop at all (futilityDrop 1)', () => {
    const rates = new Map(Array.from({ length: 8 }, (_, i) => [`c${i}`, 1]));
    const monitor = new SequentialMonitor([plan(8, { baselineRates: rates, futilityDrop: 1 })], OPTIONS);
    for (let i = 0; i < 8; i++) monitor.add(trialOf(i, 2));
    const g = monitor.summarize([]).groups[0]!;
    expect(g.regressionTest!.decision).toBeNull();
    expect(g.regressionTest!.eValues['not-regressed']).toBe(1);
    expect(g.verdict).toBe('undecided');
  });

  it('a significant drop decides regressed only from gate.minDrop on', () => {
    const rates = new Map(Array.from({ length: 400 }, (_, i) => [`c${i}`, 1]));
    const big = new SequentialMonitor([plan(400, { baselineRates: rates, futilityDrop: 0.1, threshold: 0 })], { ...OPTIONS, minDrop: 0.02 });
    const tiny = new SequentialMonitor([plan(400, { baselineRates: rates, futilityDrop: 0.1, threshold: 0 })], { ...OPTIONS, minDrop: 0.6 });
    for (let i = 0; i < 400; i++) {
      // Half of each case's samples fail now: a drop of 0.5 against a baseline at 1.
      big.add(trialOf(i, 1));
      tiny.add(trialOf(i, 1));
    }
    expect(big.summarize([]).groups[0]!.regressionTest!.decision).toBe('regressed');
    expect(big.pDrop(SETTING)).toBeLessThan(0.05);
    expect(tiny.summarize([]).groups[0]!.regressionTest!.decision).toBeNull();
  });

  it('a setting not gated stops on its threshold alone and never fails on a regression', () => {
    const rates = new Map(Array.from({ length: 100 }, (_, i) => [`c${i}`, 1]));
    const monitor = new SequentialMonitor([plan(100, { gated: false, baselineRates: rates, futilityDrop: 0.05 })], OPTIONS);
    let i = 0;
    while (!monitor.isDecided(trial) && i < 100) monitor.add(trialOf(i++, 2));
    const g = monitor.summarize([]).groups[0]!;
    expect(g.verdict).toBe('passes');
    expect(g.regressionTest!.decision).toBeNull();
  });

  it('records what stopping saved: the samples left unsent, priced at the setting\'s cost per sample', () => {
    const monitor = new SequentialMonitor([plan(50)], OPTIONS);
    let i = 0;
    while (!monitor.isDecided(trial)) monitor.add(trialOf(i++, 0));
    // A trial in flight when it was decided lands and is recorded, not weighed.
    monitor.add(trialOf(i++, 2));
    const summary = monitor.summarize([{ suite: 's', model: SETTING.model, thinkingLevel: 'low', numberResults: 2, costPerSampleUsd: 0.01 } as never]);
    expect(summary.groups[0]!.savedSamples).toBe((50 - i) * 2);
    expect(summary.groups[0]!.savedCostUsd).toBeCloseTo((50 - i) * 2 * 0.01, 10);
    expect(summary.totals).toEqual({ plannedSamples: 100, sentSamples: i * 2, savedSamples: (50 - i) * 2, savedCostUsd: expect.closeTo((50 - i) * 0.02, 10) });
    expect(summary.groups[0]!.observedCases).toBe(i);
  });

  it('an undecided setting saves nothing', () => {
    const monitor = new SequentialMonitor([plan(4)], OPTIONS);
    for (let i = 0; i < 4; i++) monitor.add(trialOf(i, i % 2 === 0 ? 2 : 1));
    const g = monitor.summarize([]).groups[0]!;
    expect(g.verdict).toBe('undecided');
    expect(g.savedSamples).toBe(0);
    expect(g.stoppedAtCase).toBeNull();
  });

  it('decides the same from recovered samples in any order as it did live (resume)', () => {
    const outcomes = Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const live = new SequentialMonitor([plan(60)], OPTIONS);
    for (let i = 0; i < 60; i++) live.add(trialOf(i, outcomes[i]!));
    const resumed = new SequentialMonitor([plan(60)], OPTIONS);
    for (let i = 59; i >= 0; i--) for (const r of trialOf(i, outcomes[i]!)) resumed.add([r]);
    const [a, b] = [live.summarize([]).groups[0]!, resumed.summarize([]).groups[0]!];
    expect(b.thresholdTest).toEqual(a.thresholdTest);
    expect(b.stoppedAtCase).toBe(a.stoppedAtCase);
  });
});

describe('planSequential', () => {
  const trials: SequentialTrial[] = ['low', 'high'].flatMap((thinkingLevel) =>
    Array.from({ length: 10 }, (_, i) => ({ suite: 's', caseId: `c${i}`, setting: { model: 'openai-gpt-5-5', thinkingLevel: thinkingLevel as 'low', numberResults: 2 } })),
  );
  const base = { trials, isSequential: () => true, isGated: (s: { thinkingLevel: string }) => s.thinkingLevel === 'high', threshold: () => 0.8, alpha: 0.05 };

  it('shares alpha within each family: gated thresholds, gated regressions (with cost in the family), and the settings not gated apart', () => {
    const baselineCases = trials.map((t) => ({ suite: 's', case: t.caseId, ...t.setting, passed: 2, failed: 0 }) as unknown as CaseSummary);
    const plans = planSequential({ ...base, baselineCases, policy: GateSchema.parse({}) });
    const high = plans.find((p) => p.thinkingLevel === 'high')!;
    const low = plans.find((p) => p.thinkingLevel === 'low')!;
    expect(high.levels.threshold).toBeCloseTo(1 / 0.05, 10);
    // One gated setting: its pass-rate test and its cost test (maxCostIncrease is on by default).
    expect(high.levels.regression).toBeCloseTo(2 / 0.05, 10);
    expect(low.levels.regression).toBeCloseTo(2 / 0.05, 10);
    expect(high.cases).toHaveLength(10);
    expect(high.baselineRates!.get('c3')).toBe(1);
    expect(high.futilityDrop).toBeGreaterThanOrEqual(0.02);
    // With caseRegressions: fail, every compared case of a gated setting joins the family.
    const withCases = planSequential({ ...base, baselineCases, policy: GateSchema.parse({ caseRegressions: 'fail', maxCostIncrease: null }) });
    expect(withCases.find((p) => p.thinkingLevel === 'high')!.levels.regression).toBeCloseTo(11 / 0.05, 10);
  });

  it('leaves out suites that do not sample until decided, and asks no regression question without a baseline', () => {
    expect(planSequential({ ...base, isSequential: () => false, policy: GateSchema.parse({}) })).toEqual([]);
    const plans = planSequential({ ...base, policy: GateSchema.parse({}) });
    expect(plans.every((p) => p.baselineRates === undefined)).toBe(true);
  });
});

describe('fewestCasesToDecide', () => {
  it('is the best case: every case passing (above) or failing (below), more for a higher level or a threshold nearer the edge', () => {
    const at80 = fewestCasesToDecide(0.8, 20);
    expect(at80.above).toBeGreaterThan(10);
    expect(at80.below).toBeLessThan(at80.above!);
    expect(fewestCasesToDecide(0.8, 80).above).toBeGreaterThan(at80.above!);
    expect(fewestCasesToDecide(0.95, 20).above).toBeGreaterThan(at80.above!);
    // A threshold of 100% can never be shown met; one failure shows it missed.
    expect(fewestCasesToDecide(1, 20, 500)).toEqual({ above: null, below: 1 });
  });
});
