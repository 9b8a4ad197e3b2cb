import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from '../../src/run/adaptive-concurrency.js';
import { RetryBudget } from '../../src/run/retry-budget.js';

describe('AdaptiveConcurrency', () => {
  it('halves on throttling, once per burst of requests sent at the old limit', () => {
    let now = 0;
    const changes: number[] = [];
    const pacer = new AdaptiveConcurrency(64, () => now, (limit) => changes.push(limit));
    now = 10;
    // 56 requests started at t=0 all come back 429: one signal.
    for (let i = 0; i < 56; i++) pacer.throttled(0);
    expect(pacer.current).toBe(32);
    // A request started after the decrease and throttled again halves once more.
    now = 20;
    pacer.throttled(15);
    expect(pacer.current).toBe(16);
    expect(changes).toEqual([32, 16]);
  });

  it('never goes below one', () => {
    let now = 0;
    const pacer = new AdaptiveConcurrency(2, () => now);
    for (let i = 0; i < 5; i++) {
      now += 1;
      pacer.throttled(now);
    }
    expect(pacer.current).toBe(1);
  });

  it('recovers one slot per window of answered requests, up to the maximum', () => {
    let now = 0;
    const pacer = new AdaptiveConcurrency(8, () => now);
    now = 1;
    pacer.throttled(1);
    expect(pacer.current).toBe(4);
    for (let i = 0; i < 3; i++) pacer.answered();
    expect(pacer.current).toBe(4);
    pacer.answered();
    expect(pacer.current).toBe(5);
    for (let i = 0; i < 100; i++) pacer.answered();
    expect(pacer.current).toBe(8);
  });
});

describe('RetryBudget', () => {
  it('hands out at most its limit', () => {
    const budget = new RetryBudget(2);
    expect([budget.take(), budget.take(), budget.take()]).toEqual([true, true, false]);
    expect(budget.spent).toBe(2);
  });

  it('scales with the run and has a floor', () => {
    expect(RetryBudget.forRun(1000, 0.5).limit).toBe(500);
    expect(RetryBudget.forRun(3, 1).limit).toBe(10);
  });
});
