import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PollingSchema } from '../../src/config/config-schema.js';
import type { InferenceRequest } from '../../src/plan/trial.js';
import type { AttemptOutcome } from '../../src/providers/provider.js';
import type { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { WebhookInbox } from '../../src/providers/runware/webhook-inbox.js';
import { makeTrial } from '../support/builders.js';
import { FakeClock } from '../support/fake-clock.js';
import { MockRunwareApi, resultItem, type MockAnswer } from '../support/mock-runware-api.js';

const polling = PollingSchema.parse({});
const asyncRequest = (overrides: Partial<InferenceRequest> = {}): InferenceRequest => ({ ...makeTrial().request, deliveryMethod: 'async', ...overrides });
const ack = (task: { taskUUID: string }): MockAnswer => ({ status: 200, body: { data: [{ taskType: 'textInference', taskUUID: task.taskUUID }] } });
const processing = (task: { taskUUID: string }) => ({ taskType: 'textInference', taskUUID: task.taskUUID, status: 'processing' });
const success = (task: { taskUUID: string }, text: string) => ({ ...resultItem(task, text), status: 'success' });

let api: MockRunwareApi;
let clock: FakeClock;
let provider: RunwareProvider;

beforeEach(() => {
  api = new MockRunwareApi();
  clock = new FakeClock();
  provider = api.provider({ clock, polling });
});

afterEach(async () => {
  await provider.close();
  await api.close();
});

function send(request = asyncRequest(), signal = new AbortController().signal): Promise<AttemptOutcome> {
  return provider.send(request, { signal, timeoutMs: 5_000 });
}

describe('async delivery: submit, then poll getResponse', () => {
  it('submits with deliveryMethod async, then polls getResponse with the same taskUUID until the result is in', async () => {
    api.answer(ack);
    api.answer((task) => ({ status: 200, body: { data: [processing(task)] } }));
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'done')] } }));
    const outcome = await send();

    expect(outcome.failure).toBeUndefined();
    expect(outcome.results.map((r) => r.text)).toEqual(['done']);
    const [submit, poll1, poll2] = api.received.map((r) => r.tasks[0]!);
    expect(submit).toMatchObject({ taskType: 'textInference', deliveryMethod: 'async', includeCost: true, includeUsage: true });
    expect(submit).not.toHaveProperty('webhookURL');
    expect(poll1).toEqual({ taskType: 'getResponse', taskUUID: submit!.taskUUID });
    expect(poll2).toEqual(poll1);
  });

  it('waits 1 s before the first poll, then 1.5 times longer each time, never more than 10 s', async () => {
    api.answer(ack);
    for (let i = 0; i < 8; i++) api.answer((task) => ({ status: 200, body: { data: [processing(task)] } }));
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'late')] } }));
    const outcome = await send();
    expect(outcome.results).toHaveLength(1);
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375, 5062.5, 7593.75, 10_000, 10_000, 10_000]);
    expect(outcome.latencyMs).toBe(clock.sleeps.reduce((a, b) => a + b, 0));
  });

  it('takes results the acknowledgement already holds, without polling', async () => {
    api.answer((task) => ({ status: 200, body: { data: [resultItem(task, 'at once')] } }));
    const outcome = await send();
    expect(outcome.results.map((r) => r.text)).toEqual(['at once']);
    expect(api.received).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('collects N results as their items turn success, some before others, and keeps the latest state', async () => {
    api.answer(ack);
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'a'), processing(task), processing(task)] } }));
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'a'), success(task, 'b'), processing(task)] } }));
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'a'), success(task, 'b'), success(task, 'c')] } }));
    const outcome = await send(asyncRequest({ numberResults: 3 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['a', 'b', 'c']);
    expect(outcome.failure).toBeUndefined();
  });

  it('keeps the results that succeeded and reports an errored item with its own code', async () => {
    api.answer(ack);
    api.answer((task) => ({
      status: 200,
      body: { data: [success(task, 'a'), { taskType: 'textInference', taskUUID: task.taskUUID, status: 'error', error: { code: 'timeoutProvider', message: 'slow' } }] },
    }));
    const outcome = await send(asyncRequest({ numberResults: 2 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['a']);
    expect(outcome.failure).toMatchObject({ code: 'PROVIDER_TIMEOUT', isRetryable: true, providerCode: 'timeoutProvider' });
  });

  it.each([
    ['inferenceError', 'PROVIDER_ERROR', true],
    ['noAvailableServer', 'PROVIDER_ERROR', true],
    ['internalServerError', 'SERVER_ERROR', true],
    ['contentPolicyViolation', 'CONTENT_POLICY', false],
    ['brandNewCode', 'UNKNOWN_ERROR', false],
  ] as const)('classifies a getResponse error item %s as the SDK does: %s (retryable: %s)', async (providerCode, code, isRetryable) => {
    api.answer(ack);
    api.answer((task) => ({ status: 200, body: { data: [{ taskType: 'textInference', taskUUID: task.taskUUID, status: 'error', error: { code: providerCode, message: 'no' } }] } }));
    const outcome = await send();
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code, isRetryable, providerCode });
  });

  it('polls on through a failed poll (503, a reset) and still collects the result', async () => {
    api.answer(ack);
    api.answer(() => ({ status: 503, body: { errors: [{ code: 'modelUnavailable', message: 'busy' }] } }));
    api.intercept().replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'patient')] } }));
    const outcome = await send();
    expect(outcome.results.map((r) => r.text)).toEqual(['patient']);
    expect(clock.sleeps).toHaveLength(3);
  });

  it('stops at a poll that cannot succeed: an unknown task is NOT_FOUND, not retried', async () => {
    api.answer(ack);
    api.answer((task) => ({ status: 400, body: { errors: [{ code: 'taskFailedOrNotFound', message: 'gone', taskUUID: task.taskUUID }] } }));
    const outcome = await send();
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'NOT_FOUND', isRetryable: false });
  });

  it('gives up at the deadline: what never arrived is ASYNC_TIMEOUT, not retried, and what arrived is kept', async () => {
    provider = api.provider({ clock, polling: { ...polling, deadlineMs: 20_000 } });
    api.answer(ack);
    for (let i = 0; i < 6; i++) api.answer((task) => ({ status: 200, body: { data: [success(task, 'one'), processing(task)] } }));
    const outcome = await send(asyncRequest({ numberResults: 2 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['one']);
    expect(outcome.failure).toMatchObject({ code: 'ASYNC_TIMEOUT', isRetryable: false });
    expect(outcome.failure!.message).toContain('1 of 2 results not delivered within polling.deadlineMs (20000 ms)');
    expect(clock.now()).toBe(20_000);
  });

  it('refuses a submission the way a sync request is refused (400 invalidParameter), without polling', async () => {
    api.answer(() => ({ status: 400, body: { errors: [{ code: 'invalidParameter', message: 'bad', parameter: 'deliveryMethod' }] } }));
    const outcome = await send();
    expect(outcome.failure).toMatchObject({ code: 'INVALID_REQUEST', isRetryable: false, httpStatus: 400 });
    expect(api.received).toHaveLength(1);
  });

  it('stops waiting when the run is interrupted', async () => {
    const controller = new AbortController();
    api.answer(ack);
    const slowClock = { now: () => 0, sleep: async () => void controller.abort() };
    provider = api.provider({ clock: slowClock, polling });
    const outcome = await send(asyncRequest(), controller.signal);
    expect(outcome.failure).toMatchObject({ code: 'INTERRUPTED' });
  });
});

describe('async delivery by webhook', () => {
  const webhookUrl = 'https://hooks.example.com/webhook/s3cr3t-t0ken';
  const receiverOf = (inbox: WebhookInbox) => ({ url: webhookUrl, inbox, redact: (t: string) => t.split('s3cr3t-t0ken').join('[token]') });

  it('sends the webhookURL with the task and takes the results POSTed there, without polling', async () => {
    const inbox = new WebhookInbox();
    provider = api.provider({ clock, polling, webhook: { receiver: receiverOf(inbox), fallbackAfterMs: 30_000 } });
    api.answer((task) => {
      // The results reach the webhook before the acknowledgement reaches the client.
      inbox.receive(JSON.stringify({ ...success(task, 'hooked'), status: 'success' }));
      inbox.receive(JSON.stringify({ ...success(task, 'hooked'), status: 'success' }));
      inbox.receive(JSON.stringify({ ...success(task, 'again') }));
      return ack(task);
    });
    const outcome = await send(asyncRequest({ numberResults: 2 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['hooked', 'again']);
    expect(api.received).toHaveLength(1);
    expect(api.received[0]!.tasks[0]).toMatchObject({ deliveryMethod: 'async', webhookURL: webhookUrl });
  });

  it('polls getResponse for the results the webhook has not brought by the fallback deadline', async () => {
    const inbox = new WebhookInbox();
    provider = api.provider({ clock, polling, webhook: { receiver: receiverOf(inbox), fallbackAfterMs: 30_000 } });
    api.answer((task) => {
      inbox.receive(JSON.stringify(success(task, 'one')));
      return ack(task);
    });
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'one'), success(task, 'two')] } }));
    const outcome = await send(asyncRequest({ numberResults: 2 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['one', 'two']);
    expect(clock.sleeps).toEqual([30_000, 1000]);
    expect(api.received[1]!.tasks[0]).toMatchObject({ taskType: 'getResponse' });
  });

  it('asks getResponse at once when a result comes twice: two identical results look like a retried delivery', async () => {
    const inbox = new WebhookInbox();
    provider = api.provider({ clock, polling, webhook: { receiver: receiverOf(inbox), fallbackAfterMs: 30_000 } });
    api.answer((task) => {
      inbox.receive(JSON.stringify(success(task, 'billing')));
      inbox.receive(JSON.stringify(success(task, 'billing')));
      return ack(task);
    });
    api.answer((task) => ({ status: 200, body: { data: [success(task, 'billing'), success(task, 'billing')] } }));
    const outcome = await send(asyncRequest({ numberResults: 2 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['billing', 'billing']);
    expect(clock.sleeps).toEqual([0]);
  });

  it('keeps the webhook token out of failure messages', async () => {
    const inbox = new WebhookInbox();
    provider = api.provider({ clock, polling, webhook: { receiver: receiverOf(inbox), fallbackAfterMs: 30_000 } });
    api.answer(() => ({ status: 400, body: { errors: [{ code: 'invalidParameter', message: `webhookURL ${webhookUrl} is not reachable`, parameter: 'webhookURL' }] } }));
    const outcome = await send();
    expect(outcome.failure!.message).toContain('https://hooks.example.com/webhook/[token]');
    expect(outcome.failure!.message).not.toContain('s3cr3t-t0ken');
  });
});
