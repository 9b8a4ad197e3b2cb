import { GateSchema } from '../../src/config/config-schema.js';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { regressionReasons } from '../../src/gate/regression-reasons.js';
import { compareRuns } from '../../src/gate/judge-comparison.js';
import { LISTED_CASE_IDS } from '../../src/results/compare-runs.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { makeRecord } from '../support/builders.js';

const POLICY = GateSchema.parse({ alpha: 0.05, minDrop: 0.02, maxDrop: null, maxCostIncrease: 0.2, maxLatencyIncrease: 0.2, minLatencyIncreaseMs: 100, caseMinSamples: 2 });

/** A run of `cases` cases × `k` samples where case i passes its first passes(i) samples. */
function run(cases: number, k: number, passes: (i: number) => number, overrides: Partial<SampleRecord> = {}, runId = 'r') {
  const summarizer = new RunSummarizer(() => 0);
  for (let i = 0; i < cases; i++) {
    for (let s = 0; s < k; s++) summarizer.add(makeRecord({ case: `c${i}`, trialId: `t${i}`, numberResults: k, sampleIndex: s, pass: s < passes(i), ...overrides }));
  }
  return { runId, ...summarizer.groupsAndCases() };
}

describe('compareRuns', () => {
  it('finds no regression when nothing changed', () => {
    const before = run(30, 1, (i) => (i % 5 ? 1 : 0));
    const result = compareRuns(before, run(30, 1, (i) => (i % 5 ? 1 : 0)), POLICY);
    expect(result.groups[0]).toMatchObject({ test: 'mcnemar-exact', pairedCases: 30, drop: 0, pDrop: 1, verdict: 'same', regressions: [] });
  });

  it('pairs cases with one sample each by McNemar: 10 flipped to failing, none back', () => {
    const before = run(30, 1, () => 1);
    const after = run(30, 1, (i) => (i < 10 ? 0 : 1));
    const [group] = compareRuns(before, after, POLICY).groups;
    expect(group!.test).toBe('mcnemar-exact');
    expect(group!.pDrop).toBeCloseTo(1 / 1024, 12);
    expect(group!).toMatchObject({ verdict: 'worse', regressions: ['passRate'] });
    expect(group!.drop).toBeCloseTo(1 / 3, 12);
  });

  it('pairs cases with several samples by their per-case differences', () => {
    const before = run(12, 4, () => 4);
    const after = run(12, 4, (i) => (i < 8 ? 2 : 4));
    const [group] = compareRuns(before, after, POLICY).groups;
    expect(group!.test).toBe('paired-permutation');
    // 8 cases dropped by the same amount, 4 did not change: 1 of 2^8 sign patterns is as low.
    expect(group!.pDrop).toBeCloseTo(1 / 256, 12);
  });

  it('falls back to unpaired tests when the cases differ', () => {
    const before = run(10, 1, () => 1);
    const after = { ...run(10, 1, (i) => (i < 5 ? 0 : 1)), cases: run(10, 1, (i) => (i < 5 ? 0 : 1)).cases.map((c) => ({ ...c, case: `new-${c.case}` })) };
    const [group] = compareRuns(before, after, POLICY).groups;
    expect(group!.test).toBe('fisher-exact');
    expect(group!.pairedCases).toBe(0);
  });

  it('never fails a drop below the practical tolerance, and always one above maxDrop', () => {
    const before = run(200, 1, () => 1);
    const slightly = run(200, 1, (i) => (i < 3 ? 0 : 1)); // −1.5 points, significant with 200 pairs? p = 1/8
    expect(compareRuns(before, slightly, { ...POLICY, minDrop: 0.02 }).groups[0]!.regressions).toEqual([]);
    const noisy = run(4, 1, (i) => (i < 2 ? 0 : 1)); // −50 points on 4 cases: not significant
    expect(compareRuns(run(4, 1, () => 1), noisy, POLICY).groups[0]!.regressions).toEqual([]);
    expect(compareRuns(run(4, 1, () => 1), noisy, { ...POLICY, maxDrop: 0.3 }).groups[0]!.regressions).toEqual(['passRate']);
  });

  it('fails a cost rise past its limit only when it is significant, and never without a test (older baselines: reported)', () => {
    // One sample per case; case i costs cost(i). `prefix` names the cases, so two runs can share them or not.
    const costly = (cases: number, cost: (i: number) => number, prefix = 'c') => {
      const summarizer = new RunSummarizer(() => 0);
      for (let i = 0; i < cases; i++) summarizer.add(makeRecord({ case: `${prefix}${i}`, trialId: `${prefix}${i}`, costUsd: cost(i) }));
      return { runId: 'r', ...summarizer.groupsAndCases() };
    };
    const spread = (mean: number) => (i: number) => mean * (i % 2 ? 0.2 : 1.8);
    // +25% on 10 noisy samples of other cases: past the +20% limit, but noise could do that.
    const few = compareRuns(costly(10, spread(0.01)), costly(10, spread(0.0125), 'd'), POLICY).groups[0]!;
    expect(few.after.costPerSampleUsd! / few.before.costPerSampleUsd!).toBeCloseTo(1.25, 9);
    expect(few).toMatchObject({ costTest: 'welch-z', regressions: [] });
    expect(few.pCostRiseAdjusted!).toBeGreaterThan(0.05);
    // The same +25% on 2,000 samples is no accident.
    const many = compareRuns(costly(2000, spread(0.01)), costly(2000, spread(0.0125), 'd'), POLICY);
    expect(many.groups[0]!.pCostRiseAdjusted!).toBeLessThan(0.001);
    expect(many.groups[0]!.regressions).toEqual(['cost']);
    expect(regressionReasons(many, POLICY).reasons.map((r) => r.message)).toEqual([expect.stringMatching(/cost per sample .* → .* \(\+25%\) \(welch-z, Holm-adjusted over 2 tests p = [\d.e-]+\)$/)]);
    // The same 10 cases, each 25% dearer: paired, the case-to-case spread cancels and every case rose (p = 2^-10).
    const paired = compareRuns(costly(10, spread(0.01)), costly(10, spread(0.0125)), POLICY).groups[0]!;
    expect(paired).toMatchObject({ costTest: 'paired-permutation', regressions: ['cost'] });
    // In one family with the pass-rate test (p = 1): Holm doubles the smallest p.
    expect(paired.pCostRiseAdjusted).toBeCloseTo(2 / 1024, 12);
    // The same cases, 25% dearer on average but not case by case: no regression.
    const shuffled = compareRuns(costly(10, spread(0.01)), costly(10, (i) => spread(0.0125)(i + 1)), POLICY).groups[0]!;
    expect(shuffled.after.costPerSampleUsd! / shuffled.before.costPerSampleUsd!).toBeCloseTo(1.25, 9);
    expect(shuffled).toMatchObject({ costTest: 'paired-permutation', regressions: [] });
    // A baseline written before intervals and per-case costs were recorded: no test, so reported, never failed.
    const old = costly(10, spread(0.01));
    for (const g of old.groups) delete g.costPerSampleCi95;
    for (const c of old.cases) delete c.costPerSampleUsd;
    const legacy = compareRuns(old, costly(10, spread(0.0125)), POLICY).groups[0]!;
    expect(legacy).toMatchObject({ costTest: 'none', pCostRiseAdjusted: null, regressions: [] });
  });

  it('adjusts cost p-values over the settings actually tested, not those without a test', () => {
    const twoSettings = (cost: number, withIntervals: boolean) => {
      const summarizer = new RunSummarizer(() => 0);
      for (let i = 0; i < 10; i++) {
        for (const thinkingLevel of ['low', 'high'] as const) summarizer.add(makeRecord({ case: `c${i}`, trialId: `${thinkingLevel}${i}`, thinkingLevel, costUsd: cost * (i % 2 ? 0.5 : 1.5) }));
      }
      const run = { runId: 'r', ...summarizer.groupsAndCases() };
      if (!withIntervals) {
        for (const g of run.groups.filter((g) => g.thinkingLevel === 'high')) delete g.costPerSampleCi95;
        for (const c of run.cases.filter((c) => c.thinkingLevel === 'high')) delete c.costPerSampleUsd;
      }
      return run;
    };
    const groups = compareRuns(twoSettings(0.01, false), twoSettings(0.013, true), POLICY).groups;
    const low = groups.find((g) => g.thinkingLevel === 'low')!;
    expect(groups.find((g) => g.thinkingLevel === 'high')!.costTest).toBe('none');
    // Three tests in the family (two pass rates, one cost): the setting without a cost test adds none.
    expect(low.pCostRiseAdjusted).toBeCloseTo(3 / 1024, 12);
  });

  it('flags cost and p95 latency rises past their limits', () => {
    const before = run(20, 2, () => 2, { costUsd: 0.01, latencyMs: 1000 });
    const after = run(20, 2, () => 2, { costUsd: 0.013, latencyMs: 1300 });
    expect(compareRuns(before, after, POLICY).groups[0]!.regressions).toEqual(['cost', 'latency']);
    const jitter = run(20, 2, () => 2, { costUsd: 0.01, latencyMs: 3 });
    expect(compareRuns(run(20, 2, () => 2, { costUsd: 0.01, latencyMs: 1 }), jitter, POLICY).groups[0]!.regressions).toEqual([]);
  });

  it('reports cases that flipped consistently, and new and removed settings', () => {
    const before = run(5, 2, (i) => (i === 0 ? 2 : i === 1 ? 0 : 1));
    const after = run(5, 2, (i) => (i === 0 ? 0 : i === 1 ? 2 : 1));
    const result = compareRuns(before, after, POLICY);
    expect(result.regressedCases.map((c) => c.case)).toEqual(['c0']);
    expect(result.fixedCases.map((c) => c.case)).toEqual(['c1']);
    const other = run(5, 2, () => 2, { thinkingLevel: 'high' });
    const changed = compareRuns(before, other, POLICY);
    expect(changed.addedGroups).toEqual(['s · openai-gpt-5-5 · high · n=2']);
    expect(changed.removedGroups).toEqual(['s · openai-gpt-5-5 · low · n=2']);
  });

  it('lists new and removed case ids, capped, without counting a new setting\'s cases as new', () => {
    const renamed = (r: ReturnType<typeof run>, rename: (id: string) => string) => ({ ...r, cases: r.cases.map((c) => ({ ...c, case: rename(c.case) })) });
    const before = run(60, 1, () => 1);
    // c0–c2 kept; c3–c59 renamed: 57 removed, 57 added.
    const after = renamed(run(60, 1, () => 1), (id) => (Number(id.slice(1)) < 3 ? id : `n${id.slice(1).padStart(2, '0')}`));
    const result = compareRuns(before, after, POLICY);
    expect(result).toMatchObject({ addedCases: 57, removedCases: 57 });
    expect(result.addedCaseIds).toHaveLength(LISTED_CASE_IDS);
    expect(result.addedCaseIds.slice(0, 2)).toEqual(['s/n03', 's/n04']);
    expect(result.removedCaseIds).toHaveLength(LISTED_CASE_IDS);
    expect(result.removedCaseIds).toContain('s/c10');
    expect(result.removedCaseIds).not.toContain('s/c0');

    const small = compareRuns(run(3, 1, () => 1), run(4, 1, () => 1), POLICY);
    expect(small).toMatchObject({ addedCases: 1, addedCaseIds: ['s/c3'], removedCases: 0, removedCaseIds: [] });
    const withNewSetting = { groups: [...run(3, 1, () => 1).groups, ...run(3, 1, () => 1, { thinkingLevel: 'high' }).groups], cases: [...run(3, 1, () => 1).cases, ...run(3, 1, () => 1, { thinkingLevel: 'high' }).cases] };
    expect(compareRuns(run(3, 1, () => 1), withNewSetting, POLICY)).toMatchObject({ addedGroups: ['s · openai-gpt-5-5 · high · n=1'], addedCases: 0, addedCaseIds: [] });
  });

  it('keeps the family-wise false-alarm rate with Holm across settings', () => {
    const before = { runId: 'b', groups: [...run(30, 1, () => 1).groups, ...run(30, 1, () => 1, { thinkingLevel: 'high' }).groups], cases: [...run(30, 1, () => 1).cases, ...run(30, 1, () => 1, { thinkingLevel: 'high' }).cases] };
    const worse = run(30, 1, (i) => (i < 4 ? 0 : 1));
    const same = run(30, 1, () => 1, { thinkingLevel: 'high' });
    const result = compareRuns(before, { groups: [...worse.groups, ...same.groups], cases: [...worse.cases, ...same.cases] }, POLICY);
    // p = 1/16 alone is above 0.05 anyway; Holm can only raise it.
    expect(result.groups[0]!.pDropAdjusted).toBeGreaterThanOrEqual(result.groups[0]!.pDrop);
  });
});

describe('the gate against a baseline', () => {
  it('passes when cases were only added and removed: they are reported, not failed', () => {
    const before = run(20, 2, () => 2, {}, 'base-1');
    const after = { ...run(20, 2, () => 2), cases: run(20, 2, () => 2).cases.map((c) => (c.case === 'c0' ? { ...c, case: 'brand-new' } : c)) };
    const comparison = compareRuns(before, after, POLICY);
    expect(comparison).toMatchObject({ addedCaseIds: ['s/brand-new'], removedCaseIds: ['s/c0'] });
    const gate = evaluateGate({ groups: after.groups, totals: new RunSummarizer(() => 0).totals(), maxErrorRate: 1, interrupted: false, comparison });
    expect(gate).toMatchObject({ passed: true, exitCode: 0, reasons: [] });
  });

  it('fails with a reason naming the suite, setting, before → after and the p-value', () => {
    const before = run(30, 1, () => 1, {}, 'base-7');
    const after = run(30, 1, (i) => (i < 10 ? 0 : 1));
    const comparison = compareRuns(before, after, POLICY);
    const summarizer = new RunSummarizer(() => 0);
    const gate = evaluateGate({ groups: after.groups, totals: summarizer.totals(), maxErrorRate: 1, interrupted: false, comparison });
    expect(gate.exitCode).toBe(1);
    expect(gate.reasons[0]!.code).toBe('REGRESSION');
    expect(gate.reasons[0]!.message).toBe(
      's · openai-gpt-5-5 · low · n=1: pass rate 100.0% → 66.7% (−33.3 points; mcnemar-exact on 30 paired cases, one-sided p = 0.00098, Holm-adjusted over 3 tests 0.0029) against baseline base-7',
    );
  });
});
