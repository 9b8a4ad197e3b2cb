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
    expect(advice!.cheapest).toEqual({ model: 'openai-gpt-5-5', thinkingLevel: 'high', numberResults: 1, costPerSampleUsd: 0.004, passRateLowerBound: 0.86 });
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
        { model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 1 },
        { model: 'openai-gpt-5-5', thinkingLevel: 'high', numberResults: 1 },
      ],
    });
    // A lower bound exactly at the threshold qualifies.
    expect(b!.cheapest).toMatchObject({ thinkingLevel: 'low', passRateLowerBound: 0.8 });
  });
});
