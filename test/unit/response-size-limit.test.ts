import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InferenceRequest } from '../../src/plan/trial.js';
import { makeTrial } from '../support/builders.js';
import { MockRunwareApi } from '../support/mock-runware-api.js';

const request = (overrides: Partial<InferenceRequest> = {}): InferenceRequest => ({ ...makeTrial().request, ...overrides });
const send = (api: MockRunwareApi, r: InferenceRequest) => api.provider({ maxResultBytes: 4096 }).send(r, { signal: new AbortController().signal, timeoutMs: 5_000 });

describe('maxResultBytes', () => {
  let api: MockRunwareApi;
  beforeEach(() => {
    api = new MockRunwareApi();
  });
  afterEach(() => api.close());

  it('fails a sync answer past the limit as RESPONSE_TOO_LARGE, not retryable', async () => {
    api.answer((task) => ({ status: 200, body: { data: [{ taskUUID: task.taskUUID, text: 'x'.repeat(5000), finishReason: 'stop' }] } }));
    const outcome = await send(api, request());
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'RESPONSE_TOO_LARGE', isRetryable: false, message: expect.stringContaining('passed 4,096 bytes') });
  });

  it('allows the limit once per result asked for', async () => {
    api.answer((task) => ({ status: 200, body: { data: [0, 1].map(() => ({ taskUUID: task.taskUUID, text: 'x'.repeat(3000), finishReason: 'stop' })) } }));
    const outcome = await send(api, request({ numberResults: 2 }));
    expect(outcome.results).toHaveLength(2);
  });

  it('cuts off a stream past the limit', async () => {
    api.answer((task) => {
      const chunk = `data: ${JSON.stringify({ taskUUID: task.taskUUID, delta: { text: 'y'.repeat(500) }, finishReason: null })}\n\n`;
      return { status: 200, body: chunk.repeat(20), headers: { 'content-type': 'text/event-stream' } };
    });
    const outcome = await send(api, request({ deliveryMethod: 'stream' }));
    expect(outcome.failure).toMatchObject({ code: 'RESPONSE_TOO_LARGE', isRetryable: false });
  });
});
