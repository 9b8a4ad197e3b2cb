import { describe, expect, it } from 'vitest';
import { judgeAgreement, type LabelledVerdict } from '../../src/results/judge-agreement.js';

const rows = (counts: { tp: number; fp: number; fn: number; tn: number }, noVerdict = 0): LabelledVerdict[] => [
  ...Array.from({ length: counts.tp }, () => ({ human: true, judge: true })),
  ...Array.from({ length: counts.fp }, () => ({ human: false, judge: true })),
  ...Array.from({ length: counts.fn }, () => ({ human: true, judge: false })),
  ...Array.from({ length: counts.tn }, () => ({ human: false, judge: false })),
  ...Array.from({ length: noVerdict }, () => ({ human: true, judge: null })),
];

describe("a judge's agreement with people", () => {
  it("matches a hand-computed Cohen's kappa", () => {
    // 20 TP, 5 FP, 10 FN, 15 TN, n = 50: pₒ = 35/50 = 0.7; judge passes 25/50 = 0.5, people 30/50 = 0.6;
    // pₑ = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    const agreement = judgeAgreement(rows({ tp: 20, fp: 5, fn: 10, tn: 15 }, 2));
    expect(agreement.n).toBe(50);
    expect(agreement.noVerdict).toBe(2);
    expect(agreement.accuracy).toBeCloseTo(0.7, 12);
    expect(agreement.kappa).toBeCloseTo(0.4, 12);
    expect(agreement.confusion).toEqual({ truePass: 20, falsePass: 5, falseFail: 10, trueFail: 15 });
    // Wilson 95% for 35/50: 0.5625 … 0.8090 (by hand: centre 0.6862, half 0.1232).
    expect(agreement.accuracyCi95![0]).toBeCloseTo(0.5625, 3);
    expect(agreement.accuracyCi95![1]).toBeCloseTo(0.8090, 3);
  });

  it('gives kappa 1 for perfect agreement and below 0 for agreement worse than chance', () => {
    expect(judgeAgreement(rows({ tp: 6, fp: 0, fn: 0, tn: 4 })).kappa).toBeCloseTo(1, 12);
    expect(judgeAgreement(rows({ tp: 0, fp: 5, fn: 5, tn: 0 })).kappa).toBeCloseTo(-1, 12);
  });

  it('has no kappa when chance agreement is certain, and no figures without verdicts', () => {
    expect(judgeAgreement(rows({ tp: 8, fp: 0, fn: 0, tn: 0 })).kappa).toBeNull();
    expect(judgeAgreement(rows({ tp: 0, fp: 0, fn: 0, tn: 0 }, 3))).toMatchObject({ n: 0, noVerdict: 3, accuracy: null, kappa: null });
  });
});
