import { describe, expect, it } from 'vitest';
import { effectiveSampleSize, intraCaseCorrelation } from '../../src/results/intra-case-correlation.js';
import { nearestRankPercentile, summarizeLatency } from '../../src/results/percentile.js';
import { passAtK, passCurves, passHatK } from '../../src/results/pass-at-k.js';
import { binomialUpperTail, fisherExactOneSided, holmAdjust, mcnemarExactOneSided, meanRiseOneSided, normalCdf, normalQuantile, pairedDifferenceOneSided, twoProportionZOneSided } from '../../src/results/significance.js';
import { casesToDetectDrop } from '../../src/results/sample-size.js';
import { SampleTally } from '../../src/results/sample-tally.js';
import { wilsonInterval } from '../../src/stats/wilson-interval.js';
import { makeRecord } from '../support/builders.js';

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('matches the published interval for %i/%i', (x, n, lo, hi) => {
    const [l, h] = wilsonInterval(x, n)!;
    expect(l).toBeCloseTo(lo, 4);
    expect(h).toBeCloseTo(hi, 4);
  });

  it('stays inside [0, 1] at 0% and 100%, where the normal interval collapses', () => {
    expect(wilsonInterval(10, 10)![0]).toBeCloseTo(0.7225, 4);
    expect(wilsonInterval(10, 10)![1]).toBe(1);
    expect(wilsonInterval(0, 10)![0]).toBe(0);
  });

  it('has no interval for no samples', () => {
    expect(wilsonInterval(0, 0)).toBeUndefined();
  });

  it('widens when the effective sample size shrinks', () => {
    const full = wilsonInterval(8, 16)!;
    const halved = wilsonInterval(4, 8)!;
    expect(halved[1] - halved[0]).toBeGreaterThan(full[1] - full[0]);
  });
});

describe('intraCaseCorrelation', () => {
  it('computes the one-way ANOVA estimator (worked example: 2/2, 0/2, 1/2 → 0.5)', () => {
    expect(intraCaseCorrelation([{ passed: 2, n: 2 }, { passed: 0, n: 2 }, { passed: 1, n: 2 }])).toBeCloseTo(0.5, 10);
  });

  it('is 1 when every case is all-pass or all-fail', () => {
    expect(intraCaseCorrelation([{ passed: 4, n: 4 }, { passed: 0, n: 4 }])).toBe(1);
  });

  it('is clamped at 0 when cases agree more than chance', () => {
    expect(intraCaseCorrelation([{ passed: 1, n: 2 }, { passed: 1, n: 2 }, { passed: 1, n: 2 }])).toBe(0);
  });

  it('is 0 when it cannot be estimated (one case, or all samples alike)', () => {
    expect(intraCaseCorrelation([{ passed: 3, n: 4 }])).toBe(0);
    expect(intraCaseCorrelation([{ passed: 4, n: 4 }, { passed: 4, n: 4 }])).toBe(0);
  });
});

describe('effectiveSampleSize', () => {
  it('divides n by the design effect 1 + (K − 1)·ICC', () => {
    const result = effectiveSampleSize([{ passed: 4, n: 4 }, { passed: 0, n: 4 }]);
    expect(result).toMatchObject({ n: 8, icc: 1, designEffect: 4, nEffective: 2 });
  });

  it('is plain n with one sample per case', () => {
    const result = effectiveSampleSize([{ passed: 1, n: 1 }, { passed: 0, n: 1 }, { passed: 1, n: 1 }]);
    expect(result).toMatchObject({ n: 3, nEffective: 3, designEffect: 1 });
  });
});

describe('nearestRankPercentile', () => {
  // The worked example for the nearest-rank method: 15, 20, 35, 40, 50.
  const values = [15, 20, 35, 40, 50];
  it.each([
    [0.05, 15],
    [0.3, 20],
    [0.4, 20],
    [0.5, 35],
    [1, 50],
  ])('percentile %f of 15,20,35,40,50 is %i', (q, expected) => {
    expect(nearestRankPercentile(values, q)).toBe(expected);
  });

  it('summarizes latency with p50/p90/p95/p99/max, and nulls for no values', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatency(latencies)).toEqual({ p50: 50, p90: 90, p95: 95, p99: 99, max: 100 });
    expect(summarizeLatency([])).toEqual({ p50: null, p90: null, p95: null, p99: null, max: null });
  });
});

describe('pass@k and pass^k', () => {
  // Worked values: 1 − C(n−c, k)/C(n, k) and C(c, k)/C(n, k).
  it.each([
    [10, 3, 1, 0.3],
    [10, 3, 5, 1 - 21 / 252],
    [10, 0, 5, 0],
    [10, 8, 3, 1],
  ])('pass@k(n=%i, c=%i, k=%i) = %f', (n, c, k, expected) => {
    expect(passAtK(n, c, k)).toBeCloseTo(expected, 3);
  });

  it('matches the definition C(n−c,k)/C(n,k) computed directly', () => {
    const choose = (a: number, b: number): number => (b < 0 || b > a ? 0 : b === 0 ? 1 : (choose(a - 1, b - 1) * a) / b);
    for (const [n, c, k] of [[8, 3, 2], [12, 5, 4], [4, 1, 4], [6, 6, 3]] as const) {
      expect(passAtK(n, c, k)).toBeCloseTo(1 - choose(n - c, k) / choose(n, k), 12);
      expect(passHatK(n, c, k)).toBeCloseTo(choose(c, k) / choose(n, k), 12);
    }
  });

  it.each([
    [10, 3, 2, 3 / 45],
    [4, 4, 4, 1],
    [4, 3, 4, 0],
    [10, 5, 1, 0.5],
  ])('pass^k(n=%i, c=%i, k=%i) = %f', (n, c, k, expected) => {
    expect(passHatK(n, c, k)).toBeCloseTo(expected, 12);
  });

  it('gives curves for k = 1 … n, pass@k rising and pass^k falling', () => {
    const { passAtK: at, passHatK: hat } = passCurves(4, 2);
    expect(at).toHaveLength(4);
    expect(at[0]).toBeCloseTo(0.5, 12);
    expect(hat[0]).toBeCloseTo(0.5, 12);
    expect(at[3]).toBe(1);
    expect(hat[3]).toBe(0);
    expect(passCurves(0, 0)).toEqual({ passAtK: [], passHatK: [] });
  });

  it('shares one frozen pair of curves among callers with the same n and c, equal to computing them afresh', () => {
    const a = passCurves(7, 3);
    const b = passCurves(7, 3);
    expect(b.passAtK).toBe(a.passAtK);
    expect(b.passHatK).toBe(a.passHatK);
    expect(a.passAtK).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => passAtK(7, 3, k)));
    expect(a.passHatK).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => passHatK(7, 3, k)));
    expect(Object.isFrozen(a.passAtK) && Object.isFrozen(a.passHatK)).toBe(true);
    expect(passCurves(7, 4).passAtK).not.toBe(a.passAtK);
    expect(passCurves(40, 3).passAtK).toHaveLength(16);
  });
});

describe('significance tests', () => {
  it('has the normal CDF and quantile', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 8);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it('McNemar exact, one-sided: P(X ≥ b | Bin(b + c, ½))', () => {
    // 10 pairs got worse, 2 better: (C(12,10) + C(12,11) + C(12,12)) / 2^12.
    expect(mcnemarExactOneSided(10, 2)).toBeCloseTo(79 / 4096, 12);
    expect(mcnemarExactOneSided(0, 5)).toBe(1);
    expect(mcnemarExactOneSided(0, 0)).toBe(1);
  });

  it('Fisher exact, one-sided: the tea-tasting table gives 17/70 (R fisher.test, alternative "greater": 0.2429)', () => {
    expect(fisherExactOneSided(3, 1, 1, 3)).toBeCloseTo(17 / 70, 12);
    // The other way round: P(X ≤ 3) = 1 − P(X = 4) = 69/70.
    expect(fisherExactOneSided(1, 3, 3, 1)).toBeCloseTo(69 / 70, 12);
  });

  it('pooled two-proportion z, one-sided: 45/100 → 30/100 gives z = −2.191, p = 0.0142', () => {
    expect(twoProportionZOneSided(45, 100, 30, 100)).toBeCloseTo(0.01423, 4);
  });

  it('paired differences: exact by sign flips for few cases, normal for many', () => {
    // Three cases each dropped by 1 and none rose: only 1 of 8 sign patterns is as low.
    expect(pairedDifferenceOneSided([-1, -1, -1])).toEqual({ pValue: 1 / 8, method: 'paired-permutation' });
    expect(pairedDifferenceOneSided([0, 0])).toEqual({ pValue: 1, method: 'paired-permutation' });
    const many = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0.5 : -0.5));
    const { pValue, method } = pairedDifferenceOneSided(many);
    expect(method).toBe('paired-z');
    expect(pValue).toBeLessThan(0.01);
  });

  it('Holm–Bonferroni (R p.adjust(method = "holm"))', () => {
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12));
    expect(binomialUpperTail(0, 5, 0.3)).toBe(1);
  });
});

describe('casesToDetectDrop', () => {
  it('gives 157 cases per run to detect 90% → 80% (one-sided α 0.05, power 0.8)', () => {
    expect(casesToDetectDrop(0.9, 0.8, 0.05, 0.8)).toBe(157);
  });

  it('needs more cases for smaller drops and more power', () => {
    expect(casesToDetectDrop(0.9, 0.85, 0.05, 0.8)).toBeGreaterThan(casesToDetectDrop(0.9, 0.8, 0.05, 0.8));
    expect(casesToDetectDrop(0.9, 0.8, 0.05, 0.9)).toBeGreaterThan(casesToDetectDrop(0.9, 0.8, 0.05, 0.8));
  });

  it('refuses a "drop" that is not one', () => {
    expect(() => casesToDetectDrop(0.5, 0.6, 0.05, 0.8)).toThrow(RangeError);
  });
});

describe('cost per sample: CLT interval and the one-sided test for a rise', () => {
  it('gives mean ± 1.96·s/√n over costed samples (costs 1, 2, 3, 4: s = 1.29099, se = 0.645497)', () => {
    const tally = new SampleTally();
    expect(tally.costPerSampleCi95()).toBeNull();
    for (const costUsd of [1, 2, 3, 4]) tally.add(makeRecord({ costUsd }));
    tally.add(makeRecord({ status: 'errored', costUsd: null, pass: false }));
    const [low, high] = tally.costPerSampleCi95()!;
    expect(low).toBeCloseTo(2.5 - 1.959964 * 0.645497, 5);
    expect(high).toBeCloseTo(2.5 + 1.959964 * 0.645497, 5);
  });

  it('floors the interval at zero and keeps its upper half exact', () => {
    const tally = new SampleTally();
    for (const costUsd of [0, 0, 0, 1]) tally.add(makeRecord({ costUsd }));
    expect(tally.costPerSampleCi95()![0]).toBe(0);
    expect(tally.costPerSampleCi95()![1]).toBeCloseTo(0.25 + 1.959964 * 0.25, 6);
  });

  it('tests a rise of the mean by z on both standard errors (se 0.1 each, +0.2: z = √2, p = 0.0786)', () => {
    const side = (mean: number) => ({ mean, ci95: [mean - 0.1959964, mean + 0.1959964] as const });
    expect(meanRiseOneSided(side(1), side(1.2))).toBeCloseTo(1 - normalCdf(Math.SQRT2), 6);
    expect(meanRiseOneSided(side(1), side(1.2))).toBeCloseTo(0.0786, 4);
    expect(meanRiseOneSided(side(1.2), side(1))).toBeGreaterThan(0.9);
    expect(meanRiseOneSided({ mean: 1, ci95: [1, 1] }, { mean: 1.01, ci95: [1.01, 1.01] })).toBe(0);
  });
});
