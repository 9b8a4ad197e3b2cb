import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GateSchema } from '../../src/config/config-schema.js';
import type { CostEstimate, EstimateGroup } from '../../src/cost/cost-estimate.js';
import { readPassRateHistory, type SettingPassRates } from '../../src/cost/read-pass-rate-history.js';
import { settingKey, type Setting } from '../../src/core/setting.js';
import { estimateSequentialCost } from '../../src/gate/estimate-sequential-cost.js';
import type { SequentialTrial } from '../../src/gate/plan-sequential.js';
import { planSequential } from '../../src/gate/plan-sequential.js';
import { simulateSequentialSpend } from '../../src/gate/simulate-sequential-spend.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

const POLICY = GateSchema.parse({});
const CASES = 100;
const high: Setting = { suite: 's', model: 'm', thinkingLevel: 'high', numberResults: 2 };
const low: Setting = { suite: 's', model: 'm', thinkingLevel: 'low', numberResults: 2 };

function trialsOf(...settings: Setting[]): SequentialTrial[] {
  return settings.flatMap((s) => Array.from({ length: CASES }, (_, i) => ({ suite: s.suite, caseId: `c${i}`, setting: { model: s.model, thinkingLevel: s.thinkingLevel, numberResults: s.numberResults } })));
}

function estimateOf(costs: [Setting, number][]): CostEstimate {
  const groups = costs.map(([s, cost]): EstimateGroup => ({
    ...s, trials: CASES, samples: CASES * s.numberResults, expectedCostUsd: cost, lowCostUsd: cost, highCostUsd: cost, basis: 'history', historyScope: 'setting', historySamples: 10,
    tokenizer: 'approximate', promptCostSource: 'tokenizer', promptTokensPerSample: 10, completionTokens: null, thinkingTokens: null,
  }));
  return { history: { runs: 1, samples: 10 }, totals: { trials: 0, samples: 0, expectedCostUsd: 0, lowCostUsd: 0, highCostUsd: 0 }, groups, unpriced: [] };
}

/** A history of `cases` cases with two samples each, `failing` of them failing both. */
function historyOf(setting: Setting, cases: number, failing: number): [string, SettingPassRates] {
  const list = Array.from({ length: cases }, (_, i) => ({ passed: i < failing ? 0 : 2, completed: 2 }));
  return [settingKey(setting), { runId: 'earlier', passRate: (cases - failing) / cases, cases: list }];
}

const input = (history: Map<string, SettingPassRates>, seed?: number) => ({
  trials: trialsOf(high, low),
  estimate: estimateOf([[high, 2], [low, 1]]),
  history,
  isGated: () => true,
  threshold: () => 0.8,
  policy: POLICY,
  ...(seed !== undefined ? { seed } : {}),
});

describe('estimate --until-decided', () => {
  it('expects a setting far above its threshold to cost well under its fixed plan, and one without history to cost exactly its fixed plan', () => {
    const estimate = estimateSequentialCost(input(new Map([historyOf(high, 50, 1)])));
    const [ofHigh, ofLow] = [estimate.groups.find((g) => g.thinkingLevel === 'high')!, estimate.groups.find((g) => g.thinkingLevel === 'low')!];
    expect(ofHigh).toMatchObject({ basis: 'cases', historyPassRate: 0.98, historyRunId: 'earlier', plannedCases: CASES, plannedSamples: 2 * CASES, fixedCostUsd: 2 });
    expect(ofHigh.expectedFraction).toBeLessThan(0.5);
    expect(ofHigh.expectedCostUsd).toBeCloseTo(2 * ofHigh.expectedFraction, 12);
    expect(ofHigh.samples.mean).toBeCloseTo(2 * ofHigh.cases.mean, 12);
    expect(ofHigh.cases.p90).toBeGreaterThanOrEqual(ofHigh.cases.mean);
    expect(ofHigh.decidedShare).toBeGreaterThan(0.9);
    expect(ofLow).toMatchObject({ basis: 'none', historyPassRate: null, expectedFraction: 1, expectedCostUsd: 1, fixedCostUsd: 1, cases: { mean: CASES, p90: CASES }, decidedShare: 0 });
    expect(estimate.totals).toEqual({ plannedSamples: 4 * CASES, expectedSamples: ofHigh.samples.mean + 2 * CASES, fixedCostUsd: 3, expectedCostUsd: ofHigh.expectedCostUsd + 1 });
    expect(estimate).toMatchObject({ repetitions: 200, seed: 1, alpha: 0.05 });
  });

  it('expects a setting at its threshold to take about every case', () => {
    const estimate = estimateSequentialCost(input(new Map([historyOf(low, 50, 10)])));
    const ofLow = estimate.groups.find((g) => g.thinkingLevel === 'low')!;
    expect(ofLow.historyPassRate).toBe(0.8);
    expect(ofLow.expectedFraction).toBeGreaterThan(0.9);
  });

  it('draws every sample at the setting rate when the history has no cases of it', () => {
    const [key, rates] = historyOf(high, 50, 1);
    const ofHigh = estimateSequentialCost(input(new Map([[key, { ...rates, cases: [] }]]))).groups.find((g) => g.thinkingLevel === 'high')!;
    expect(ofHigh.basis).toBe('rate');
    expect(ofHigh.expectedFraction).toBeLessThan(0.5);
  });

  it('prices a setting without history at the cases a capped run takes (sequential.maxCases), as a share of the fixed plan', () => {
    const capped = trialsOf(high, low).filter((t) => Number(t.caseId.slice(1)) < 40);
    const estimate = estimateSequentialCost({ ...input(new Map([historyOf(high, 50, 1)])), trials: capped });
    const [ofHigh, ofLow] = [estimate.groups.find((g) => g.thinkingLevel === 'high')!, estimate.groups.find((g) => g.thinkingLevel === 'low')!];
    expect(ofLow).toMatchObject({ basis: 'none', plannedCases: 40, plannedSamples: 80, expectedFraction: 0.4, fixedCostUsd: 1, expectedCostUsd: 0.4 });
    expect(ofHigh.cases.p90).toBeLessThanOrEqual(40);
    expect(ofHigh.expectedFraction).toBeCloseTo(ofHigh.samples.mean / (2 * CASES), 12);
  });

  it('is the same for the same seed, and another seed draws other runs', () => {
    const history = new Map([historyOf(high, 50, 3), historyOf(low, 50, 4)]);
    expect(estimateSequentialCost(input(history))).toEqual(estimateSequentialCost(input(history)));
    expect(estimateSequentialCost(input(history, 2)).groups[0]!.samples.mean).not.toBe(estimateSequentialCost(input(history, 1)).groups[0]!.samples.mean);
  });

  it('runs the gate\'s own monitor: a setting decided below stops as soon as the monitor says so', () => {
    // Every case fails: the betting test against 80% decides within a handful of cases.
    const plans = planSequential({ trials: trialsOf(high), isSequential: () => true, isGated: () => true, threshold: () => 0.8, policy: POLICY, alpha: 0.05 });
    const spend = simulateSequentialSpend({ plans, rates: new Map([[settingKey(high), { kind: 'rate', passRate: 0 }]]), alpha: 0.05, minDrop: 0.02, repetitions: 3, seed: 1 }).get(settingKey(high))!;
    expect(new Set(spend.cases).size).toBe(1);
    expect(spend.cases[0]).toBeLessThan(10);
    expect(spend.samples[0]).toBe(spend.cases[0]! * 2);
    expect(spend.decided).toBe(3);
  });
});

describe('seededRandom', () => {
  it('draws the same numbers for the same seed, in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});

describe('readPassRateHistory', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'evalgate-pass-rates-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const run = (name: string, summary: unknown) => {
    const dir = path.join(root, name);
    mkdirSync(dir);
    if (summary !== undefined) writeFileSync(path.join(dir, 'summary.json'), typeof summary === 'string' ? summary : JSON.stringify(summary));
    return dir;
  };
  const group = (s: Setting, passed: number, failed: number) => ({ ...s, passed, failed, passRate: passed + failed > 0 ? passed / (passed + failed) : null });

  it('takes each setting from the newest run that has a completed sample of it, with its cases', () => {
    const newest = run('newest', { schemaVersion: 1, runId: 'new', groups: [group(high, 3, 1), group(low, 0, 0)], cases: [{ ...high, case: 'a', passed: 2, failed: 0 }, { ...high, case: 'b', passed: 1, failed: 1 }, { ...low, case: 'a', passed: 0, failed: 0 }] });
    const killed = run('killed', undefined);
    const broken = run('broken', '{ not json');
    const older = run('older', { schemaVersion: 1, runId: 'old', groups: [group(high, 1, 1), group(low, 1, 3)], cases: [] });
    const history = readPassRateHistory([newest, killed, broken, older]);
    expect(history.get(settingKey(high))).toEqual({ runId: 'new', passRate: 0.75, cases: [{ passed: 2, completed: 2 }, { passed: 1, completed: 2 }] });
    expect(history.get(settingKey(low))).toEqual({ runId: 'old', passRate: 0.25, cases: [] });
    expect(history.size).toBe(2);
  });

  it('prefers a run that took every case over a newer one that stopped the setting early, and takes that one when there is no other', () => {
    const stopped = { schemaVersion: 1, runId: 'seq', groups: [group(high, 9, 1), group(low, 1, 5)], cases: [], sequential: { groups: [{ ...high, savedSamples: 40 }, { ...low, savedSamples: 30 }] } };
    const newest = run('seq', stopped);
    const whole = run('whole', { schemaVersion: 1, runId: 'whole', groups: [group(high, 6, 4)], cases: [] });
    const history = readPassRateHistory([newest, whole]);
    expect(history.get(settingKey(high))!.runId).toBe('whole');
    expect(history.get(settingKey(low))!.runId).toBe('seq');
  });

  it('prefers a whole run over a newer one the budget or an interrupt cut short, and takes that one when there is no other', () => {
    // A run stopped by --max-cost after 6 cases taught estimate --until-decided a 94% rate the whole suite does not have.
    const cut = run('cut', { schemaVersion: 1, runId: 'cut', skipped: { trials: 34, samples: 102 }, groups: [group(high, 17, 1), group(low, 2, 2)], cases: [] });
    const stopped = run('stopped', { schemaVersion: 1, runId: 'stopped', interrupted: true, groups: [group(high, 5, 0)], cases: [] });
    const whole = run('whole2', { schemaVersion: 1, runId: 'whole2', skipped: null, interrupted: false, groups: [group(high, 60, 40)], cases: [] });
    const history = readPassRateHistory([cut, stopped, whole]);
    expect(history.get(settingKey(high))!.runId).toBe('whole2');
    expect(history.get(settingKey(low))!.runId).toBe('cut');
  });
});
