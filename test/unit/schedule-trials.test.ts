import { describe, expect, it } from 'vitest';
import { worstCaseCostUsd } from '../../src/cost/worst-case-cost.js';
import { BudgetGuard } from '../../src/run/budget-guard.js';
import { scheduleTrials } from '../../src/run/schedule-trials.js';
import { makeTrial } from '../support/builders.js';

const trials = Array.from({ length: 20 }, (_, i) => makeTrial({ id: `t${i}`, setting: { numberResults: 2 } }));
const worst = worstCaseCostUsd(trials[0]!.request, trials[0]!.pricing)!;
const free = { costUsd: 0, billedOutputTokens: 0 };

describe('scheduleTrials', () => {
  it('sends every trial, never more at once than the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await scheduleTrials(trials, {
      concurrency: 3,
      now: () => 0,
      stopSignal: new AbortController().signal,
      runTrial: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return free;
      },
    });
    expect(result).toMatchObject({ scheduled: 20, unscheduled: [], stoppedBy: null });
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('never lets spending plus reservations pass the budget, and uses what in-flight trials leave over', async () => {
    const budget = new BudgetGuard(worst * 5.5);
    let spent = 0;
    const result = await scheduleTrials(trials, {
      concurrency: 4,
      now: () => 0,
      stopSignal: new AbortController().signal,
      budget,
      runTrial: async () => {
        await new Promise((r) => setTimeout(r, 1));
        spent += worst / 4;
        return { costUsd: worst / 4, billedOutputTokens: 0 };
      },
    });
    expect(spent).toBeLessThanOrEqual(worst * 5.5);
    // At most 5 worst cases could be reserved at once, but trials cost a quarter of theirs: far more than 5 run.
    expect(result.scheduled).toBeGreaterThan(5);
    expect(result.stoppedBy).toBe('budget');
    expect(result.unscheduled).toHaveLength(20 - result.scheduled);
    expect(budget.spentUsd).toBeCloseTo(spent, 12);
  });

  it('gives back what a trial held once its answers are billed, before they are graded, so that its judge calls fit', async () => {
    // Four trials fill a budget of 4.2 worst cases; each answer costs a tenth of its worst case, then is
    // graded by a judge call that reserves half a worst case. Held until the trial ended, the budget
    // had no room for any judge call.
    const budget = new BudgetGuard(worst * 4.2);
    let judged = 0;
    let refused = 0;
    await scheduleTrials(trials.slice(0, 4), {
      concurrency: 4,
      now: () => 0,
      stopSignal: new AbortController().signal,
      budget,
      runTrial: async (_trial, _pacer, _queued, answered) => {
        await new Promise((r) => setTimeout(r, 1));
        const charge = { costUsd: worst / 10, billedOutputTokens: 0 };
        answered(charge);
        const judge = budget.tryReserveUsd(worst / 2);
        if (!judge) refused++;
        else {
          judged++;
          budget.settle(judge, { costUsd: worst / 20, billedOutputTokens: 0 });
        }
        answered(charge);
        return charge;
      },
    });
    expect({ judged, refused }).toEqual({ judged: 4, refused: 0 });
    // Settled once per trial, however often it is told.
    expect(budget.spentUsd).toBeCloseTo(4 * (worst / 10 + worst / 20), 12);
    expect(budget.reservedUsd).toBeCloseTo(0, 12);
  });

  it('stops sending when the stop signal fires', async () => {
    const stop = new AbortController();
    let started = 0;
    const result = await scheduleTrials(trials, {
      concurrency: 2,
      now: () => 0,
      stopSignal: stop.signal,
      runTrial: async () => {
        if (++started === 3) stop.abort();
        await new Promise((r) => setTimeout(r, 1));
        return free;
      },
    });
    expect(result.stoppedBy).toBe('signal');
    expect(result.scheduled).toBeLessThan(20);
  });

  /** Runs the plan at concurrency 8 with every attempt throttled; in flight at each start after the first 8. */
  const inFlightAfterFirstWave = async (adaptive: boolean) => {
    let inFlight = 0;
    let tick = 0;
    const inFlightAtStart: number[] = [];
    const result = await scheduleTrials(trials, {
      concurrency: 8,
      now: () => tick++,
      stopSignal: new AbortController().signal,
      adaptive,
      runTrial: async (_trial, pacer) => {
        const startedAt = tick++;
        inFlightAtStart.push(++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        pacer.throttled(startedAt);
        inFlight--;
        return free;
      },
    });
    expect(result.scheduled).toBe(20);
    return inFlightAtStart.slice(8);
  };

  it('under throttling, halves the concurrency (AIMD)', async () => {
    expect(Math.max(...(await inFlightAfterFirstWave(true)))).toBeLessThanOrEqual(4);
  });

  it('with adaptive false (the soak test\'s comparison), keeps every slot under throttling', async () => {
    expect(Math.max(...(await inFlightAfterFirstWave(false)))).toBe(8);
  });

  it('asks isDecided when a slot is free and sends no trial of a decided setting; decided trials are not "unscheduled"', async () => {
    const sent: string[] = [];
    let decided = false;
    const result = await scheduleTrials(trials, {
      concurrency: 1,
      now: () => 0,
      stopSignal: new AbortController().signal,
      isDecided: () => decided,
      runTrial: async (trial) => {
        sent.push(trial.id);
        // The verdict becomes known once the fifth trial has landed.
        if (sent.length === 5) decided = true;
        return free;
      },
    });
    expect(sent).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(result).toMatchObject({ scheduled: 5, decided: 15, unscheduled: [], stoppedBy: null });
  });

  it('a stop leaves undecided trials unscheduled, and not the decided ones', async () => {
    const stop = new AbortController();
    const result = await scheduleTrials(trials, {
      concurrency: 1,
      now: () => 0,
      stopSignal: stop.signal,
      isDecided: (trial) => Number(trial.id.slice(1)) % 2 === 1,
      runTrial: async () => {
        stop.abort();
        return free;
      },
    });
    expect(result.scheduled).toBe(1);
    expect(result.stoppedBy).toBe('signal');
    expect(result.unscheduled.map((t) => t.id)).toEqual(['t2', 't4', 't6', 't8', 't10', 't12', 't14', 't16', 't18']);
  });
});
