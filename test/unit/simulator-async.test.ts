import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PollingSchema } from '../../src/config/config-schema.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import type { Faults } from '../../src/config/simulator-faults.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { compileScenario, ScenarioSchema } from '../../src/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import { makeTrial } from '../support/builders.js';

const scenario = compileScenario(
  ScenarioSchema.parse({ scenario: 'echo', match: 'Say yes', levels: { low: { accuracy: 1, thinkingTokens: 10, latencyMs: 60 } }, answers: [{ correct: 'yes', wrong: 'no' }] }),
);
const fastPolling = PollingSchema.parse({ firstDelayMs: 10, factor: 1.5, maxDelayMs: 40, deadlineMs: 3000 });

let simulator: RunningSimulator | undefined;
afterEach(async () => simulator?.close());

/** The simulator's clock for async readiness, moved by the tests that need it. */
let nowMs = 0;
async function start(faults: Partial<Faults> = {}, now?: () => number): Promise<RunningSimulator> {
  simulator = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale: 1, faults, ...(now ? { now } : {}) });
  return simulator;
}

async function post(url: string, tasks: unknown[]): Promise<{ status: number; body: { data?: Record<string, unknown>[]; errors?: Record<string, unknown>[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: JSON.stringify(tasks) });
  return { status: response.status, body: (await response.json()) as never };
}

const asyncTask = (taskUUID: string, numberResults = 2) => ({
  taskType: 'textInference', taskUUID, model: 'openai:gpt@5.5', deliveryMethod: 'async', numberResults, includeCost: true, includeUsage: true,
  messages: [{ role: 'user', content: 'Say yes' }], settings: { maxTokens: 500, thinkingLevel: 'low' },
});

describe('the simulator, async', () => {
  it('acknowledges at once, reports processing, then success items carrying the results', async () => {
    nowMs = 0;
    const { url } = await start({}, () => nowMs);
    const taskUUID = randomUUID();
    const submitted = await post(url, [asyncTask(taskUUID)]);
    expect(submitted).toEqual({ status: 200, body: { data: [{ taskType: 'textInference', taskUUID }] } });

    const early = await post(url, [{ taskType: 'getResponse', taskUUID }]);
    expect(early.body.data!.map((i) => i.status)).toEqual(['processing', 'processing']);
    nowMs = 10_000;
    const late = await post(url, [{ taskType: 'getResponse', taskUUID }]);
    expect(late.body.data).toEqual([
      expect.objectContaining({ taskUUID, status: 'success', text: 'yes', finishReason: 'stop', usage: expect.any(Object), cost: expect.any(Number) }),
      expect.objectContaining({ taskUUID, status: 'success', text: 'yes' }),
    ]);
    expect(simulator!.stats).toMatchObject({ tasks: 1, polls: 2 });
  });

  it('answers getResponse for an unknown task with taskFailedOrNotFound', async () => {
    const { url } = await start();
    const taskUUID = randomUUID();
    const answer = await post(url, [{ taskType: 'getResponse', taskUUID }]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ code: 'taskFailedOrNotFound', taskUUID })]);
  });

  it('refuses a delivery method the model does not take, and a webhookURL that is no URI; takes one with any delivery method, as the real API does', async () => {
    const { url } = await start();
    const proOnly = await post(url, [{ ...asyncTask(randomUUID()), model: 'openai:gpt@5.4-pro', deliveryMethod: 'sync', settings: { maxTokens: 500, thinkingLevel: 'high' } }]);
    expect(proOnly.body.errors).toEqual([expect.objectContaining({ code: 'invalidParameter', parameter: 'deliveryMethod', allowedValues: ['async'] })]);
    const notUri = await post(url, [{ ...asyncTask(randomUUID()), webhookURL: 'not a uri' }]);
    expect(notUri.body.errors).toEqual([expect.objectContaining({ code: 'invalidParameter', parameter: 'webhookURL' })]);
    const syncHook = await post(url, [{ ...asyncTask(randomUUID()), deliveryMethod: 'sync', webhookURL: 'http://127.0.0.1:1/hook' }]);
    expect(syncHook.status).toBe(200);
    expect(syncHook.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ text: expect.any(String) })]));
  });

  it('serves the real client: every result of an async request arrives through polling', async () => {
    const { url } = await start();
    const provider = new RunwareProvider({ apiUrl: url, apiKey: 'k', connections: 2, polling: fastPolling });
    const outcome = await provider.send({ ...makeTrial().request, messages: [{ role: 'user', content: 'Say yes' }], numberResults: 3, deliveryMethod: 'async' }, {
      signal: new AbortController().signal,
      timeoutMs: 2000,
    });
    await provider.close();
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results.map((r) => r.text)).toEqual(['yes', 'yes', 'yes']);
    expect(simulator!.stats.polls).toBeGreaterThan(1);
  });

  it('leaves a stuck result processing for ever, so the client errors it ASYNC_TIMEOUT at its deadline', async () => {
    const { url } = await start({ asyncStuck: 1 });
    const provider = new RunwareProvider({ apiUrl: url, apiKey: 'k', connections: 2, polling: { ...fastPolling, deadlineMs: 300 } });
    const outcome = await provider.send({ ...makeTrial().request, messages: [{ role: 'user', content: 'Say yes' }], deliveryMethod: 'async' }, {
      signal: new AbortController().signal,
      timeoutMs: 2000,
    });
    await provider.close();
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'ASYNC_TIMEOUT', isRetryable: false });
  });

  it('turns providerTimeout and mixed faults into errored items rather than HTTP errors', async () => {
    nowMs = 0;
    const { url } = await start({ mixed: 1 }, () => nowMs);
    const taskUUID = randomUUID();
    await post(url, [asyncTask(taskUUID, 2)]);
    nowMs = 10_000;
    const state = await post(url, [{ taskType: 'getResponse', taskUUID }]);
    expect(state.body.data!.map((i) => i.status)).toEqual(['success', 'error']);
    expect(state.body.data![1]).toMatchObject({ error: { code: 'timeoutProvider' } });
  });
});

describe('the simulator, webhooks', () => {
  let receiverServer: import('node:http').Server | undefined;
  afterEach(async () => new Promise<void>((resolve) => (receiverServer ? receiverServer.close(() => resolve()) : resolve())));

  /** A receiver that answers each POST with the next status of `statuses` (then 200), recording the bodies. */
  async function receiver(statuses: number[]): Promise<{ url: string; bodies: Record<string, unknown>[] }> {
    const { createServer } = await import('node:http');
    const bodies: Record<string, unknown>[] = [];
    receiverServer = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as Record<string, unknown>);
        res.writeHead(statuses.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => receiverServer!.listen(0, '127.0.0.1', () => resolve()));
    const { port } = receiverServer.address() as import('node:net').AddressInfo;
    return { url: `http://127.0.0.1:${port}/webhook/token`, bodies };
  }

  it('POSTs each result flat to the webhookURL when it is ready, and retries a non-2xx answer with backoff', async () => {
    const hook = await receiver([500, 503]);
    simulator = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale: 0.2, webhookRetryBaseMs: 5 });
    const taskUUID = randomUUID();
    await post(simulator.url, [{ ...asyncTask(taskUUID, 2), webhookURL: hook.url }]);
    await vi.waitFor(() => expect(simulator!.stats.webhooks.delivered).toBe(2), { timeout: 5000 });
    const delivered = hook.bodies.filter((b, i, all) => all.findIndex((o) => JSON.stringify(o) === JSON.stringify(b)) === i);
    expect(delivered).toHaveLength(2);
    for (const body of delivered) expect(body).toMatchObject({ taskType: 'textInference', taskUUID, status: 'success', text: 'yes' });
    expect(hook.bodies[0]).not.toHaveProperty('data');
    expect(simulator.stats.webhooks).toMatchObject({ delivered: 2, retries: 2, posts: 4, abandoned: 0 });
  });

  it('can lose a delivery or send one twice (webhookLost, webhookDuplicate)', async () => {
    const hook = await receiver([]);
    simulator = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, faults: { webhookDuplicate: 1 } });
    await post(simulator.url, [{ ...asyncTask(randomUUID(), 1), webhookURL: hook.url }]);
    await vi.waitFor(() => expect(hook.bodies).toHaveLength(2), { timeout: 5000 });
    expect(hook.bodies[0]).toEqual(hook.bodies[1]);
    await simulator.close();

    simulator = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, faults: { webhookLost: 1 } });
    await post(simulator.url, [{ ...asyncTask(randomUUID(), 1), webhookURL: hook.url }]);
    await vi.waitFor(() => expect(simulator!.stats.webhooks.lost).toBe(1), { timeout: 5000 });
    expect(hook.bodies).toHaveLength(2);
  });
});
