/**
 * The retries a whole run may make. When the API is down, each trial retrying on its own would
 * multiply the load and the wait; a run-wide budget stops retrying once the run has spent it, and the
 * remaining failures are recorded with their codes.
 */
export class RetryBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes one retry; false when none is left. */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  get spent(): number {
    return this.used;
  }

  /** The budget for a run of `trials` trials: `ratio` retries per trial on average, and at least `floor`. */
  static forRun(trials: number, ratio: number, floor = 10): RetryBudget {
    return new RetryBudget(Math.max(floor, Math.ceil(trials * ratio)));
  }
}
