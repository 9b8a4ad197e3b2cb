import { worstCaseCostUsd } from '../cost/worst-case-cost.js';
import type { Trial } from '../plan/trial.js';

/**
 * Above the largest output billed for one sample of a model, what a reservation assumes once the API
 * was seen billing past `maxTokens` (docs/cost.md, "When the API bills past maxTokens").
 */
export const OBSERVED_OUTPUT_MARGIN = 1.5;

/** What a finished trial cost, as the budget needs it. */
export interface TrialCharge {
  costUsd: number;
  /** The largest output (completion + thinking, as billed) of one of its samples; 0 without usage. */
  billedOutputTokens: number;
}

/** Said once per model, the first time a result of it is billed past its request's `maxTokens`. */
export interface OutputOverrun {
  model: string;
  maxTokens: number;
  billedOutputTokens: number;
  /** Output per sample every reservation of the model assumes from now on. */
  reservedOutputTokens: number;
}

/** A trial's (or a judge call's) hold on the budget while it is in flight. */
export interface Reservation {
  /** Absent for a request that is not a trial: a judge's call, reserved at a fixed worst case. */
  readonly trial?: Trial;
  usd: number;
}

/**
 * `--max-cost`: spending is never allowed past the budget. Each trial reserves its worst case before
 * it is sent; when it lands, the reservation is replaced by what it really cost. A trial whose worst
 * case no longer fits is not sent.
 *
 * The worst case starts from `maxTokens`, the documented bound on a result's output. When a result of
 * a model is billed more output than its `maxTokens` (a server that bills thinking on top), that bound
 * is known to be wrong for the model: from then on its trials reserve {@link OBSERVED_OUTPUT_MARGIN}
 * times the largest output billed for one of its samples, and the trials of it already in flight are
 * re-valued at once, so no new trial goes out on a reservation known to be too small.
 */
export class BudgetGuard {
  private spent: number;
  private reserved = 0;
  private readonly open = new Set<Reservation>();
  /** Per model: the largest output billed for one sample, once it passed `maxTokens`. */
  private readonly observedOutput = new Map<string, number>();

  /**
   * @param maxCostUsd the budget of the whole run.
   * @param alreadySpentUsd what the run spent before this process: on `--resume`, the recovered samples' cost.
   * @param onOverrun told once per model when the API first bills past `maxTokens`.
   * @default alreadySpentUsd 0
   */
  constructor(
    readonly maxCostUsd: number,
    alreadySpentUsd = 0,
    private readonly onOverrun?: (overrun: OutputOverrun) => void,
  ) {
    this.spent = alreadySpentUsd;
  }

  /** The most `trial` can cost by what is known now; Infinity for a model without a price. */
  worstCaseUsd(trial: Trial): number {
    return worstCaseCostUsd(trial.request, trial.pricing, this.outputBound(trial)) ?? Infinity;
  }

  /** Reserves the trial's worst case; null (and nothing reserved) when it would pass the budget. */
  tryReserve(trial: Trial): Reservation | null {
    const usd = this.worstCaseUsd(trial);
    if (this.spent + this.reserved + usd > this.maxCostUsd) return null;
    const reservation: Reservation = { trial, usd };
    this.reserved += usd;
    this.open.add(reservation);
    return reservation;
  }

  /** Reserves `usd` for a request that is not a trial (a judge's call); null when it would pass the budget. */
  tryReserveUsd(usd: number): Reservation | null {
    if (this.spent + this.reserved + usd > this.maxCostUsd) return null;
    const reservation: Reservation = { usd };
    this.reserved += usd;
    this.open.add(reservation);
    return reservation;
  }

  /**
   * Replaces a reservation with what the trial cost. Output billed past its `maxTokens` first raises
   * the model's worst case and re-values every reservation still open.
   */
  settle(reservation: Reservation, charge: TrialCharge): void {
    if (reservation.trial) this.observe(reservation.trial, charge.billedOutputTokens);
    this.open.delete(reservation);
    this.reserved -= reservation.usd;
    this.spent += Number.isFinite(charge.costUsd) ? Math.max(0, charge.costUsd) : 0;
  }

  get spentUsd(): number {
    return this.spent;
  }

  /** What the trials in flight hold, at the worst case known now. */
  get reservedUsd(): number {
    return this.reserved;
  }

  private outputBound(trial: Trial): number {
    const observed = this.observedOutput.get(trial.setting.model);
    return observed === undefined ? trial.request.maxTokens : Math.max(trial.request.maxTokens, Math.ceil(observed * OBSERVED_OUTPUT_MARGIN));
  }

  private observe(trial: Trial, billedOutputTokens: number): void {
    const model = trial.setting.model;
    const before = this.observedOutput.get(model);
    // Only output past a trial's own maxTokens says the bound is wrong; a large answer within a large maxTokens does not.
    if (billedOutputTokens <= trial.request.maxTokens || (before !== undefined && billedOutputTokens <= before)) return;
    this.observedOutput.set(model, billedOutputTokens);
    if (before === undefined) {
      this.onOverrun?.({ model, maxTokens: trial.request.maxTokens, billedOutputTokens, reservedOutputTokens: this.outputBound(trial) });
    }
    this.reserved = 0;
    for (const open of this.open) {
      if (open.trial?.setting.model === model) open.usd = Math.max(open.usd, this.worstCaseUsd(open.trial));
      this.reserved += open.usd;
    }
  }
}
