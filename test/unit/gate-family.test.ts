import { describe, expect, it } from 'vitest';
import { GateSchema } from '../../src/config/config-schema.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { compareRuns } from '../../src/gate/judge-comparison.js';
import type { RegressionPolicy } from '../../src/gate/regression-policy.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { ThinkingLevel } from '../../src/core/runware-limits.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { makeCounters, makeRecord } from '../support/builders.js';

/**
 * One test per rule of the gate against a baseline (docs/ci.md), each built so that breaking the rule
 * (dropping Holm, a family per check, ignoring minDrop, letting cases or latency fail by default, the
 * pairing rule, gateOn) turns it red.
 */
const policy = (overrides: Partial<RegressionPolicy> = {}) => GateSchema.parse(overrides);

interface RunSpec {
  cases: number;
  samples: number;
  /** Passing samples of case i. */
  passes: (i: number) => number;
  levels?: ThinkingLevel[];
  record?: (i: number, s: number) => Partial<SampleRecord>;
  /** Suites whose settings are gated only at these levels. */
  gatedLevels?: ThinkingLevel[];
  prefix?: string;
}

function run({ cases, samples, passes, levels = ['low'], record = () => ({}), gatedLevels, prefix = 'c' }: RunSpec, runId = 'r') {
  const summarizer = new RunSummarizer(() => 0, undefined, () => (gatedLevels ? { thinkingLevel: gatedLevels } : null));
  for (const thinkingLevel of levels) {
    for (let i = 0; i < cases; i++) {
      for (let s = 0; s < samples; s++) {
        summarizer.add(makeRecord({ case: `${prefix}${i}`, trialId: `${thinkingLevel}${i}`, thinkingLevel, numberResults: samples, sampleIndex: s, pass: s < passes(i), latencyMs: 1000, costUsd: 0.01, ...record(i, s) }));
      }
    }
  }
  return { runId, ...summarizer.groupsAndCases() };
}

function gateOf(before: ReturnType<typeof run>, after: ReturnType<typeof run>, rules: RegressionPolicy) {
  const comparison = compareRuns(before, after, rules);
  return { comparison, gate: evaluateGate({ groups: after.groups, totals: makeCounters(), maxErrorRate: 1, interrupted: false, comparison, policy: rules }) };
}

describe('the gate against a baseline: one family of tests', () => {
  it('corrects across settings (Holm): three settings each at p ≈ 0.03 fail none', () => {
    // 40 cases, one sample: 6 flip to failing, 1 back: McNemar p = P(X ≥ 6 | Bin(7, ½)) = 8/128 = 0.0625 … use 7 vs 0: p = 1/128.
    const before = run({ cases: 40, samples: 1, passes: () => 1, levels: ['low', 'medium', 'high'] });
    // Each setting: 5 flipped to failing, none back: p = 1/32 = 0.031 alone, 3 × 0.031 = 0.094 adjusted.
    const after = run({ cases: 40, samples: 1, passes: (i) => (i < 5 ? 0 : 1), levels: ['low', 'medium', 'high'] });
    const { comparison, gate } = gateOf(before, after, policy({ maxCostIncrease: null }));
    for (const g of comparison.groups) expect(g.pDrop).toBeCloseTo(1 / 32, 12);
    expect(comparison.family.size).toBe(3);
    expect(comparison.groups.map((g) => g.pDropAdjusted)).toEqual([3 / 32, 3 / 32, 3 / 32]);
    expect(gate.reasons).toEqual([]);
    // One setting alone at the same p fails: the correction, not the data, made the difference.
    const alone = gateOf(run({ cases: 40, samples: 1, passes: () => 1 }), run({ cases: 40, samples: 1, passes: (i) => (i < 5 ? 0 : 1) }), policy({ maxCostIncrease: null }));
    expect(alone.gate.reasons.map((r) => r.code)).toEqual(['REGRESSION']);
  });

  it('puts every check in the same family: a pass-rate drop and a cost rise of one setting share alpha', () => {
    const before = run({ cases: 40, samples: 1, passes: () => 1 });
    const after = run({ cases: 40, samples: 1, passes: (i) => (i < 5 ? 0 : 1) });
    const { comparison, gate } = gateOf(before, after, policy());
    expect(comparison.family).toMatchObject({ size: 2, tests: { passRate: 1, cost: 1, latency: 0, cases: 0 } });
    // p = 1/32 alone would fail at 0.05; in a family of two it is 1/16.
    expect(comparison.groups[0]!.pDropAdjusted).toBeCloseTo(2 / 32, 12);
    expect(gate.reasons).toEqual([]);
  });

  it('never fails a significant drop smaller than minDrop, and fails the same drop when minDrop allows it', () => {
    // 2,000 cases, 30 flipped to failing: a 1.5-point drop, p ≈ 1e-9.
    const before = run({ cases: 2000, samples: 1, passes: () => 1 });
    const after = run({ cases: 2000, samples: 1, passes: (i) => (i < 30 ? 0 : 1) });
    const strict = gateOf(before, after, policy({ maxCostIncrease: null }));
    expect(strict.comparison.groups[0]!.pDropAdjusted).toBeLessThan(1e-6);
    expect(strict.gate.reasons).toEqual([]);
    expect(gateOf(before, after, policy({ maxCostIncrease: null, minDrop: 0.01 })).gate.reasons.map((r) => r.code)).toEqual(['REGRESSION']);
  });

  it('fails a drop past maxDrop without a test (a hard limit outside the budget, off by default)', () => {
    const before = run({ cases: 4, samples: 1, passes: () => 1 });
    const after = run({ cases: 4, samples: 1, passes: (i) => (i < 2 ? 0 : 1) });
    expect(gateOf(before, after, policy()).gate.reasons).toEqual([]);
    expect(gateOf(before, after, policy({ maxDrop: 0.3 })).gate.reasons.map((r) => r.code)).toEqual(['REGRESSION']);
  });
});

describe('the gate against a baseline: cases', () => {
  const before = run({ cases: 30, samples: 12, passes: () => 12 });
  const after = run({ cases: 30, samples: 12, passes: (i) => (i === 0 ? 0 : 12) });

  it('reports a case that passed every sample and now fails every one, without failing the run by default', () => {
    const { comparison, gate } = gateOf(before, after, policy({ maxCostIncrease: null }));
    expect(comparison.regressedCases.map((c) => c.case)).toEqual(['c0']);
    expect(gate.reasons).toEqual([]);
    expect(gate.notices).toEqual([expect.objectContaining({ code: 'CASE_REGRESSION', message: 's/c0 · openai-gpt-5-5 · low · n=12: passed 12/12 in the baseline, 0/12 now' })]);
  });

  it('with caseRegressions: fail, fails a case whose drop survives correction over every case tested', () => {
    const { comparison, gate } = gateOf(before, after, policy({ maxCostIncrease: null, caseRegressions: 'fail' }));
    // 1 pass-rate test + 30 case tests; Fisher's p for 12/12 → 0/12 is 1/C(24,12) ≈ 3.7e-7.
    expect(comparison.family).toMatchObject({ size: 31, tests: { cases: 30 } });
    expect(gate.reasons.map((r) => r.code)).toEqual(['CASE_REGRESSION']);
    // 2/2 → 0/2 is listed, yet with p = 1/6 it never survives: it stays a notice.
    const small = gateOf(run({ cases: 30, samples: 2, passes: () => 2 }), run({ cases: 30, samples: 2, passes: (i) => (i === 0 ? 0 : 2) }), policy({ maxCostIncrease: null, caseRegressions: 'fail' }));
    expect(small.comparison.regressedCases).toHaveLength(1);
    expect(small.gate.reasons).toEqual([]);
    expect(small.gate.notices!.map((n) => n.code)).toContain('CASE_REGRESSION');
  });

  it('lists as regressed only a case that passed every sample and now fails every one, with caseMinSamples on each side', () => {
    const b = run({ cases: 4, samples: 2, passes: () => 2 });
    // c0: 2/2 → 0/2 (regressed); c1: 2/2 → 1/2 (not); c2, c3 unchanged.
    const a = run({ cases: 4, samples: 2, passes: (i) => [0, 1, 2, 2][i]! });
    expect(compareRuns(b, a, policy()).regressedCases.map((c) => c.case)).toEqual(['c0']);
    const single = compareRuns(run({ cases: 4, samples: 1, passes: () => 1 }), run({ cases: 4, samples: 1, passes: (i) => (i === 0 ? 0 : 1) }), policy());
    expect(single.regressedCases).toEqual([]);
  });
});

describe('the gate against a baseline: latency', () => {
  // Every case 50% slower: a real, consistent rise.
  const before = run({ cases: 30, samples: 2, passes: () => 2, record: (i) => ({ latencyMs: 800 + 20 * i }) });
  const slower = run({ cases: 30, samples: 2, passes: () => 2, record: (i) => ({ latencyMs: (800 + 20 * i) * 1.5 }) });

  it('reports a latency rise but never fails on it by default', () => {
    const { comparison, gate } = gateOf(before, slower, policy({ maxCostIncrease: null }));
    expect(comparison.family.tests.latency).toBe(0);
    expect(comparison.groups[0]!.latencyRatio).toBeCloseTo(1.5, 9);
    expect(gate.reasons).toEqual([]);
    expect(gate.notices!.map((n) => n.code)).toContain('LATENCY_REGRESSION');
  });

  it('with maxLatencyIncrease, fails a significant per-case rise past the limit and quotes the p95 of each run', () => {
    const { comparison, gate } = gateOf(before, slower, policy({ maxCostIncrease: null, maxLatencyIncrease: 0.2 }));
    expect(comparison.family.tests.latency).toBe(1);
    expect(gate.reasons.map((r) => r.code)).toEqual(['LATENCY_REGRESSION']);
    const [b95, a95] = [before.groups[0]!.latencyMs.p95!, slower.groups[0]!.latencyMs.p95!];
    expect(b95).not.toBe(before.groups[0]!.latencyMs.p50);
    expect(gate.reasons[0]!.message).toContain(`p95 ${Math.round(b95)} → ${Math.round(a95)} ms`);
    // +10% is under the limit; +50% under minLatencyIncreaseMs of 1 s is jitter.
    const bit = run({ cases: 30, samples: 2, passes: () => 2, record: (i) => ({ latencyMs: (800 + 20 * i) * 1.1 }) });
    expect(gateOf(before, bit, policy({ maxCostIncrease: null, maxLatencyIncrease: 0.2 })).gate.reasons).toEqual([]);
    expect(gateOf(before, slower, policy({ maxCostIncrease: null, maxLatencyIncrease: 0.2, minLatencyIncreaseMs: 1000 })).gate.reasons).toEqual([]);
  });

  it('below latencyMinSamples on a side, reports and never tests', () => {
    const { comparison, gate } = gateOf(before, slower, policy({ maxCostIncrease: null, maxLatencyIncrease: 0.2, latencyMinSamples: 61 }));
    expect(comparison.family.tests.latency).toBe(0);
    expect(gate.reasons).toEqual([]);
  });

  it('is not fooled by noise: latencies drawn from one distribution do not fail', () => {
    const noisy = (seed: number) => run({ cases: 40, samples: 2, passes: () => 2, record: (i, s) => ({ latencyMs: 500 * Math.exp(Math.sin(seed * 97 + i * 13 + s * 7) * 0.6) }) });
    const { comparison, gate } = gateOf(noisy(1), noisy(2), policy({ maxCostIncrease: null, maxLatencyIncrease: 0.2 }));
    expect(comparison.groups[0]!.pLatencyRise).toBeGreaterThan(0.05);
    expect(gate.reasons).toEqual([]);
  });
});

describe('the gate against a baseline: pairing', () => {
  it('pairs by case only when the runs share at least 80% of their cases', () => {
    const before = run({ cases: 20, samples: 2, passes: () => 2 });
    // 18 of 20 shared: paired.
    const most = { ...run({ cases: 20, samples: 2, passes: () => 2 }) };
    most.cases = most.cases.map((c) => (c.case === 'c0' || c.case === 'c1' ? { ...c, case: `${c.case}-new` } : c));
    expect(compareRuns(before, most, policy()).groups[0]!.test).toMatch(/^paired/);
    // 10 of 20 shared: the pairs would leave half the evidence out, so the test is unpaired.
    const half = run({ cases: 20, samples: 2, passes: () => 2, prefix: 'd' });
    half.cases = half.cases.map((c, i) => (i < 10 ? { ...c, case: `c${i}` } : c));
    expect(compareRuns(before, half, policy()).groups[0]!.test).toMatch(/fisher|two-proportion/);
  });
});

describe('gateOn: the gate judges the settings a product ships', () => {
  it('never fails a setting that is not gated, below its threshold or regressed, and still gives it a verdict', () => {
    const before = run({ cases: 40, samples: 1, passes: () => 1, levels: ['none', 'medium'], gatedLevels: ['medium'] });
    const after = run({ cases: 40, samples: 1, passes: (i) => (i < 20 ? 0 : 1), levels: ['none'], gatedLevels: ['medium'] });
    const medium = run({ cases: 40, samples: 1, passes: () => 1, levels: ['medium'], gatedLevels: ['medium'] });
    const both = { runId: 'r', groups: [...after.groups, ...medium.groups].map((g) => ({ ...g, threshold: 0.9 })), cases: [...after.cases, ...medium.cases] };
    const { comparison, gate } = gateOf(before, both, policy({ maxCostIncrease: null }));
    const none = comparison.groups.find((g) => g.thinkingLevel === 'none')!;
    expect(none).toMatchObject({ gated: false, verdict: 'worse', regressions: [] });
    expect(comparison.family.size).toBe(1);
    expect(gate).toMatchObject({ passed: true, exitCode: 0, reasons: [] });
    // Gated, the same drop and rate fail twice over.
    const all = { ...both, groups: both.groups.map((g) => ({ ...g, gated: true })) };
    const ungated = gateOf(before, all, policy({ maxCostIncrease: null }));
    expect(ungated.gate.reasons.map((r) => r.code).sort()).toEqual(['BELOW_THRESHOLD', 'REGRESSION']);
  });
});

describe('power said out loud', () => {
  it('states the smallest drop each gated setting can detect with 80% power, from its cases and samples', () => {
    // 100 cases, one sample each, 80 passing: p̄ = 80.5 / 101, V = 100 × p̄(1 − p̄) × 2, SE = √V / 100.
    const before = run({ cases: 100, samples: 1, passes: (i) => (i % 5 ? 1 : 0) });
    const pooled = 80.5 / 101;
    const se = Math.sqrt(100 * pooled * (1 - pooled) * 2) / 100;
    const { comparison } = gateOf(before, before, policy({ maxCostIncrease: null }));
    expect(comparison.groups[0]!.minDetectableDrop).toBeCloseTo((1.6448536 + 0.8416212) * se, 5);
    // Two tests in the family: each is held to α / 2.
    const two = gateOf(before, before, policy()).comparison;
    expect(two.groups[0]!.minDetectableDrop).toBeCloseTo((1.959964 + 0.8416212) * se, 5);
    // A baseline where every case passed still has a drop it cannot see: never 0.
    const perfect = run({ cases: 100, samples: 2, passes: () => 2 });
    expect(gateOf(perfect, perfect, policy()).comparison.groups[0]!.minDetectableDrop).toBeGreaterThan(0.005);
    // More samples per case see smaller drops.
    const more = run({ cases: 100, samples: 4, passes: (i) => [4, 3, 4, 2, 4][i % 5]! });
    expect(gateOf(more, more, policy()).comparison.groups[0]!.minDetectableDrop!).toBeLessThan(two.groups[0]!.minDetectableDrop!);
  });

  it('says when a suite is too small to see the drop that matters, and fails on it only with requirePower', () => {
    const before = run({ cases: 10, samples: 1, passes: (i) => (i % 5 ? 1 : 0) });
    const told = gateOf(before, before, policy({ minDrop: 0.05 })).gate;
    expect(told.reasons).toEqual([]);
    expect(told.notices).toEqual([expect.objectContaining({ code: 'UNDERPOWERED', message: expect.stringMatching(/detects a drop of \d+ points or more \(80% power, 10 paired cases\); gate.minDrop is 5.0 points/) })]);
    const required = gateOf(before, before, policy({ minDrop: 0.05, requirePower: true })).gate;
    expect(required).toMatchObject({ exitCode: 1, reasons: [expect.objectContaining({ code: 'UNDERPOWERED' })] });
    // A suite big enough for the drop says nothing.
    const big = run({ cases: 4000, samples: 1, passes: (i) => (i % 5 ? 1 : 0) });
    expect(gateOf(big, big, policy({ minDrop: 0.05 })).gate.notices).toEqual([]);
  });
});

describe('advice that knows the family', () => {
  it('holds each test to alpha over the family size, and grows with per-case tests to a fixed point', async () => {
    const { casesNeeded, testsPerSetting } = await import('../../src/gate/cases-needed.js');
    const { casesToDetectDrop } = await import('../../src/results/sample-size.js');
    expect(testsPerSetting(policy(), 100)).toBe(2);
    expect(testsPerSetting(policy({ maxLatencyIncrease: 0.2, caseRegressions: 'fail' }), 100)).toBe(103);
    expect(casesNeeded(0.9, 0.8, policy(), 0.8)).toBe(casesToDetectDrop(0.9, 0.8, 0.025, 0.8));
    expect(casesNeeded(0.9, 0.8, policy(), 0.8, 3)).toBe(casesToDetectDrop(0.9, 0.8, 0.05 / 6, 0.8));
    const n = casesNeeded(0.9, 0.8, policy({ caseRegressions: 'fail' }), 0.8);
    expect(n).toBe(casesToDetectDrop(0.9, 0.8, 0.05 / (2 + n), 0.8));
  });
});

describe('power at a handful of cases', () => {
  it('says no drop can be significant when the exact test cannot reach its level at all', () => {
    // 3 cases: the smallest sign-flip p is 1/8, above α / 2.
    const few = run({ cases: 3, samples: 2, passes: () => 2 });
    const { comparison, gate } = gateOf(few, few, policy());
    expect(comparison.groups[0]!.minDetectableDrop).toBe(1);
    expect(gate.notices).toEqual([expect.objectContaining({ code: 'UNDERPOWERED', message: expect.stringContaining('with 3 paired cases no drop, however large, can be significant in a family of 2') })]);
    // Six cases can reach 1/64 < 0.025.
    const six = run({ cases: 6, samples: 2, passes: () => 2 });
    expect(gateOf(six, six, policy()).comparison.groups[0]!.minDetectableDrop).toBeLessThan(1);
  });
});

describe('the drop the gate weighs is the drop its test measured (review findings)', () => {
  it('fails a paired regression even when the whole groups\' rates, weighted by completed samples, seem to rise', async () => {
    const { makeErroredRecord } = await import('../support/builders.js');
    // Baseline: cases 0–29 pass their one completed sample of 4 (3 errored), cases 30–59 fail 4 of 4.
    // Now: cases 0–29 fail 4 of 4, cases 30–59 pass 2 of 4. Per case that is a 50-point mean drop;
    // by completed samples the group went from 30/150 to 60/240, a "rise".
    const build = (runId: string, sample: (i: number, s: number) => 'pass' | 'fail' | 'error') => {
      const summarizer = new RunSummarizer(() => 0);
      for (let i = 0; i < 60; i++) {
        for (let s = 0; s < 4; s++) {
          const kind = sample(i, s);
          const base = { case: `c${i}`, trialId: `t${i}`, numberResults: 4, sampleIndex: s, latencyMs: 1000, costUsd: 0.01 };
          summarizer.add(kind === 'error' ? makeErroredRecord(base) : makeRecord({ ...base, pass: kind === 'pass' }));
        }
      }
      return { runId, ...summarizer.groupsAndCases() };
    };
    const before = build('b', (i, s) => (i < 30 ? (s === 0 ? 'pass' : 'error') : 'fail'));
    const after = build('a', (i, s) => (i < 30 ? 'fail' : s < 2 ? 'pass' : 'fail'));
    const { comparison, gate } = gateOf(before, after, policy({ maxCostIncrease: null }));
    const g = comparison.groups[0]!;
    expect(g.drop!).toBeLessThan(0);
    expect(g.testedDrop).toBeCloseTo(0.25, 12);
    expect(g).toMatchObject({ verdict: 'worse', regressions: ['passRate'] });
    expect(gate.reasons.map((r) => r.code)).toEqual(['REGRESSION']);
  });

  it('states no paired power for an unpaired comparison', () => {
    const before = run({ cases: 10, samples: 2, passes: () => 2 });
    const after = run({ cases: 14, samples: 2, passes: () => 2, prefix: 'd' });
    after.cases = after.cases.map((c, i) => (i < 10 ? { ...c, case: `c${i}` } : c));
    const g = compareRuns(before, after, policy()).groups[0]!;
    expect(g.test).toMatch(/fisher|two-proportion/);
    expect(g.minDetectableDrop).toBeNull();
  });

  it('never fails a setting that is not gated for having no completed sample; errors past maxErrorRate still do', () => {
    const groups = [
      { ...run({ cases: 2, samples: 1, passes: () => 1 }).groups[0]!, gated: false, passRate: null, passed: 0, failed: 0, errored: 2 },
      { ...run({ cases: 2, samples: 1, passes: () => 1, levels: ['high'] }).groups[0]! },
    ];
    const verdict = evaluateGate({ groups, totals: makeCounters({ samples: 4, errored: 2 }), maxErrorRate: 1, interrupted: false });
    expect(verdict).toMatchObject({ passed: true, exitCode: 0, reasons: [] });
    expect(verdict.notices!.map((n) => n.code)).toEqual(['NO_COMPLETED_SAMPLES']);
  });

  it('says why a latency rise was not tested when latency is gated but the samples are too few', () => {
    const before = run({ cases: 10, samples: 1, passes: () => 1, record: (i) => ({ latencyMs: 800 + 20 * i }) });
    const slower = run({ cases: 10, samples: 1, passes: () => 1, record: (i) => ({ latencyMs: (800 + 20 * i) * 1.5 }) });
    const { gate } = gateOf(before, slower, policy({ maxCostIncrease: null, maxLatencyIncrease: 0.2 }));
    expect(gate.reasons).toEqual([]);
    expect(gate.notices!.find((n) => n.code === 'LATENCY_REGRESSION')!.message).toContain('fewer than gate.latencyMinSamples samples on a side (10 before, 10 now)');
  });
});

describe('a case that fails the gate is named', () => {
  it('lists and fails a case whose drop survives correction even when it did not go from all to none (12/12 → 1/12)', () => {
    const before = run({ cases: 30, samples: 12, passes: () => 12 });
    const after = run({ cases: 30, samples: 12, passes: (i) => (i === 0 ? 1 : 12) });
    const { comparison, gate } = gateOf(before, after, policy({ maxCostIncrease: null, caseRegressions: 'fail' }));
    expect(comparison.regressedCases.map((c) => c.case)).toEqual(['c0']);
    expect(gate.reasons).toEqual([expect.objectContaining({ code: 'CASE_REGRESSION', message: 's/c0 · openai-gpt-5-5 · low · n=12: passed 12/12 in the baseline, 1/12 now' })]);
  });
});
