import PQueue from 'p-queue';
import type { Trial } from '../plan/trial.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import type { BudgetGuard, Reservation, TrialCharge } from './budget-guard.js';
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
  /**
   * Runs one trial to its end (recorded); resolves to what it cost. `queuedMs`: its wait for a free slot.
   * `answered`: to be called with what it cost as soon as its answers are billed, before they are
   * graded, so that its judge calls find the room its worst case held (later calls do nothing).
   */
  runTrial: (trial: Trial, pacer: Pacer, queuedMs: number, answered: (charge: TrialCharge) => void) => Promise<TrialCharge>;
  /**
   * Asked after each trial lands: a reason to send nothing more (the API refused the key), or null.
   * Trials in flight still finish.
   */
  shouldHalt?: () => string | null;
  /**
   * Asked of each trial when a slot is free for it (`--until-decided`): true when its setting's verdict
   * is already known, and the trial is not sent. The one thing the scheduler knows of sequential sampling.
   */
  isDecided?: (trial: Trial) => boolean;
}

export interface ScheduleResult {
  /** Trials sent. */
  scheduled: number;
  /** Trials not sent, and why: a stop signal, the budget, or a reason to halt (`shouldHalt`). */
  unscheduled: readonly Trial[];
  /** Trials not sent because their setting was decided (`isDecided`). */
  decided: number;
  stoppedBy: 'signal' | 'budget' | 'halt' | null;
}

/**
 * Feeds trials to a queue one by one as slots free up (never the whole plan at once, nor a buffer of
 * waiting trials), at a concurrency that adapts to throttling, until every trial is sent, the run is
 * stopped or halted, or the budget would be passed. A trial's `queuedMs` is its wait for a free slot
 * (and for the budget to make room). Rejects with the first error a trial threw, once the trials in
 * flight have finished.
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
  // The first trial that throws (a journal that cannot be written, a bug) stops the sending; those in
  // flight finish, then it is thrown to the caller. No trial's failure is dropped.
  let failure: { error: unknown } | undefined;
  const stopReason = (): ScheduleResult['stoppedBy'] => (options.stopSignal.aborted ? 'signal' : options.shouldHalt?.() ? 'halt' : null);
  const settled = () => new Promise<void>((resolve) => queue.once('next', () => resolve()));
  let next = 0;
  let decided = 0;
  for (; next < trials.length; next++) {
    const trial = trials[next]!;
    const waitingSince = options.now();
    // A trial is taken only when a slot is free, so that it is sent at once: the budget, a halt and a
    // decided setting are judged on what is known at the moment of sending, never on a trial waiting in a buffer.
    while (queue.pending >= Math.min(queue.concurrency, pacer.current) && !stopReason() && !failure) await settled();
    if (failure) break;
    if (options.isDecided?.(trial)) {
      decided++;
      continue;
    }
    const stop = stopReason();
    if (stop) {
      stoppedBy = stop;
      break;
    }
    let reservation: Reservation | null = null;
    if (options.budget) {
      reservation = options.budget.tryReserve(trial);
      // Trials in flight hold reservations larger than what they will cost: let them settle one by
      // one, trying again after each; stop only when the trial does not fit with nothing in flight.
      while (!reservation && queue.pending > 0) {
        await settled();
        if (stopReason()) break;
        reservation = options.budget.tryReserve(trial);
      }
      const late = stopReason();
      if (late) {
        stoppedBy = late;
        break;
      }
      if (!reservation) {
        stoppedBy = 'budget';
        break;
      }
    }
    scheduled++;
    queue
      .add(async () => {
        let charged = false;
        const answered = (charge: TrialCharge) => {
          if (charged) return;
          charged = true;
          if (reservation) options.budget?.settle(reservation, charge);
        };
        try {
          answered(await options.runTrial(trial, pacer, options.now() - waitingSince, answered));
        } finally {
          // A trial that threw gives its room back at its worst case, counted as spent: what it cost is not known.
          if (reservation) answered({ costUsd: reservation.usd, billedOutputTokens: 0 });
        }
      })
      .catch((error: unknown) => {
        failure ??= { error };
      });
  }
  await queue.onIdle();
  if (failure) throw failure.error;
  const unscheduled = trials.slice(next).filter((t) => !options.isDecided?.(t));
  return { scheduled, unscheduled, decided, stoppedBy };
}
