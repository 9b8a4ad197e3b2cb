/**
 * `--max-cost`: spending is never allowed past the budget. Each trial reserves its worst case before
 * it is sent; when it lands, the reservation is replaced by what it really cost. A trial whose worst
 * case no longer fits is not sent.
 */
export class BudgetGuard {
  private spent: number;
  private reserved = 0;

  /**
   * @param maxCostUsd the budget of the whole run.
   * @param alreadySpentUsd what the run spent before this process: on `--resume`, the recovered samples' cost.
   * @default alreadySpentUsd 0
   */
  constructor(
    readonly maxCostUsd: number,
    alreadySpentUsd = 0,
  ) {
    this.spent = alreadySpentUsd;
  }

  /** Reserves `worstUsd`; false (and nothing reserved) when it would pass the budget. */
  tryReserve(worstUsd: number): boolean {
    if (this.spent + this.reserved + worstUsd > this.maxCostUsd) return false;
    this.reserved += worstUsd;
    return true;
  }

  /** Replaces a reservation with what the trial cost. */
  settle(worstUsd: number, actualUsd: number): void {
    this.reserved -= worstUsd;
    this.spent += actualUsd;
  }

  get spentUsd(): number {
    return this.spent;
  }
}
