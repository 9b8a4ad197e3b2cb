import type { RetryPolicy } from '../config/config-schema.js';
import type { InferenceRequest } from '../plan/trial.js';
import type { Provider, ProviderFailure, ProviderResult } from '../providers/provider.js';
import type { SampleErrorCode } from '../core/sample-record.js';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';
import type { RetryBudget } from './retry-budget.js';

/** A result as the trial received it: with the time of the attempt that brought it. */
export interface ReceivedResult extends ProviderResult {
  /** The own time of the attempt that returned this result. */
  latencyMs: number;
}

/** How a trial ended, after every attempt it took. */
export interface TrialOutcome {
  /** The results received, in order (at most numberResults). */
  results: ReceivedResult[];
  /** Why results are missing, when any are. */
  failure?: ProviderFailure;
  attempts: number;
  /** The final attempt's own time (the latency of errored samples). */
  latencyMs: number;
  /** Time spent waiting between attempts (reported apart from latency, never mixed in). */
  backoffMs: number;
}

/** Told how requests fare, to adapt the run's concurrency (see AdaptiveConcurrency). */
export interface Pacer {
  /** An attempt started at `startedAt` was throttled (429, 503, 504). */
  throttled(startedAt: number): void;
  /** An attempt returned results. */
  answered(): void;
}

export interface ExecuteTrialOptions {
  provider: Provider;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  clock: Clock;
  /** Aborts in-flight attempts and pending backoff (a second Ctrl-C). */
  signal: AbortSignal;
  /** The run's retries, shared by all trials; without one, retries are limited per trial only. */
  retryBudget?: RetryBudget;
  pacer?: Pacer;
  /**
   * Async tasks an earlier, killed run submitted for this trial (from async-tasks.jsonl): they are
   * polled first, and only the results they cannot give (a task Runware no longer knows) are sent again.
   */
  resumeTasks?: readonly { taskUUID: string; numberResults: number }[];
  /** Hears each async task before its submission is sent, to journal it. */
  onAsyncSubmit?: (taskUUID: string, numberResults: number) => void;
}

/** Failures that mean "too much load": they slow the whole run down, not just this trial. */
const THROTTLING: ReadonlySet<SampleErrorCode> = new Set(['RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'QUEUE_TIMEOUT']);

/**
 * Sends one trial's request, retrying what is retryable, within `retry.maxAttempts`, the trial's
 * deadline and the run's retry budget. When only some of the results came back, the retry asks for
 * the missing ones only (`numberResults` = what is missing), so nothing received is paid for twice.
 */
export async function executeTrial(request: InferenceRequest, options: ExecuteTrialOptions): Promise<TrialOutcome> {
  const { provider, retry, clock, signal } = options;
  const results: ReceivedResult[] = [];
  const trialStarted = clock.now();
  let waited = 0;
  const resumed = await collectResumedTasks(request, options, results);
  if (resumed.outcome) return resumed.outcome;
  for (let attempt = resumed.attempts + 1; ; attempt++) {
    const missing = request.numberResults - results.length;
    const startedAt = clock.now();
    const asked = missing === request.numberResults ? request : { ...request, numberResults: missing };
    const outcome = await provider.send(asked, {
      signal,
      timeoutMs: options.requestTimeoutMs,
      // A stream that keeps arriving is bounded by what is left of the trial's deadline, not by the request timeout.
      streamDeadlineMs: Math.max(1, retry.trialDeadlineMs - (startedAt - trialStarted)),
      ...(options.onAsyncSubmit ? { asyncTask: { onSubmit: (taskUUID: string) => options.onAsyncSubmit!(taskUUID, missing) } } : {}),
    });
    const received = outcome.results.slice(0, missing);
    results.push(...received.map((r) => ({ ...r, latencyMs: r.stream?.latencyMs ?? outcome.latencyMs })));
    if (received.length > 0) options.pacer?.answered();
    if (outcome.failure && THROTTLING.has(outcome.failure.code)) options.pacer?.throttled(startedAt);

    const end = (failure?: ProviderFailure): TrialOutcome => ({
      results,
      ...(failure ? { failure } : {}),
      attempts: attempt,
      latencyMs: outcome.latencyMs,
      backoffMs: waited,
    });
    if (results.length >= request.numberResults) return end();
    const failure: ProviderFailure = outcome.failure ?? {
      code: 'MISSING_RESULT',
      message: `asked for ${missing} result${missing === 1 ? '' : 's'}, received ${received.length}`,
      isRetryable: true,
    };
    if (!failure.isRetryable || signal.aborted) return end(failure);
    if (attempt >= retry.maxAttempts) return end(withNote(failure, `after ${attempt} attempts`));

    const wait = backoffMs(attempt, retry, clock.random(), failure.retryAfterMs);
    if (clock.now() - trialStarted + wait > retry.trialDeadlineMs) return end(withNote(failure, `trial deadline of ${retry.trialDeadlineMs} ms reached after ${attempt} attempts`));
    if (options.retryBudget && !options.retryBudget.take()) return end(withNote(failure, `the run's retry budget (${options.retryBudget.limit}) is spent`));
    waited += wait;
    await clock.sleep(wait, signal);
    if (signal.aborted) return end({ code: 'INTERRUPTED', message: 'the run was interrupted while waiting to retry', isRetryable: false });
  }
}

/**
 * Polls the async tasks a killed run left for this trial, adding what they return to `results`. A task
 * Runware no longer knows (NOT_FOUND) gives nothing and leaves its results to be sent again; any other
 * failure that cannot be retried (a task still running at the polling deadline, an interruption) ends
 * the trial here: sending it again would pay twice for a task that may still deliver.
 */
async function collectResumedTasks(
  request: InferenceRequest,
  options: ExecuteTrialOptions,
  results: ReceivedResult[],
): Promise<{ attempts: number; outcome?: TrialOutcome }> {
  let attempts = 0;
  let latencyMs = 0;
  if (request.deliveryMethod !== 'async') return { attempts };
  for (const task of options.resumeTasks ?? []) {
    const missing = request.numberResults - results.length;
    if (missing <= 0) break;
    attempts++;
    const outcome = await options.provider.send({ ...request, numberResults: task.numberResults }, {
      signal: options.signal,
      timeoutMs: options.requestTimeoutMs,
      asyncTask: { resumeTaskUUID: task.taskUUID },
    });
    latencyMs = outcome.latencyMs;
    results.push(...outcome.results.slice(0, missing).map((r) => ({ ...r, latencyMs })));
    const failure = outcome.failure;
    if (results.length >= request.numberResults || !failure || failure.code === 'NOT_FOUND' || failure.isRetryable) continue;
    return { attempts, outcome: { results, failure, attempts, latencyMs, backoffMs: 0 } };
  }
  if (results.length >= request.numberResults) return { attempts, outcome: { results, attempts, latencyMs, backoffMs: 0 } };
  return { attempts };
}

function withNote(failure: ProviderFailure, note: string): ProviderFailure {
  return { ...failure, message: `${failure.message} (${note})` };
}
