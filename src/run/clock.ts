import { setTimeout as sleep } from 'node:timers/promises';

/** Time as the runner sees it; injected so that retries and backoff are tested without real sleeps. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A uniform draw in [0, 1), for jitter. */
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    if (ms <= 0 || signal?.aborted) return;
    await sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
  },
  random: Math.random,
};
