import PQueue from 'p-queue';
import { worstCaseCostUsd } from '../cost/worst-case-cost.js';
import type { Trial } from '../plan/trial.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import type { BudgetGuard } from './budget-guard.js';
import type { Pacer } from './execute-trial.js';

export interface ScheduleOptions {
  concurrency: number;
  now: () => number;
  /** First Ctrl-C: no new trials. */
  stopSignal: AbortSignal;
  /** `--max-cost`: trials are sent only while their worst case fits. */
  budget?: BudgetGuard;
  /**
   * Back off under throttling and recover (AIMD, see AdaptiveConcurrency). Internal, not a CLI flag
   * or setting: off only so that the soak test can measure what backing off is worth.
   * @default true
   */
  adaptive?: boolean;
  /** Runs one trial to its end (recorded); resolves to what it cost, USD. `queuedMs`: its wait for a free slot. */
  runTrial: (trial: Trial, pacer: Pacer, queuedMs: number) => Promise<number>;
}

export interface ScheduleResult {
  /** Trials sent. */
  scheduled: number;
  /** Trials not sent, and why: a stop signal, or the budget. */
  unscheduled: readonly Trial[];
  stoppedBy: 'signal' | 'budget' | null;
}

/**
 * Feeds trials to a queue as slots free up (never the whole plan at once), at a concurrency that
 * adapts to throttling, until every trial is sent, the run is stopped, or the budget would be passed.
 */
export async function scheduleTrials(trials: readonly Trial[], options: ScheduleOptions): Promise<ScheduleResult> {
  const queue = new PQueue({ concurrency: options.concurrency });
  const pacer: Pacer & { readonly current: number } =
    options.adaptive === false
      ? { current: options.concurrency, throttled: () => {}, answered: () => {} }
      : new AdaptiveConcurrency(options.concurrency, options.now, (limit) => {
          queue.concurrency = limit;
        });
  let scheduled = 0;
  let stoppedBy: ScheduleResult['stoppedBy'] = null;
  for (const trial of trials) {
    await queue.onSizeLessThan(pacer.current);
    if (options.stopSignal.aborted) {
      stoppedBy = 'signal';
      break;
    }
    const worst = options.budget ? (worstCaseCostUsd(trial.request, trial.pricing) ?? Infinity) : 0;
    if (options.budget && !options.budget.tryReserve(worst)) {
      // Trials in flight hold reservations larger than what they will cost: let them settle, then
      // try again; stop only when the trial does not fit with nothing in flight.
      await queue.onIdle();
      if (options.stopSignal.aborted) {
        stoppedBy = 'signal';
        break;
      }
      if (!options.budget.tryReserve(worst)) {
        stoppedBy = 'budget';
        break;
      }
    }
    scheduled++;
    const enqueuedAt = options.now();
    void queue.add(async () => {
      const cost = await options.runTrial(trial, pacer, options.now() - enqueuedAt);
      options.budget?.settle(worst, cost);
    });
  }
  await queue.onIdle();
  return { scheduled, unscheduled: trials.slice(scheduled), stoppedBy };
}
