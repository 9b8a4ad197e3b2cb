import { setTimeout as sleep } from 'node:timers/promises';

/** Time as a provider sees it: injected so that polling is tested without real sleeps. */
export interface ProviderClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemProviderClock: ProviderClock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    if (ms <= 0 || signal?.aborted) return;
    await sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
  },
};
