import { describe, expect, it } from 'vitest';
import { worstCaseCostUsd } from '../../src/cost/worst-case-cost.js';
import { BudgetGuard, OBSERVED_OUTPUT_MARGIN, type BudgetOverrun, type Reservation } from '../../src/run/budget-guard.js';
import { describeOverrun } from '../../src/run/describe-stops.js';
import { makeTrial } from '../support/builders.js';

const trial = (id: string, model = 'openai-gpt-5-5') => makeTrial({ id, setting: { model, numberResults: 2 } });
const worst = worstCaseCostUsd(trial('x').request, trial('x').pricing)!;
const maxTokens = trial('x').request.maxTokens;

describe('BudgetGuard', () => {
  it('reserves each trial at its maxTokens worst case while nothing is billed past it', () => {
    const guard = new BudgetGuard(worst * 3.5);
    const held = [guard.tryReserve(trial('a')), guard.tryReserve(trial('b')), guard.tryReserve(trial('c'))];
    expect(held.every((r) => r !== null)).toBe(true);
    expect(guard.tryReserve(trial('d'))).toBeNull();
    guard.settle(held[0]!, { costUsd: worst / 2, billedOutputTokens: maxTokens });
    expect(guard.reservedUsd).toBeCloseTo(worst * 2, 12);
    expect(guard.tryReserve(trial('d'))).not.toBeNull();
  });

  it('re-values the trials in flight the moment a result is billed past maxTokens, so no new trial fits', () => {
    const overruns: BudgetOverrun[] = [];
    const guard = new BudgetGuard(worst * 20, 0, (o) => overruns.push(o));
    const held = ['a', 'b', 'c', 'd'].map((id) => guard.tryReserve(trial(id))!);
    guard.settle(held[0]!, { costUsd: worst * 4, billedOutputTokens: maxTokens * 5 });
    const revalued = worstCaseCostUsd(trial('x').request, trial('x').pricing, Math.ceil(maxTokens * 5 * OBSERVED_OUTPUT_MARGIN))!;
    expect(held[1]!.usd).toBeCloseTo(revalued, 12);
    expect(guard.reservedUsd).toBeCloseTo(revalued * 3, 12);
    expect(guard.worstCaseUsd(trial('e'))).toBeCloseTo(revalued, 12);
    // 4 worst cases spent plus 3 re-valued reservations leave no room for a fourth at 7.5× maxTokens.
    expect(guard.spentUsd + guard.reservedUsd + revalued).toBeGreaterThan(worst * 20);
    expect(guard.tryReserve(trial('e'))).toBeNull();
    expect(overruns).toEqual([{ model: 'openai-gpt-5-5', maxTokens, billedOutputTokens: maxTokens * 5, reservedOutputTokens: Math.ceil(maxTokens * 5 * OBSERVED_OUTPUT_MARGIN) }]);
  });

  it('says so once per model, keeps raising the bound to the largest output seen, and leaves other models at maxTokens', () => {
    const overruns: BudgetOverrun[] = [];
    const guard = new BudgetGuard(1000, 0, (o) => overruns.push(o));
    guard.settle(guard.tryReserve(trial('a'))!, { costUsd: 0, billedOutputTokens: maxTokens * 2 });
    guard.settle(guard.tryReserve(trial('b'))!, { costUsd: 0, billedOutputTokens: maxTokens * 3 });
    guard.settle(guard.tryReserve(trial('c'))!, { costUsd: 0, billedOutputTokens: maxTokens });
    expect(overruns).toHaveLength(1);
    expect(guard.worstCaseUsd(trial('d'))).toBeCloseTo(worstCaseCostUsd(trial('x').request, trial('x').pricing, Math.ceil(maxTokens * 3 * OBSERVED_OUTPUT_MARGIN))!, 12);
    expect(guard.worstCaseUsd(trial('e', 'other-model'))).toBeCloseTo(worst, 12);
  });

  it('learns nothing from a large output within a large maxTokens', () => {
    const overruns: BudgetOverrun[] = [];
    const guard = new BudgetGuard(1000, 0, (o) => overruns.push(o));
    const roomy = makeTrial({ id: 'r', setting: { numberResults: 2 }, request: { ...trial('x').request, maxTokens: 4000 } });
    guard.settle(guard.tryReserve(roomy)!, { costUsd: 0, billedOutputTokens: 3000 });
    expect(overruns).toEqual([]);
    expect(guard.worstCaseUsd(trial('a'))).toBeCloseTo(worst, 12);
  });

  it('counts a cost that is negative or not a number as nothing, never as money given back', () => {
    const guard = new BudgetGuard(1);
    guard.settle(guard.tryReserve(trial('a'))!, { costUsd: -5, billedOutputTokens: 0 });
    guard.settle(guard.tryReserve(trial('b'))!, { costUsd: Number.NaN, billedOutputTokens: 0 });
    expect(guard.spentUsd).toBe(0);
  });

  it('re-values the trials in flight when the API bills more than the price table makes of the usage, tokens within maxTokens', () => {
    // A server whose cost figure is 20 times the price table's: a trial using a fifth of maxTokens costs 4 worst cases.
    const overruns: BudgetOverrun[] = [];
    const guard = new BudgetGuard(worst * 40, 0, (o) => overruns.push(o));
    const held = ['a', 'b', 'c', 'd'].map((id) => guard.tryReserve(trial(id))!);
    guard.settle(held[0]!, { costUsd: worst * 4, billedOutputTokens: maxTokens / 5, pricedUsd: worst / 5 });
    const factor = 1 + 19 * OBSERVED_OUTPUT_MARGIN;
    expect(held[1]!.usd).toBeCloseTo(worst * factor, 12);
    expect(guard.reservedUsd).toBeCloseTo(worst * factor * 3, 12);
    expect(guard.worstCaseUsd(trial('e'))).toBeCloseTo(worst * factor, 12);
    expect(guard.worstCaseUsd(trial('f', 'other-model'))).toBeCloseTo(worst, 12);
    // 4 spent and 3 × 29.5 held: a 20× server could bill the next trial 20 worst cases, so it is not sent.
    expect(guard.tryReserve(trial('e'))).toBeNull();
    expect(overruns).toEqual([{ model: 'openai-gpt-5-5', billedUsd: worst * 4, tableUsd: worst / 5, priceFactor: factor }]);
    expect(describeOverrun(overruns[0]!)).toMatch(/a trial was billed \$[\d.]+, 20× the \$[\d.]+ the price table makes of it; --max-cost now reserves 30× the price table's worst case/);
    // The same excess again: nothing more to learn, and said once.
    guard.settle(held[1]!, { costUsd: worst * 8, billedOutputTokens: maxTokens / 2, pricedUsd: worst * 0.4 });
    expect(guard.worstCaseUsd(trial('g'))).toBeCloseTo(worst * factor, 12);
    expect(overruns).toHaveLength(1);
  });

  it('without usage to price, learns from a trial billed past its worst case', () => {
    const overruns: BudgetOverrun[] = [];
    const guard = new BudgetGuard(1000, 0, (o) => overruns.push(o));
    guard.settle(guard.tryReserve(trial('a'))!, { costUsd: worst * 3, billedOutputTokens: 0 });
    expect(guard.worstCaseUsd(trial('b'))).toBeCloseTo(worst * (1 + 2 * OBSERVED_OUTPUT_MARGIN), 12);
    guard.settle(guard.tryReserve(trial('c'))!, { costUsd: worst * 12, billedOutputTokens: 0 });
    expect(guard.worstCaseUsd(trial('d'))).toBeCloseTo(worst * (1 + 11 * OBSERVED_OUTPUT_MARGIN), 12);
    expect(overruns).toHaveLength(1);
  });

  it('learns nothing from a trial billed at the price table, within its rounding, or below its worst case without usage', () => {
    const overruns: BudgetOverrun[] = [];
    const guard = new BudgetGuard(1000, 0, (o) => overruns.push(o));
    guard.settle(guard.tryReserve(trial('a'))!, { costUsd: worst / 2, billedOutputTokens: maxTokens, pricedUsd: worst / 2 });
    guard.settle(guard.tryReserve(trial('b'))!, { costUsd: (worst / 2) * 1.005, billedOutputTokens: maxTokens, pricedUsd: worst / 2 });
    guard.settle(guard.tryReserve(trial('c'))!, { costUsd: worst, billedOutputTokens: 0 });
    expect(overruns).toEqual([]);
    expect(guard.worstCaseUsd(trial('d'))).toBeCloseTo(worst, 12);
  });

  it("reserves a judge's call at what its model is known to be billed above the price table, and learns from its calls too", () => {
    const overruns: BudgetOverrun[] = [];
    const guard = new BudgetGuard(1000, 0, (o) => overruns.push(o));
    // Learned from a judge's call: billed 10× the price of its usage.
    guard.settle(guard.tryReserveUsd(0.1, 'judge-model')!, { costUsd: 0.05, billedOutputTokens: 0, pricedUsd: 0.005 });
    expect(overruns).toEqual([{ model: 'judge-model', billedUsd: 0.05, tableUsd: 0.005, priceFactor: 1 + 9 * OBSERVED_OUTPUT_MARGIN }]);
    expect(guard.tryReserveUsd(0.1, 'judge-model')!.usd).toBeCloseTo(0.1 * (1 + 9 * OBSERVED_OUTPUT_MARGIN), 12);
    // Learned from a trial of the same model: a judge's call held in flight is re-valued.
    const held = guard.tryReserveUsd(0.1, 'openai-gpt-5-5')!;
    expect(held.usd).toBeCloseTo(0.1, 12);
    guard.settle(guard.tryReserve(trial('a'))!, { costUsd: worst * 4, billedOutputTokens: maxTokens / 5, pricedUsd: worst / 5 });
    expect(held.usd).toBeCloseTo(0.1 * (1 + 19 * OBSERVED_OUTPUT_MARGIN), 12);
    // A call with no model named is held at what it asked, as before.
    expect(guard.tryReserveUsd(0.1)!.usd).toBe(0.1);
  });

  it("waits for room for a judge's call while requests in flight hold it, and refuses only when nothing else is in flight", async () => {
    const guard = new BudgetGuard(worst * 1.5);
    const held = guard.tryReserve(trial('a'))!;
    let got: unknown = 'waiting';
    const asked = guard.reserveUsd(worst).then((r) => (got = r));
    await Promise.resolve();
    expect(got).toBe('waiting');
    // The trial cost a tenth of its worst case: the call now fits.
    guard.settle(held, { costUsd: worst / 10, billedOutputTokens: 0 });
    await asked;
    expect(got).not.toBeNull();
    expect(guard.refusedCallCount).toBe(0);
    // Nothing in flight once the call settles, and another does not fit beside what was spent: refused at once, and counted.
    guard.settle(got as Reservation, { costUsd: worst, billedOutputTokens: 0 });
    expect(await guard.reserveUsd(worst)).toBeNull();
    expect(guard.refusedCallCount).toBe(1);
  });
});
