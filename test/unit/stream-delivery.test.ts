import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InferenceRequest } from '../../src/plan/trial.js';
import type { AttemptOutcome } from '../../src/providers/provider.js';
import type { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { StreamAssembly } from '../../src/providers/runware/stream-assembly.js';
import { makeTrial } from '../support/builders.js';
import { MOCK_API_KEY, MockRunwareApi } from '../support/mock-runware-api.js';

const streamRequest = (overrides: Partial<InferenceRequest> = {}): InferenceRequest => ({ ...makeTrial().request, deliveryMethod: 'stream', ...overrides });
const usage = { promptTokens: 12, completionTokens: 3, thinkingTokens: 40, totalTokens: 55 };
const event = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;

/** A well-formed stream for `taskUUID`: reasoning, text in pieces, the final chunk, [DONE]. */
function sse(taskUUID: string, text = 'Hello', options: { keepAlives?: boolean } = {}): string {
  const base = { taskUUID, taskType: 'textInference' };
  return [
    options.keepAlives ? ': keep-alive\n\n' : '',
    event({ ...base, delta: { reasoningContent: 'Thinking…' } }),
    ...[...text].map((c) => event({ ...base, delta: { text: c }, finishReason: null })),
    options.keepAlives ? ':\n\n' : '',
    event({ ...base, delta: {}, finishReason: 'stop', usage, cost: 0.00012 }),
    'data: [DONE]\n\n',
  ].join('');
}
const sseAnswer = (body: string) => ({ status: 200, body, headers: { 'content-type': 'text/event-stream' } });

let api: MockRunwareApi;
let provider: RunwareProvider;
beforeEach(() => {
  api = new MockRunwareApi();
  provider = api.provider();
});
afterEach(async () => {
  await provider.close();
  await api.close();
});
const send = (request = streamRequest()): Promise<AttemptOutcome> => provider.send(request, { signal: new AbortController().signal, timeoutMs: 5_000 });

describe('stream delivery over the wire (MockAgent)', () => {
  it('sends deliveryMethod stream, asks for an event stream, and assembles text, reasoning, usage, cost and finishReason', async () => {
    api.answer((task) => sseAnswer(sse(task.taskUUID, 'Hello', { keepAlives: true })));
    const outcome = await send();
    expect(outcome.failure).toBeUndefined();
    const [result] = outcome.results;
    expect(result).toMatchObject({ text: 'Hello', reasoning: 'Thinking…', finishReason: 'stop', usage, costUsd: 0.00012 });
    expect(result!.stream).toEqual({ timeToFirstTokenMs: expect.any(Number), timeToFirstTextMs: expect.any(Number), latencyMs: expect.any(Number) });
    const { tasks, headers } = api.received[0]!;
    expect(tasks[0]).toMatchObject({ deliveryMethod: 'stream', numberResults: 1 });
    expect(headers.accept).toContain('text/event-stream');
  });

  it('sends numberResults N as N tasks of one result each, and keeps every result', async () => {
    for (const text of ['a', 'b', 'c']) api.answer((task) => sseAnswer(sse(task.taskUUID, text)));
    const outcome = await send(streamRequest({ numberResults: 3 }));
    expect(outcome.results.map((r) => r.text).sort()).toEqual(['a', 'b', 'c']);
    expect(api.received).toHaveLength(3);
    expect(api.received.every((r) => r.tasks.length === 1 && r.tasks[0]!.numberResults === 1)).toBe(true);
    expect(new Set(api.received.map((r) => r.tasks[0]!.taskUUID)).size).toBe(3);
  });

  it('reads a failure before the stream started from its JSON body, with the status deciding retries', async () => {
    api.answer(() => ({ status: 429, body: { errors: [{ code: 'providerRateLimitExceeded', message: 'busy' }] }, headers: { 'retry-after': '2' } }));
    const outcome = await send();
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'RATE_LIMITED', isRetryable: true, httpStatus: 429, retryAfterMs: 2000 });
  });

  it('fails the result on an errors line midway, with the code it carries, and keeps the key out of the message', async () => {
    api.answer((task) =>
      sseAnswer(
        event({ taskUUID: task.taskUUID, delta: { text: 'Hal' } }) +
          event({ errors: [{ code: 'timeoutProvider', message: `upstream gave up for ${MOCK_API_KEY}`, taskUUID: task.taskUUID }] }),
      ),
    );
    const outcome = await send();
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'PROVIDER_TIMEOUT', isRetryable: true });
    expect(outcome.failure!.message).toContain('midway');
    expect(outcome.failure!.message).not.toContain(MOCK_API_KEY);
  });

  it.each([
    ['inferenceError', 'PROVIDER_ERROR', true],
    ['serviceUnavailable', 'SERVICE_UNAVAILABLE', true],
    ['invalidParameter', 'INVALID_REQUEST', false],
    ['notAKnownCode', 'UNKNOWN_ERROR', false],
  ] as const)('classifies a mid-stream error event %s as %s (retryable: %s)', async (providerCode, code, isRetryable) => {
    api.answer((task) => sseAnswer(event({ taskUUID: task.taskUUID, delta: { text: 'a' } }) + event({ errors: [{ code: providerCode, message: 'no', taskUUID: task.taskUUID }] })));
    const outcome = await send();
    expect(outcome.failure).toMatchObject({ code, isRetryable, providerCode });
  });

  it('keeps a stream that ends after content without a finishReason chunk as a completed result with no finish reason', async () => {
    api.answer((task) => sseAnswer(event({ taskUUID: task.taskUUID, delta: { text: 'cut' } })));
    api.answer((task) => sseAnswer(event({ taskUUID: task.taskUUID, delta: { text: 'done' } }) + 'data: [DONE]\n\n'));
    for (const text of ['cut', 'done']) {
      const outcome = await send();
      expect(outcome.failure).toBeUndefined();
      expect(outcome.results).toEqual([expect.objectContaining({ text, finishReason: null, usage: null, costUsd: null })]);
    }
  });

  it('fails a stream that ends before any event of its task as MALFORMED_RESPONSE, retryable', async () => {
    api.answer(() => sseAnswer(': keep-alive\n\n'));
    const outcome = await send();
    expect(outcome.failure).toMatchObject({ code: 'MALFORMED_RESPONSE', isRetryable: true });
  });

  it('reads a stream sent without the text/event-stream content type, as the SDK does', async () => {
    api.answer((task) => ({ status: 200, body: sse(task.taskUUID, 'Hi'), headers: { 'content-type': 'application/json' } }));
    api.answer((task) => ({ status: 200, body: `\n${sse(task.taskUUID, 'Yo')}`, headers: { 'content-type': 'text/plain' } }));
    for (const text of ['Hi', 'Yo']) {
      const outcome = await send();
      expect(outcome.failure).toBeUndefined();
      expect(outcome.results[0]).toMatchObject({ text, finishReason: 'stop', usage, costUsd: 0.00012 });
    }
  });

  it('reads a JSON answer sent as text/event-stream as the JSON it is', async () => {
    api.answer((task) => ({ status: 200, body: { data: [{ taskUUID: task.taskUUID, taskType: 'textInference', text: 'whole', finishReason: 'stop', usage, cost: 0.1 }] }, headers: { 'content-type': 'text/event-stream' } }));
    api.answer(() => ({ status: 200, body: { errors: [{ code: 'noAvailableServer', message: 'no GPU' }] }, headers: { 'content-type': 'text/event-stream' } }));
    expect((await send()).results[0]).toMatchObject({ text: 'whole', costUsd: 0.1 });
    expect((await send()).failure).toMatchObject({ code: 'PROVIDER_ERROR', isRetryable: true, providerCode: 'noAvailableServer' });
  });

  it('takes usage and cost from whichever chunk carries them, and keeps tool_calls as the finish reason', async () => {
    api.answer((task) => {
      const base = { taskUUID: task.taskUUID, taskType: 'textInference' };
      return sseAnswer(
        event({ ...base, delta: { text: 'x' }, finishReason: 'tool_calls' }) +
          event({ ...base, delta: {}, usage }) +
          event({ ...base, delta: {}, cost: 0.002 }) +
          'data: [DONE]\n\n',
      );
    });
    const outcome = await send();
    expect(outcome.results[0]).toMatchObject({ text: 'x', finishReason: 'tool_calls', usage, costUsd: 0.002 });
  });

  it('keeps the results of the streams that worked when one of N fails', async () => {
    api.answer((task) => sseAnswer(sse(task.taskUUID, 'ok')));
    api.answer(() => ({ status: 503, body: { errors: [{ code: 'serviceUnavailable', message: 'busy' }] } }));
    const outcome = await send(streamRequest({ numberResults: 2 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['ok']);
    expect(outcome.failure).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});

describe('StreamAssembly', () => {
  const base = { taskUUID: 't', taskType: 'textInference' };
  const payload = (body: unknown) => JSON.stringify(body);

  it('measures time to first token at the first reasoning delta, and time to first text after the reasoning', () => {
    const assembly = new StreamAssembly('t', (s) => s);
    assembly.apply(payload({ ...base, delta: {} }), 5);
    assembly.apply(payload({ ...base, delta: { reasoningContent: 'hmm' } }), 120);
    assembly.apply(payload({ ...base, delta: { reasoningContent: ' yes' } }), 300);
    assembly.apply(payload({ ...base, delta: { text: 'Yes' } }), 910);
    assembly.apply(payload({ ...base, delta: {}, finishReason: 'stop', usage, cost: 0.1 }), 950);
    assembly.apply('[DONE]', 951);
    expect(assembly.isOver).toBe(true);
    expect(assembly.outcome(960)).toEqual({
      result: { text: 'Yes', reasoning: 'hmm yes', finishReason: 'stop', usage, costUsd: 0.1, stream: { timeToFirstTokenMs: 120, timeToFirstTextMs: 910, latencyMs: 960 } },
    });
  });

  it('has no time to first text when all the tokens went to thinking (finishReason length)', () => {
    const assembly = new StreamAssembly('t', (s) => s);
    assembly.apply(payload({ ...base, delta: { reasoningContent: 'a long think' } }), 50);
    assembly.apply(payload({ ...base, delta: {}, finishReason: 'length', usage }), 80);
    const outcome = assembly.outcome(90);
    expect(outcome).toMatchObject({ result: { text: '', finishReason: 'length', stream: { timeToFirstTokenMs: 50, timeToFirstTextMs: null } } });
  });

  it('ignores events of other tasks and fails on an event that is not JSON', () => {
    const assembly = new StreamAssembly('t', (s) => s);
    assembly.apply(payload({ taskUUID: 'other', delta: { text: 'not ours' } }), 1);
    assembly.apply('{oops', 2);
    expect(assembly.outcome(3)).toMatchObject({ failure: { code: 'MALFORMED_RESPONSE', isRetryable: true } });
  });
});
