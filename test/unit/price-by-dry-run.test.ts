import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DryRunSchema } from '../../src/config/config-schema.js';
import { EvalgateError } from '../../src/core/evalgate-error.js';
import { priceByDryRun } from '../../src/providers/runware/price-by-dry-run.js';
import { makeCase, makeTrial } from '../support/builders.js';
import { MOCK_API_KEY, MOCK_API_URL, MockRunwareApi } from '../support/mock-runware-api.js';

describe('priceByDryRun', () => {
  let api: MockRunwareApi;
  beforeEach(() => {
    api = new MockRunwareApi();
  });
  afterEach(() => api.close());

  const options = (dryRun: Record<string, unknown> = {}) => ({
    apiUrl: MOCK_API_URL, apiKey: MOCK_API_KEY, dryRun: DryRunSchema.parse(dryRun), concurrency: 2, timeoutMs: 1000, dispatcher: api.agent,
  });
  // Two repeats of one request, and another case: two distinct requests.
  const kase = makeCase({ id: 'a', maxTokens: 1000 });
  const trials = [makeTrial({ id: 'a-0', case: kase, setting: { numberResults: 2 } }), makeTrial({ id: 'a-1', case: kase, setting: { numberResults: 2 } }), makeTrial({ id: 'b-0', case: makeCase({ id: 'b', messages: [{ role: 'user', content: 'other' }] }) })];

  it('asks once per distinct request with the dry-run header, and gives every trial of it the price', async () => {
    api.answer((task) => ({ status: 200, body: { data: [{ taskType: 'textInference', taskUUID: task.taskUUID, cost: 0.0004 }] } }));
    api.answer((task) => ({ status: 200, body: { data: [{ taskType: 'textInference', taskUUID: task.taskUUID, cost: 0.0001 }] } }));
    const prices = await priceByDryRun(trials, options());
    expect(api.received).toHaveLength(2);
    for (const request of api.received) expect(request.headers['X-Runware-Dry-Run'] ?? request.headers['x-runware-dry-run']).toBe('1');
    expect(prices.get('a-0')).toBe(prices.get('a-1'));
    expect([...prices.values()].sort()).toEqual([0.0001, 0.0004, 0.0004]);
  });

  it('reads the price from the configured field, and takes the output out of a price that covers the whole request', async () => {
    // Whole request at its most for 2 results: prompt $0.0004 + 2 × 1000 tokens × $30/1M = $0.0604.
    api.answer((task) => ({ status: 200, body: { data: [{ taskUUID: task.taskUUID, estimatedCost: 0.0604 }] } }));
    const prices = await priceByDryRun([trials[0]!], options({ header: 'X-Dry', costField: 'estimatedCost', covers: 'request' }));
    expect(api.received[0]!.headers['X-Dry'] ?? api.received[0]!.headers['x-dry']).toBe('1');
    expect(prices.get('a-0')).toBeCloseTo(0.0004, 12);
  });

  it('sends one probe, and nothing more, when the server answers it as a real request; says what it cost', async () => {
    api.answer((task) => ({
      status: 200,
      body: { data: [0, 1].map(() => ({ taskType: 'textInference', taskUUID: task.taskUUID, text: 'Hello', finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 900, thinkingTokens: 0, totalTokens: 910 }, cost: 0.02705 })) },
    }));
    const error = await priceByDryRun(trials, options()).catch((e: unknown) => e);
    expect(api.received).toHaveLength(1);
    expect(error).toBeInstanceOf(EvalgateError);
    expect((error as EvalgateError).exitCode).toBe(3);
    expect((error as EvalgateError).message).toBe('the dry run was not honoured: the one request sent (s/a · openai-gpt-5-5 · low · n=2) was run and answered with text and usage, not priced; it cost $0.0541. The other request was not sent.');
    expect((error as EvalgateError).hint).toContain('X-Runware-Dry-Run');
  });

  it('prices a probe run without a cost figure from the price table', async () => {
    api.answer((task) => ({ status: 200, body: { data: [{ taskUUID: task.taskUUID, text: 'Hi', usage: { promptTokens: 1000, completionTokens: 1000, thinkingTokens: 0 } }] } }));
    const error = (await priceByDryRun([trials[2]!], options()).catch((e: unknown) => e)) as EvalgateError;
    // 1000 × $5/1M + 1000 × $30/1M
    expect(error.message).toContain('it cost $0.035');
  });

  it('fails whole, naming the first failure and never the key, when a dry run is refused or has no price', async () => {
    api.answer(() => ({ status: 401, body: { errors: [{ code: 'invalidApiKey', message: `Invalid API key ${MOCK_API_KEY}` }] } }));
    api.answer((task) => ({ status: 200, body: { data: [{ taskUUID: task.taskUUID }] } }));
    const failure = await priceByDryRun(trials, options()).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(failure instanceof EvalgateError)) throw new Error(`expected an EvalgateError, got ${String(failure)}`);
    expect(failure.message).toMatch(/^2 of 2 dry runs failed; nothing was run or charged\. First: s\/\w · openai-gpt-5-5 · low · n=\d: /);
    expect(failure.message).not.toContain(MOCK_API_KEY);
    expect(failure.exitCode).toBe(3);
    expect(failure.hint).toContain('dryRun:');
  });
});
