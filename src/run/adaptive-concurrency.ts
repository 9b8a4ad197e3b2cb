import type { Pacer } from './execute-trial.js';

/**
 * Concurrency that backs off under throttling and recovers: additive increase, multiplicative
 * decrease (as TCP does). A throttled attempt halves the limit, but only if it started after the last
 * decrease: a burst of 429s from requests sent at the old limit is one signal, not many. Every
 * `current` answered attempts add one slot back, up to the configured maximum.
 */
export class AdaptiveConcurrency implements Pacer {
  private limit: number;
  private answeredSinceChange = 0;
  private lastDecreaseAt = -Infinity;

  constructor(
    private readonly max: number,
    private readonly now: () => number,
    private readonly onChange: (limit: number) => void = () => {},
  ) {
    this.limit = max;
  }

  get current(): number {
    return this.limit;
  }

  throttled(startedAt: number): void {
    if (startedAt < this.lastDecreaseAt) return;
    this.lastDecreaseAt = this.now();
    this.set(Math.max(1, Math.floor(this.limit / 2)));
  }

  answered(): void {
    if (this.limit >= this.max) return;
    this.answeredSinceChange++;
    if (this.answeredSinceChange >= this.limit) this.set(this.limit + 1);
  }

  private set(limit: number): void {
    this.answeredSinceChange = 0;
    if (limit === this.limit) return;
    this.limit = limit;
    this.onChange(limit);
  }
}
