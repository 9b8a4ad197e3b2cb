import { describe, expect, it } from 'vitest';
import { recommendSettings } from '../../src/results/recommend-settings.js';
import { makeGroup } from '../support/builders.js';

const level = (r: { thinkingLevel: string }) => r.thinkingLevel;

describe('recommendSettings', () => {
  it('picks the cheapest setting by its lower bound, not by a luckier point estimate', () => {
    // 'low' is cheaper and has the higher point estimate, but on few samples its lower bound is under 0.8.
    const lucky = makeGroup({ thinkingLevel: 'low', passRate: 1, passRateCi95: [0.72, 1], costPerSampleUsd: 0.001 });
    const sure = makeGroup({ thinkingLevel: 'high', passRate: 0.95, passRateCi95: [0.86, 0.98], costPerSampleUsd: 0.004 });
    const costly = makeGroup({ thinkingLevel: 'xhigh', passRate: 0.97, passRateCi95: [0.9, 0.99], costPerSampleUsd: 0.009 });
    const [advice] = recommendSettings([costly, lucky, sure]);
    expect(advice!.cheapest).toEqual({ model: 'openai-gpt-5-5', thinkingLevel: 'high', costPerSampleUsd: 0.004, passRateLowerBound: 0.86, plans: [{ numberResults: 1, samples: 10, costPerSampleUsd: 0.004 }] });
  });

  it('leaves a setting off the Pareto front when another is at least as good and cheaper', () => {
    const cheapGood = makeGroup({ thinkingLevel: 'low', passRate: 0.9, costPerSampleUsd: 0.002 });
    const dominated = makeGroup({ thinkingLevel: 'medium', passRate: 0.85, costPerSampleUsd: 0.003 });
    const bestCostly = makeGroup({ thinkingLevel: 'high', passRate: 0.95, costPerSampleUsd: 0.006 });
    const [advice] = recommendSettings([bestCostly, dominated, cheapGood]);
    expect(advice!.paretoFront.map(level)).toEqual(['low', 'high']);
  });

  it('keeps exact ties on the front, drops an equal pass rate at a higher cost, and picks the first of equally cheap qualifiers', () => {
    const first = makeGroup({ thinkingLevel: 'low', passRate: 0.9, passRateCi95: [0.85, 0.95], costPerSampleUsd: 0.002 });
    const twin = makeGroup({ thinkingLevel: 'medium', passRate: 0.9, passRateCi95: [0.85, 0.95], costPerSampleUsd: 0.002 });
    const dearer = makeGroup({ thinkingLevel: 'high', passRate: 0.9, passRateCi95: [0.85, 0.95], costPerSampleUsd: 0.005 });
    const [advice] = recommendSettings([first, twin, dearer]);
    expect(advice!.paretoFront.map(level)).toEqual(['low', 'medium']);
    expect(advice!.cheapest!.thinkingLevel).toBe('low');
  });

  it('recommends nothing when no lower bound meets the threshold, and still reports the front, per suite', () => {
    const weak = makeGroup({ suite: 'a', thinkingLevel: 'low', passRate: 0.7, passRateCi95: [0.5, 0.85], costPerSampleUsd: 0.001 });
    const borderline = makeGroup({ suite: 'a', thinkingLevel: 'high', passRate: 0.85, passRateCi95: [0.79, 0.9], costPerSampleUsd: 0.004 });
    const unrun = makeGroup({ suite: 'a', thinkingLevel: 'xhigh', passRate: null, passRateCi95: null, costPerSampleUsd: null });
    const other = makeGroup({ suite: 'b', thinkingLevel: 'low', passRate: 0.9, passRateCi95: [0.8, 0.95], costPerSampleUsd: 0.001 });
    const [a, b] = recommendSettings([weak, borderline, unrun, other]);
    expect(a).toEqual({
      suite: 'a',
      cheapest: null,
      paretoFront: [
        { model: 'openai-gpt-5-5', thinkingLevel: 'low' },
        { model: 'openai-gpt-5-5', thinkingLevel: 'high' },
      ],
    });
    // A lower bound exactly at the threshold qualifies.
    expect(b!.cheapest).toMatchObject({ thinkingLevel: 'low', passRateLowerBound: 0.8 });
  });

  it('names a model and level, pooling the numberResults it ran at, each plan with its own cost per sample', () => {
    // medium at n=1 and n=4: 27/30 and 54/60; alone each lower bound is under 0.8, pooled (81/90 on 90 effective samples) it is above.
    const one = makeGroup({ thinkingLevel: 'medium', numberResults: 1, passed: 27, failed: 3, passRate: 0.9, passRateCi95: [0.74, 0.97], effectiveSamples: 30, costUsd: 0.09, costPerSampleUsd: 0.003 });
    const four = makeGroup({ thinkingLevel: 'medium', numberResults: 4, passed: 54, failed: 6, passRate: 0.9, passRateCi95: [0.79, 0.95], effectiveSamples: 60, costUsd: 0.15, costPerSampleUsd: 0.0025 });
    const [advice] = recommendSettings([one, four]);
    expect(advice!.cheapest).toMatchObject({ model: 'openai-gpt-5-5', thinkingLevel: 'medium', plans: [{ numberResults: 1, samples: 30, costPerSampleUsd: 0.003 }, { numberResults: 4, samples: 60, costPerSampleUsd: 0.0025 }] });
    expect(advice!.cheapest!.passRateLowerBound).toBeCloseTo(0.8207, 3);
    // Pooled cost per sample: $0.24 over 90 costed samples.
    expect(advice!.cheapest!.costPerSampleUsd).toBeCloseTo(0.24 / 90, 12);
    expect(advice!.paretoFront).toEqual([{ model: 'openai-gpt-5-5', thinkingLevel: 'medium' }]);
  });
});

describe('recommendSettings pooling', () => {
  it('pools the passes of a numberResults plan that has no cost, and prices the level from the plans that do', () => {
    const costed = makeGroup({ thinkingLevel: 'low', numberResults: 1, passed: 27, failed: 3, passRate: 0.9, effectiveSamples: 30, costUsd: 0.09, costPerSampleUsd: 0.003 });
    const uncosted = makeGroup({ thinkingLevel: 'low', numberResults: 4, passed: 54, failed: 6, passRate: 0.9, effectiveSamples: 60, costUsd: 0, costPerSampleUsd: null });
    const [advice] = recommendSettings([costed, uncosted]);
    expect(advice!.cheapest).toMatchObject({ thinkingLevel: 'low', costPerSampleUsd: 0.003 });
    expect(advice!.cheapest!.passRateLowerBound).toBeCloseTo(0.8207, 3);
  });
});
