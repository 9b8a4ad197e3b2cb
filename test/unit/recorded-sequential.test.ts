import { describe, expect, it } from 'vitest';
import { recordedSequential } from '../../src/gate/recorded-sequential.js';
import type { SequentialGroup, SequentialSummary } from '../../src/results/sequential-summary.js';

function group(overrides: Partial<SequentialGroup>): SequentialGroup {
  return {
    suite: 's', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 2, gated: true, threshold: 0.8,
    plannedCases: 50, plannedSamples: 100, sentSamples: 44, observedCases: 20, stoppedAtCase: 20, verdict: 'passes',
    thresholdTest: { decision: 'above', decidedAtCase: 20, level: 40, eValues: { above: 50, below: 0.1 }, pValues: { above: 0.02, below: 1 } },
    regressionTest: null, savedSamples: 56, savedCostUsd: 0.5,
    ...overrides,
  };
}

function shard(groups: SequentialGroup[]): SequentialSummary {
  return { orderSeed: 3, alpha: 0.025, undecided: 'estimate', maxCases: null, baselineRunId: null, groups, totals: { plannedSamples: 0, sentSamples: 0, savedSamples: 0, savedCostUsd: 0 } };
}

describe('recordedSequential: the decisions of shards, combined by Bonferroni', () => {
  it('passes a setting only when every shard passed it, and adds up what they spent and saved', () => {
    const merged = recordedSequential([shard([group({})]), shard([group({ stoppedAtCase: 25, savedSamples: 40, sentSamples: 60 })])]).summarize([{ suite: 's', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 2, costPerSampleUsd: 0.01 } as never]);
    expect(merged).toMatchObject({ alpha: 0.05, shards: 2, orderSeed: 3 });
    const [g] = merged.groups;
    expect(g).toMatchObject({ verdict: 'passes', plannedCases: 100, stoppedAtCase: 45, savedSamples: 96 });
    expect(g!.savedCostUsd).toBeCloseTo(0.96, 10);
    expect(g!.thresholdTest).toMatchObject({ decision: 'above', level: 20, pValues: { above: 0.04, below: 1 } });
    // The weakest shard's e (50) ÷ 2 shards, against the single-run level 20: reached, as both shards decided.
    expect(g!.thresholdTest.eValues.above).toBeCloseTo(25, 10);
    expect(merged.totals).toEqual({ plannedSamples: 200, sentSamples: 104, savedSamples: 96, savedCostUsd: expect.closeTo(0.96, 10) });
  });

  it('fails a setting when any one shard decided against it; a shard undecided leaves it undecided', () => {
    const failing = group({ verdict: 'fails', thresholdTest: { decision: 'below', decidedAtCase: 8, level: 40, eValues: { above: 1, below: 45 }, pValues: { above: 1, below: 0.022 } } });
    expect(recordedSequential([shard([group({})]), shard([failing])]).summarize([]).groups[0]).toMatchObject({ verdict: 'fails', thresholdTest: { decision: 'below' } });
    const open = group({ verdict: 'undecided', stoppedAtCase: null, thresholdTest: { decision: null, decidedAtCase: null, level: 40, eValues: { above: 3, below: 1 }, pValues: { above: 0.3, below: 1 } } });
    expect(recordedSequential([shard([group({})]), shard([open])]).summarize([]).groups[0]).toMatchObject({ verdict: 'undecided', stoppedAtCase: null, thresholdTest: { decision: null } });
  });

  it('gives the gate shards × the smallest p-value for a drop, at most 1', () => {
    const regression = (p: number) => ({ decision: null, decidedAtCase: null, level: 80, eValues: { regressed: 1 / p, 'not-regressed': 1 }, pValues: { regressed: p, 'not-regressed': 1 }, futilityDrop: 0.1, meanDrop: 0.05, pairedCases: 20 });
    const record = recordedSequential([shard([group({ regressionTest: regression(0.01) })]), shard([group({ regressionTest: regression(0.6) })])]);
    expect(record.pDrop({ suite: 's', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 2 })).toBeCloseTo(0.02, 12);
    expect(record.pDrop({ suite: 'other', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 2 })).toBeNull();
  });
});
