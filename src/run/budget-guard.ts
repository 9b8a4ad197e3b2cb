import { PRICE_TABLE_TOLERANCE } from '../cost/cost-disagreement.js';
import { billedOutputTokens, priceUsage } from '../cost/price-usage.js';
import { worstCaseCostUsd } from '../cost/worst-case-cost.js';
import type { SampleRecord } from '../core/sample-record.js';
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
  /** What the price table makes of the usage its costed samples report; absent when one has no usage. */
  pricedUsd?: number;
}

/** What a trial's samples cost, as the budget needs it. */
export function chargeOf(records: readonly SampleRecord[], pricing: Trial['pricing']): TrialCharge {
  const costed = records.filter((r) => (r.costUsd ?? 0) > 0);
  const priced = costed.map((r) => (r.usage ? priceUsage(r.usage, pricing) : null));
  return {
    costUsd: records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0),
    billedOutputTokens: records.reduce((most, r) => Math.max(most, r.usage ? billedOutputTokens(r.usage, pricing) : 0), 0),
    ...(priced.length > 0 && priced.every((p) => p !== null) ? { pricedUsd: priced.reduce((sum, p) => sum + p!, 0) } : {}),
  };
}

/** Said once per model, the first time a result of it is billed past its request's `maxTokens`. */
export interface OutputOverrun {
  model: string;
  maxTokens: number;
  billedOutputTokens: number;
  /** Output per sample every reservation of the model assumes from now on. */
  reservedOutputTokens: number;
}

/**
 * Said once per model, the first time the API bills one of its trials more than the price table
 * makes of the usage it reports (or, without usage, more than its worst case).
 */
export interface PriceOverrun {
  model: string;
  /** What the trial was billed, and what the price table makes of it (its usage, else its worst case). */
  billedUsd: number;
  tableUsd: number;
  /** What every worst case of the model is multiplied by from now on. */
  priceFactor: number;
}

/** What the budget tells the run when the API bills past what a reservation assumed. */
export type BudgetOverrun = OutputOverrun | PriceOverrun;

/** A trial's (or a judge call's) hold on the budget while it is in flight. */
export interface Reservation {
  /** Absent for a request that is not a trial: a judge's call, reserved at a fixed worst case. */
  readonly trial?: Trial;
  /** A judge's call: its model and its worst case by the price table, so that it learns and is re-valued as a trial is. */
  readonly call?: { model: string; tableUsd: number };
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
 *
 * The price table can be wrong too: when the API bills a trial more than the table makes of the usage
 * it reports (past {@link PRICE_TABLE_TOLERANCE}), or more than its worst case, every worst case of its
 * model is multiplied by 1 + {@link OBSERVED_OUTPUT_MARGIN} × the largest excess seen (billed ÷ table − 1),
 * the trials in flight included, in the same way.
 */
export class BudgetGuard {
  private spent: number;
  private reserved = 0;
  private refusedCalls = 0;
  /** Judge calls waiting for room: woken whenever a reservation settles. */
  private waiters: (() => void)[] = [];
  private readonly open = new Set<Reservation>();
  /** Per model: the largest output billed for one sample, once it passed `maxTokens`. */
  private readonly observedOutput = new Map<string, number>();
  /** Per model: what its worst case is multiplied by, once a trial was billed past it. */
  private readonly priceFactor = new Map<string, number>();

  /**
   * @param maxCostUsd the budget of the whole run.
   * @param alreadySpentUsd what the run spent before this process: on `--resume`, the recovered samples' cost.
   * @param onOverrun told once per model when the API first bills past `maxTokens`, and once when it
   * first bills a trial more dollars than its worst case.
   * @default alreadySpentUsd 0
   */
  constructor(
    readonly maxCostUsd: number,
    alreadySpentUsd = 0,
    private readonly onOverrun?: (overrun: BudgetOverrun) => void,
  ) {
    this.spent = alreadySpentUsd;
  }

  /** The most `trial` can cost by what is known now; Infinity for a model without a price. */
  worstCaseUsd(trial: Trial): number {
    const usd = worstCaseCostUsd(trial.request, trial.pricing, this.outputBound(trial));
    return usd === null ? Infinity : usd * this.factorOf(trial.setting.model);
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

  /**
   * Reserves `usd` (its worst case by the price table) for a request that is not a trial (a judge's
   * call), times what `model` is known to be billed above the table; null when it would pass the budget.
   */
  tryReserveUsd(tableUsd: number, model?: string): Reservation | null {
    const usd = tableUsd * this.factorOf(model);
    if (this.spent + this.reserved + usd > this.maxCostUsd) return null;
    const reservation: Reservation = model === undefined ? { usd } : { usd, call: { model, tableUsd } };
    this.reserved += usd;
    this.open.add(reservation);
    return reservation;
  }

  /**
   * {@link tryReserveUsd}, waiting while requests in flight hold the room it needs: each settles at
   * what it cost, usually far below its worst case. Null (counted in {@link refusedCallCount}) only
   * when it would pass the budget with nothing else in flight, or with what is already spent.
   */
  async reserveUsd(tableUsd: number, model?: string): Promise<Reservation | null> {
    for (;;) {
      const reservation = this.tryReserveUsd(tableUsd, model);
      if (reservation) return reservation;
      const usd = tableUsd * this.factorOf(model);
      if (this.open.size === 0 || this.spent + usd > this.maxCostUsd) {
        this.refusedCalls++;
        return null;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /**
   * Replaces a reservation with what the trial cost. Output billed past its `maxTokens`, or dollars
   * past its worst case, first raise the model's worst case and re-value every reservation still open.
   */
  settle(reservation: Reservation, charge: TrialCharge): void {
    if (reservation.trial) {
      this.observe(reservation.trial, charge.billedOutputTokens);
      const trial = reservation.trial;
      const table = worstCaseCostUsd(trial.request, trial.pricing, this.outputBound(trial));
      if (table !== null) this.observePrice(trial.setting.model, table, charge);
    } else if (reservation.call) {
      this.observePrice(reservation.call.model, reservation.call.tableUsd, charge);
    }
    this.open.delete(reservation);
    this.reserved -= reservation.usd;
    this.spent += Number.isFinite(charge.costUsd) ? Math.max(0, charge.costUsd) : 0;
    for (const wake of this.waiters.splice(0)) wake();
  }

  get spentUsd(): number {
    return this.spent;
  }

  /** Judge calls refused by {@link reserveUsd} because they would have passed the budget. */
  get refusedCallCount(): number {
    return this.refusedCalls;
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
    this.revalue(model);
  }

  /** What `model`'s worst cases are multiplied by, from what it was billed so far (1 for none, or no model). */
  private factorOf(model: string | undefined): number {
    return model === undefined ? 1 : (this.priceFactor.get(model) ?? 1);
  }

  /** `worstUsd`: the request's worst case by the price table alone (no factor learned yet applied). */
  private observePrice(model: string, worstUsd: number, charge: TrialCharge): void {
    const before = this.priceFactor.get(model);
    const cost = charge.costUsd;
    if (!Number.isFinite(cost)) return;
    // Billed past the price of its usage, or (usage or not) past all the request was allowed to cost.
    let table = charge.pricedUsd !== undefined && charge.pricedUsd > 0 && cost > charge.pricedUsd * (1 + PRICE_TABLE_TOLERANCE) ? charge.pricedUsd : null;
    if (worstUsd > 0 && cost > worstUsd * (before ?? 1) && (table === null || worstUsd < table)) table = worstUsd;
    if (table === null) return;
    const factor = 1 + (cost / table - 1) * OBSERVED_OUTPUT_MARGIN;
    if (before !== undefined && factor <= before) return;
    this.priceFactor.set(model, factor);
    if (before === undefined) this.onOverrun?.({ model, billedUsd: cost, tableUsd: table, priceFactor: factor });
    this.revalue(model);
  }

  /** Raises every open reservation of `model` to its worst case known now. */
  private revalue(model: string): void {
    this.reserved = 0;
    for (const open of this.open) {
      if (open.trial?.setting.model === model) open.usd = Math.max(open.usd, this.worstCaseUsd(open.trial));
      if (open.call?.model === model) open.usd = Math.max(open.usd, open.call.tableUsd * this.factorOf(model));
      this.reserved += open.usd;
    }
  }
}
