import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InferenceRequest } from '../../src/plan/trial.js';
import type { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { makeTrial } from '../support/builders.js';
import { MockRunwareApi, resultItem } from '../support/mock-runware-api.js';

let api: MockRunwareApi;
let provider: RunwareProvider;
beforeEach(() => {
  api = new MockRunwareApi();
});
afterEach(async () => {
  await provider.close();
  await api.close();
});

const request = (content: string, overrides: Partial<InferenceRequest> = {}): InferenceRequest => ({
  ...makeTrial().request,
  messages: [{ role: 'user', content }],
  ...overrides,
});
const sendAll = (requests: InferenceRequest[]) => Promise.all(requests.map((r) => provider.send(r, { signal: new AbortController().signal, timeoutMs: 5000 })));

describe('batching: several tasks in one request', () => {
  it('puts tasks sent together in one request, and gives each trial its own results by taskUUID, whatever their order', async () => {
    provider = api.provider({ batchSize: 3 });
    api.answerAll((tasks) => ({ status: 200, body: { data: [...tasks].reverse().map((t) => resultItem(t, `answer to ${t.messages[0]!.content}`)) } }));
    const outcomes = await sendAll([request('a'), request('b'), request('c')]);
    expect(api.received).toHaveLength(1);
    expect(api.received[0]!.tasks.map((t) => t.messages[0]!.content)).toEqual(['a', 'b', 'c']);
    expect(outcomes.map((o) => o.results[0]!.text)).toEqual(['answer to a', 'answer to b', 'answer to c']);
  });

  it('keeps per-task errors of a mixed answer with their own task', async () => {
    provider = api.provider({ batchSize: 3 });
    api.answerAll(([a, b, c]) => ({
      status: 200,
      body: {
        data: [resultItem(a!, 'fine'), resultItem(c!, 'also fine')],
        errors: [{ code: 'timeoutProvider', message: 'slow upstream', taskUUID: b!.taskUUID, taskType: 'textInference' }],
      },
    }));
    const [a, b, c] = await sendAll([request('a'), request('b'), request('c')]);
    expect(a!.failure).toBeUndefined();
    expect(c!.failure).toBeUndefined();
    expect(b!.results).toEqual([]);
    expect(b!.failure).toMatchObject({ code: 'PROVIDER_TIMEOUT', isRetryable: true, providerCode: 'timeoutProvider' });
  });

  it('fails every task of a request that fails as a whole', async () => {
    provider = api.provider({ batchSize: 2 });
    api.answerAll(() => ({ status: 429, body: { errors: [{ code: 'providerRateLimitExceeded', message: 'busy' }] } }));
    const outcomes = await sendAll([request('a'), request('b')]);
    expect(outcomes.map((o) => o.failure?.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('sends at most batchSize tasks per request, and never mixes delivery methods', async () => {
    provider = api.provider({ batchSize: 2 });
    // The async task's acknowledgement already holds its result, so it is not polled.
    for (let i = 0; i < 3; i++) api.answerAll((tasks) => ({ status: 200, body: { data: tasks.map((t) => resultItem(t, 'ok')) } }));
    await sendAll([request('a'), request('b'), request('c'), request('async', { deliveryMethod: 'async' }), request('d')]);
    const sizes = api.received.map((r) => r.tasks.map((t) => t.messages[0]!.content).join(','));
    expect(sizes.sort()).toEqual(['a,b', 'async', 'c,d'].sort());
  });

  it('sends every task alone with the default batchSize of 1', async () => {
    provider = api.provider();
    for (let i = 0; i < 2; i++) api.answer((t) => ({ status: 200, body: { data: [resultItem(t, 'ok')] } }));
    await sendAll([request('a'), request('b')]);
    expect(api.received.map((r) => r.tasks.length)).toEqual([1, 1]);
  });
});
