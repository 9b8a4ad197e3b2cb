import type { RetryPolicy } from '../config/config-schema.js';
import type { InferenceRequest } from '../plan/trial.js';
import type { Provider, ProviderFailure, ProviderResult } from '../providers/provider.js';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';

/** How a trial ended, after every attempt it took. */
export interface TrialOutcome {
  /** The results received (at most numberResults). */
  results: ProviderResult[];
  /** Why results are missing, when any are. */
  failure?: ProviderFailure;
  attempts: number;
  /** The final attempt's own time. */
  latencyMs: number;
  /** Time spent waiting between attempts (reported apart from latency, never mixed in). */
  backoffMs: number;
}

export interface ExecuteTrialOptions {
  provider: Provider;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  clock: Clock;
  /** Aborts in-flight attempts and pending backoff (a second Ctrl-C). */
  signal: AbortSignal;
}

/**
 * Sends one trial's request, retrying what is retryable. A partial answer is kept, not retried:
 * asking again would pay again for the results already received.
 */
export async function executeTrial(request: InferenceRequest, options: ExecuteTrialOptions): Promise<TrialOutcome> {
  const { provider, retry, clock, signal } = options;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    const outcome = await provider.send(request, { signal, timeoutMs: options.requestTimeoutMs });
    const isLast = attempt >= retry.maxAttempts || signal.aborted;
    if (!outcome.failure || outcome.results.length > 0 || !outcome.failure.isRetryable || isLast) {
      return {
        results: outcome.results,
        ...(outcome.failure ? { failure: outcome.failure } : {}),
        attempts: attempt,
        latencyMs: outcome.latencyMs,
        backoffMs: waited,
      };
    }
    const wait = backoffMs(attempt, retry, clock.random(), outcome.failure.retryAfterMs);
    waited += wait;
    await clock.sleep(wait, signal);
    if (signal.aborted) {
      return {
        results: [],
        failure: { code: 'INTERRUPTED', message: 'the run was interrupted while waiting to retry', isRetryable: false },
        attempts: attempt,
        latencyMs: outcome.latencyMs,
        backoffMs: waited,
      };
    }
  }
}
