import { describe, expect, it } from 'vitest';
import { measuredCostPerRequest, projectSetting } from '../../src/cost/project-traffic.js';
import { StreamingDistribution } from '../../src/stats/streaming-distribution.js';
import { DAYS_PER_MONTH, parseTraffic } from '../../src/cost/traffic.js';
import { Z_95 } from '../../src/stats/wilson-interval.js';

describe('parseTraffic', () => {
  it.each([
    ['50000/day', 50_000, 'day', 50_000],
    ['50k/day', 50_000, 'day', 50_000],
    ['1.5M/month', 1_500_000, 'month', 50_000],
    [' 300 / d ', 300, 'day', 300],
    ['600/mo', 600, 'month', 20],
  ])('reads %s', (text, requests, per, requestsPerDay) => {
    expect(parseTraffic(text)).toEqual({ requests, per, requestsPerDay, daysPerMonth: DAYS_PER_MONTH });
  });

  it.each(['50000', '0/day', '-5/day', '50000/week', 'lots/day'])('refuses %s, naming the form it expects', (text) => {
    expect(() => parseTraffic(text)).toThrow(/expected requests per day or month, like 50000\/day/);
  });
});

describe('projecting cost to traffic', () => {
  it('takes the mean cost per request with a CLT interval and its p95 from measured samples', () => {
    const costs = new StreamingDistribution();
    for (const v of [0.01, 0.02, 0.03, 0.04]) costs.add(v);
    const cost = measuredCostPerRequest(costs, 'history')!;
    const half = (Z_95 * costs.sd!) / 2;
    expect(cost).toMatchObject({ basis: 'history', samples: 4 });
    expect(cost.mean).toBeCloseTo(0.025, 12);
    expect(cost.meanCi95[0]).toBeCloseTo(0.025 - half, 12);
    expect(cost.meanCi95[1]).toBeCloseTo(0.025 + half, 12);
    expect(cost.p95).toBeCloseTo(0.04, 3);
  });

  it('projects nothing from a single sample: it has no spread', () => {
    const one = new StreamingDistribution();
    one.add(0.01);
    expect(measuredCostPerRequest(one, 'run')).toBeUndefined();
  });

  it('multiplies the mean and its interval by requests per day, and by 30 days for a month', () => {
    const projection = projectSetting(
      { suite: 's', model: 'm', thinkingLevel: 'low' },
      { basis: 'run', samples: 10, mean: 0.002, p95: 0.005, meanCi95: [0.0015, 0.0025] },
      parseTraffic('1.5M/month'),
    );
    expect(projection.perDayUsd.expected).toBeCloseTo(100, 9);
    expect(projection.perDayUsd.ci95[0]).toBeCloseTo(75, 9);
    expect(projection.perDayUsd.ci95[1]).toBeCloseTo(125, 9);
    expect(projection.perMonthUsd.expected).toBeCloseTo(3000, 9);
    expect(projection.perMonthUsd.ci95[1]).toBeCloseTo(3750, 9);
    expect(projection.costPerRequestUsd).toEqual({ mean: 0.002, p95: 0.005, meanCi95: [0.0015, 0.0025] });
  });
});
