import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../../src/stats/seeded-random.js';
import { BettingTest } from '../../src/stats/betting-test.js';


describe('BettingTest', () => {
  it('grows its capital on observations above the null and stays at 1 when they sit on it', () => {
    const above = new BettingTest(0.5, 'above', [0, 1]);
    for (let i = 0; i < 20; i++) above.observe(1);
    expect(above.eValue).toBeGreaterThan(100);
    expect(above.pValue).toBeLessThan(0.01);
    const flat = new BettingTest(0.5, 'above', [0, 1]);
    for (let i = 0; i < 20; i++) flat.observe(0.5);
    expect(flat.eValue).toBeCloseTo(1, 10);
    expect(flat.pValue).toBe(1);
  });

  it('mirrors below: evidence that the mean is under the null', () => {
    const below = new BettingTest(0.8, 'below', [0, 1]);
    for (let i = 0; i < 10; i++) below.observe(0);
    expect(below.reached(20)).toBe(true);
    const wrongWay = new BettingTest(0.8, 'below', [0, 1]);
    for (let i = 0; i < 30; i++) wrongWay.observe(1);
    expect(wrongWay.reached(20)).toBe(false);
  });

  it('keeps its peak: a p-value valid at any stopping time never rises', () => {
    const t = new BettingTest(0.5, 'above', [0, 1]);
    for (let i = 0; i < 10; i++) t.observe(1);
    const peak = t.peakEValue;
    for (let i = 0; i < 10; i++) t.observe(0);
    expect(t.eValue).toBeLessThan(peak);
    expect(t.peakEValue).toBe(peak);
    expect(t.pValue).toBeCloseTo(1 / peak, 12);
  });

  it('works on a range other than [0, 1] (paired differences in [−1, 1])', () => {
    const drop = new BettingTest(0, 'below', [-1, 1]);
    for (let i = 0; i < 15; i++) drop.observe(-0.5);
    expect(drop.reached(20)).toBe(true);
  });

  it('refutes a null at the bottom of the range outright, and never one at the top', () => {
    const bottom = new BettingTest(0, 'above', [0, 1]);
    bottom.observe(0);
    expect(bottom.reached(1e9)).toBe(false);
    bottom.observe(0.1);
    expect(bottom.eValue).toBe(Number.POSITIVE_INFINITY);
    // A threshold of 100%: one failure shows the rate is below it.
    const perfect = new BettingTest(1, 'below', [0, 1]);
    perfect.observe(1);
    expect(perfect.reached(20)).toBe(false);
    perfect.observe(0.5);
    expect(perfect.reached(1e9)).toBe(true);
    const top = new BettingTest(1, 'above', [0, 1]);
    for (let i = 0; i < 50; i++) top.observe(1);
    expect(top.eValue).toBe(1);
  });

  it('holds its level under continuous monitoring when the mean sits on the null (Ville)', () => {
    const rand = random(7);
    const reps = 600;
    let crossed = 0;
    for (let r = 0; r < reps; r++) {
      const t = new BettingTest(0.8, 'above', [0, 1]);
      for (let n = 0; n < 300 && !t.reached(20); n++) t.observe((rand() < 0.8 ? 1 : 0) * 0.5 + (rand() < 0.8 ? 1 : 0) * 0.5);
      if (t.reached(20)) crossed++;
    }
    // At most alpha = 5%; 48 is the 99.9% tail of Bin(600, 0.05), so a wrong test fails and a right one does not flicker.
    expect(crossed).toBeLessThanOrEqual(48);
  });

  it('decides quickly when the mean is far from the null', () => {
    const rand = random(11);
    const decidedAt: number[] = [];
    for (let r = 0; r < 200; r++) {
      const t = new BettingTest(0.8, 'above', [0, 1]);
      let n = 0;
      while (!t.reached(20) && n < 1000) {
        t.observe(rand() < 0.98 ? 1 : 0);
        n++;
      }
      decidedAt.push(n);
    }
    const mean = decidedAt.reduce((a, b) => a + b, 0) / decidedAt.length;
    expect(mean).toBeLessThan(40);
  });
});
