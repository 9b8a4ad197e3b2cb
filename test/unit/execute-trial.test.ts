import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../src/config/config-schema.js';
import type { AttemptOutcome } from '../../src/providers/provider.js';
import { executeTrial, type TrialOutcome } from '../../src/run/execute-trial.js';
import { RetryBudget } from '../../src/run/retry-budget.js';
import { makeTrial } from '../support/builders.js';
import { FakeClock } from '../support/fake-clock.js';
import { answered, failed, FakeProvider, type Script } from '../support/fake-provider.js';
import { MockRunwareApi, resultItem } from '../support/mock-runware-api.js';

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000, trialDeadlineMs: 900_000, budget: 1 };
const REQUEST_TIMEOUT_MS = 180_000;

function serviceUnavailable(overrides: Partial<NonNullable<AttemptOutcome['failure']>> = {}, latencyMs = 50): AttemptOutcome {
  return failed('SERVICE_UNAVAILABLE', { isRetryable: true, httpStatus: 503, ...overrides }, latencyMs);
}

/** Runs one trial through `script` with a fake clock; returns the outcome and what the fakes saw. */
async function run(script: Script, options: { retry?: Partial<RetryPolicy>; clock?: FakeClock; signal?: AbortSignal } = {}) {
  const provider = new FakeProvider(script);
  const clock = options.clock ?? new FakeClock();
  const outcome = await executeTrial(makeTrial().request, {
    provider,
    retry: { ...POLICY, ...options.retry },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    clock,
    signal: options.signal ?? new AbortController().signal,
  });
  return { outcome, provider, clock };
}

describe('executeTrial', () => {
  it('returns the first answer without waiting when it succeeds at once', async () => {
    const { outcome, provider, clock } = await run(() => answered(['ok']));
    expect(outcome).toEqual<TrialOutcome>({ results: answered(['ok']).results.map((r) => ({ ...r, latencyMs: 100 })), attempts: 1, latencyMs: 100, backoffMs: 0 });
    expect(provider.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a 429 once and returns the answer of the second attempt', async () => {
    const { outcome, provider, clock } = await run((_r, call) => (call === 0 ? failed('RATE_LIMITED', { isRetryable: true, httpStatus: 429 }) : answered(['ok'])));
    expect(outcome.results.map((r) => r.text)).toEqual(['ok']);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.attempts).toBe(2);
    expect(provider.requests).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('sends every attempt the same request, the configured timeout and the run signal', async () => {
    const controller = new AbortController();
    const seen: { timeoutMs: number; signal: AbortSignal }[] = [];
    const { provider } = await run(
      (_r, call, options) => {
        seen.push(options);
        return call < 2 ? serviceUnavailable() : answered(['ok']);
      },
      { signal: controller.signal },
    );
    expect(provider.requests).toEqual([makeTrial().request, makeTrial().request, makeTrial().request]);
    expect(seen.map((o) => o.timeoutMs)).toEqual([REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS]);
    expect(seen.every((o) => o.signal === controller.signal)).toBe(true);
  });

  it("caps each attempt's stream at what is left of the trial's deadline", async () => {
    const seen: (number | undefined)[] = [];
    const { clock } = await run(
      (_r, call, options) => {
        seen.push(options.streamDeadlineMs);
        return call === 0 ? failed('RATE_LIMITED', { isRetryable: true, httpStatus: 429, retryAfterMs: 7000 }) : answered(['ok']);
      },
      { retry: { trialDeadlineMs: 60_000 } },
    );
    expect(clock.sleeps).toEqual([7000]);
    expect(seen).toEqual([60_000, 53_000]);
  });

  it('waits at least the Retry-After the server asked for (7000 ms), above the jittered backoff', async () => {
    const { outcome, clock } = await run((_r, call) =>
      call === 0 ? failed('RATE_LIMITED', { isRetryable: true, httpStatus: 429, retryAfterMs: 7000 }) : answered(['ok']),
    );
    expect(clock.sleeps).toEqual([7000]);
    expect(outcome.backoffMs).toBe(7000);
  });

  it('cuts a Retry-After longer than maxRetryAfterMs down to it', async () => {
    const { clock } = await run(
      (_r, call) => (call === 0 ? failed('RATE_LIMITED', { isRetryable: true, httpStatus: 429, retryAfterMs: 3_600_000 }) : answered(['ok'])),
      { retry: { maxRetryAfterMs: 60_000 } },
    );
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('keeps the jittered backoff when it is longer than a short Retry-After', async () => {
    const { clock } = await run(
      (_r, call) => (call < 3 ? serviceUnavailable({ retryAfterMs: 100 }) : answered(['ok'])),
      { retry: { baseDelayMs: 1000 } },
    );
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('backs off with full jitter: with a draw of 0.5, half of base, 2×base, 4×base…, capped at maxDelayMs', async () => {
    const { clock } = await run(() => serviceUnavailable(), {
      retry: { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 6000 },
      clock: new FakeClock(() => 0.5),
    });
    // Ceilings 1000, 2000, 4000, 8000→6000, 16000→6000.
    expect(clock.sleeps).toEqual([500, 1000, 2000, 3000, 3000]);
  });

  it('draws each wait uniformly below its ceiling', async () => {
    const low = await run(() => serviceUnavailable(), { clock: new FakeClock(() => 0) });
    const high = await run(() => serviceUnavailable(), { clock: new FakeClock(() => 0.999) });
    expect(low.clock.sleeps).toEqual([0, 0, 0]);
    expect(high.clock.sleeps).toEqual([999, 1998, 3996]);
  });

  it('does not retry a 401: one attempt, no wait', async () => {
    const { outcome, provider, clock } = await run(() => failed('INVALID_API_KEY', { isRetryable: false, httpStatus: 401, providerCode: 'invalidApiKey' }));
    expect(outcome.failure).toMatchObject({ code: 'INVALID_API_KEY', httpStatus: 401 });
    expect(outcome.attempts).toBe(1);
    expect(provider.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops at maxAttempts when every attempt fails retryably, with the last attempt’s failure', async () => {
    const { outcome, provider, clock } = await run((_r, call) => serviceUnavailable({ message: `attempt ${call + 1}` }));
    expect(outcome.attempts).toBe(4);
    expect(provider.requests).toHaveLength(4);
    expect(clock.sleeps).toHaveLength(3);
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'SERVICE_UNAVAILABLE', isRetryable: true, message: 'attempt 4 (after 4 attempts)' });
  });

  it('makes one attempt only when maxAttempts is 1', async () => {
    const { outcome, clock } = await run(() => serviceUnavailable(), { retry: { maxAttempts: 1 } });
    expect(outcome.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('keeps a partial answer and asks again for the missing results only, so nothing is paid twice', async () => {
    const partial: AttemptOutcome = {
      ...answered(['a'], {}, 300),
      failure: { code: 'MISSING_RESULT', message: 'asked for 3 results, received 1; 2 missing', isRetryable: true },
    };
    const provider = new FakeProvider((_r, call) => (call === 0 ? partial : answered(['b', 'c'], {}, 200)));
    const clock = new FakeClock();
    const trial = makeTrial({ setting: { numberResults: 3 } });
    const outcome = await executeTrial(trial.request, { provider, retry: POLICY, requestTimeoutMs: REQUEST_TIMEOUT_MS, clock, signal: new AbortController().signal });
    expect(outcome.results.map((r) => [r.text, r.latencyMs])).toEqual([['a', 300], ['b', 200], ['c', 200]]);
    expect(outcome.failure).toBeUndefined();
    expect(provider.requests.map((r) => r.numberResults)).toEqual([3, 2]);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('keeps a partial answer without retrying when its failure is not retryable', async () => {
    const partial: AttemptOutcome = { ...answered(['a']), failure: { code: 'CONTENT_POLICY', message: 'refused', isRetryable: false } };
    const provider = new FakeProvider(() => partial);
    const outcome = await executeTrial(makeTrial({ setting: { numberResults: 2 } }).request, {
      provider, retry: POLICY, requestTimeoutMs: REQUEST_TIMEOUT_MS, clock: new FakeClock(), signal: new AbortController().signal,
    });
    expect(outcome.results.map((r) => r.text)).toEqual(['a']);
    expect(outcome.failure?.code).toBe('CONTENT_POLICY');
    expect(provider.requests).toHaveLength(1);
  });

  it('drops results beyond what was asked', async () => {
    const { outcome } = await run(() => answered(['a', 'b', 'c']));
    expect(outcome.results.map((r) => r.text)).toEqual(['a']);
  });

  it('stops retrying when the run budget is spent, and says so', async () => {
    const budget = new RetryBudget(2);
    const provider = new FakeProvider(() => serviceUnavailable({ message: 'busy' }));
    const outcome = await executeTrial(makeTrial().request, {
      provider, retry: { ...POLICY, maxAttempts: 10 }, requestTimeoutMs: REQUEST_TIMEOUT_MS, clock: new FakeClock(), signal: new AbortController().signal, retryBudget: budget,
    });
    expect(provider.requests).toHaveLength(3);
    expect(budget.spent).toBe(2);
    expect(outcome.failure).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: "busy (the run's retry budget (2) is spent)" });
  });

  it('starts no retry past the trial deadline', async () => {
    const { outcome, provider } = await run(() => serviceUnavailable({ message: 'busy' }), { retry: { maxAttempts: 10, baseDelayMs: 1000, trialDeadlineMs: 2500 } });
    // Waits of 500 and 1000 fit in 2.5 s; the next (2000) would not.
    expect(provider.requests).toHaveLength(3);
    expect(outcome.failure?.message).toBe('busy (trial deadline of 2500 ms reached after 3 attempts)');
  });

  it('tells the pacer about throttling, with when the attempt started, and about answers', async () => {
    const events: string[] = [];
    const clock = new FakeClock();
    const provider = new FakeProvider((_r, call) => (call === 0 ? failed('RATE_LIMITED', { isRetryable: true }) : call === 1 ? failed('SERVER_ERROR', { isRetryable: true }) : answered(['ok'])));
    await executeTrial(makeTrial().request, {
      provider, retry: POLICY, requestTimeoutMs: REQUEST_TIMEOUT_MS, clock, signal: new AbortController().signal,
      pacer: { throttled: (at) => events.push(`throttled@${at}`), answered: () => events.push('answered') },
    });
    // A 500 is a failure, not a sign of load: only the 429 slows the run.
    expect(events).toEqual(['throttled@0', 'answered']);
  });

  it('stops retrying once the run signal is aborted', async () => {
    const controller = new AbortController();
    const { outcome, provider, clock } = await run(
      () => {
        controller.abort();
        return serviceUnavailable();
      },
      { signal: controller.signal },
    );
    expect(outcome.attempts).toBe(1);
    expect(provider.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(outcome.failure?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('reports as backoffMs the sum of the waits between attempts', async () => {
    const { outcome, clock } = await run((_r, call) => (call < 3 ? serviceUnavailable() : answered(['ok'])));
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    expect(outcome.backoffMs).toBe(3500);
    expect(outcome.attempts).toBe(4);
  });

  it('reports the final attempt’s own latency, not the sum and not the waits', async () => {
    const { outcome } = await run((_r, call) => (call === 0 ? serviceUnavailable({}, 40) : call === 1 ? serviceUnavailable({}, 60) : answered(['ok'], {}, 120)));
    expect(outcome.latencyMs).toBe(120);
    expect(outcome.backoffMs).toBe(1500);
  });
});

describe('executeTrial over the real Runware client and MockAgent', () => {
  let api: MockRunwareApi;

  beforeEach(() => {
    api = new MockRunwareApi();
  });

  afterEach(async () => {
    await api.close();
  });

  async function runReal(options: { clock?: FakeClock; signal?: AbortSignal } = {}) {
    const provider = api.provider();
    const clock = options.clock ?? new FakeClock();
    try {
      const outcome = await executeTrial(makeTrial().request, {
        provider,
        retry: POLICY,
        requestTimeoutMs: 5_000,
        clock,
        signal: options.signal ?? new AbortController().signal,
      });
      return { outcome, clock };
    } finally {
      await provider.close();
    }
  }

  it('gets the answer after two 503s: three requests, each with its own taskUUID', async () => {
    api.answer(() => ({ status: 503, body: { errors: [{ code: 'modelUnavailable', message: 'busy' }] } }));
    api.answer(() => ({ status: 503, body: 'Service Unavailable' }));
    api.answer((task) => ({ status: 200, body: { data: [resultItem(task, 'third time lucky')] } }));

    const { outcome, clock } = await runReal();

    expect(outcome.results.map((r) => r.text)).toEqual(['third time lucky']);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.attempts).toBe(3);
    expect(api.received).toHaveLength(3);
    expect(new Set(api.received.map((r) => r.tasks[0]!.taskUUID)).size).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(outcome.backoffMs).toBe(1500);
  });

  it('waits the Retry-After of a real 429 before the next request', async () => {
    api.answer(() => ({ status: 429, body: '', headers: { 'retry-after': '7' } }));
    api.answer((task) => ({ status: 200, body: { data: [resultItem(task, 'ok')] } }));

    const { outcome, clock } = await runReal();

    expect(outcome.results).toHaveLength(1);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('sends one request only for a 401', async () => {
    api.answer(() => ({ status: 401, body: { errors: [{ code: 'invalidApiKey', message: 'Invalid API key' }] } }));

    const { outcome, clock } = await runReal();

    expect(outcome.failure).toMatchObject({ code: 'INVALID_API_KEY', isRetryable: false, httpStatus: 401 });
    expect(api.received).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('sends nothing more when the run is aborted during a backoff, and reports INTERRUPTED', async () => {
    const controller = new AbortController();
    class AbortingClock extends FakeClock {
      override async sleep(ms: number): Promise<void> {
        await super.sleep(ms);
        controller.abort();
      }
    }
    api.answer(() => ({ status: 503, body: '' }));

    const { outcome } = await runReal({ clock: new AbortingClock(), signal: controller.signal });

    expect(api.received).toHaveLength(1);
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'INTERRUPTED', isRetryable: false });
    // No second attempt was made, not even one the client refused to send.
    expect(outcome.attempts).toBe(1);
  });
});
