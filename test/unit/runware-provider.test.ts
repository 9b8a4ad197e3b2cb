import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InferenceRequest } from '../../src/plan/trial.js';
import type { AttemptOutcome } from '../../src/providers/provider.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { makeTrial } from '../support/builders.js';
import { MOCK_API_KEY, MockRunwareApi, resultItem, type MockAnswer } from '../support/mock-runware-api.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function textRequest(overrides: Partial<InferenceRequest> = {}): InferenceRequest {
  return { ...makeTrial().request, ...overrides };
}

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

function send(request: InferenceRequest = textRequest(), options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<AttemptOutcome> {
  return provider.send(request, { signal: options.signal ?? new AbortController().signal, timeoutMs: options.timeoutMs ?? 5_000 });
}

/** Answers the next request with `answer`, sends one, and returns the outcome. */
async function sendAnswered(answer: MockAnswer | ((task: { taskUUID: string }) => MockAnswer), request?: InferenceRequest): Promise<AttemptOutcome> {
  api.answer(typeof answer === 'function' ? answer : () => answer);
  return send(request);
}

describe('RunwareProvider: the request it sends', () => {
  it('posts one textInference task with the AIR, sync delivery, cost, usage, messages and settings', async () => {
    const request = textRequest({
      model: 'openai:gpt@5.5',
      messages: [
        { role: 'user', content: 'Extract the invoice fields.' },
        { role: 'assistant', content: 'Which invoice?' },
        { role: 'user', content: 'The attached one.' },
      ],
      systemPrompt: 'You are terse.',
      maxTokens: 2000,
      thinkingLevel: 'medium',
      numberResults: 2,
    });
    await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a'), resultItem(task, 'b')] } }), request);

    expect(api.received).toHaveLength(1);
    const tasks = api.received[0]!.tasks;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toEqual({
      taskType: 'textInference',
      taskUUID: expect.stringMatching(UUID_V4),
      model: 'openai:gpt@5.5',
      deliveryMethod: 'sync',
      numberResults: 2,
      includeCost: true,
      includeUsage: true,
      messages: request.messages,
      settings: { systemPrompt: 'You are terse.', maxTokens: 2000, thinkingLevel: 'medium' },
    });
  });

  it('leaves systemPrompt out of settings when the case has none', async () => {
    await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a')] } }), textRequest({ maxTokens: 100, thinkingLevel: 'low' }));
    expect(api.received[0]!.tasks[0]!.settings).toEqual({ maxTokens: 100, thinkingLevel: 'low' });
  });

  it('sends outputFormat JSON and the jsonSchema in {name, strict, schema} form for a JSON request', async () => {
    const jsonSchema = { name: 'invoice', strict: true, schema: { type: 'object', properties: { total: { type: 'number' } } } };
    await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, '{"total": 45.1}')] } }), textRequest({ outputFormat: 'JSON', jsonSchema }));
    const task = api.received[0]!.tasks[0]!;
    expect(task.outputFormat).toBe('JSON');
    expect(task.jsonSchema).toEqual(jsonSchema);
  });

  it('sends neither outputFormat nor jsonSchema for a TEXT request, even one carrying a schema', async () => {
    const jsonSchema = { name: 'response', strict: true, schema: { type: 'object' } };
    await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'plain')] } }), textRequest({ outputFormat: 'TEXT', jsonSchema }));
    const task = api.received[0]!.tasks[0]!;
    expect(task).not.toHaveProperty('outputFormat');
    expect(task).not.toHaveProperty('jsonSchema');
  });

  it('authenticates with a Bearer header, sends JSON, and keeps the key out of the body', async () => {
    await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a')] } }));
    const { headers, tasks } = api.received[0]!;
    expect(headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.stringify(tasks)).not.toContain(MOCK_API_KEY);
    expect(tasks.map((t) => t.taskType)).toEqual(['textInference']);
  });

  it('draws a fresh UUID v4 taskUUID for every attempt', async () => {
    for (let i = 0; i < 3; i++) await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a')] } }));
    const uuids = api.received.map((r) => r.tasks[0]!.taskUUID);
    for (const uuid of uuids) expect(uuid).toMatch(UUID_V4);
    expect(new Set(uuids).size).toBe(3);
  });
});

describe('RunwareProvider: reading a 200 answer', () => {
  it('returns N results sharing the taskUUID, in the order they came', async () => {
    const outcome = await sendAnswered(
      (task) => ({
        status: 200,
        body: {
          data: [
            resultItem(task, 'first', { finishReason: 'stop', cost: 0.001 }),
            resultItem(task, 'second', { finishReason: 'length', cost: 0.002 }),
            resultItem(task, 'third', { finishReason: 'content_filter', cost: 0.003 }),
          ],
        },
      }),
      textRequest({ numberResults: 3 }),
    );
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results.map((r) => [r.text, r.finishReason, r.costUsd])).toEqual([
      ['first', 'stop', 0.001],
      ['second', 'length', 0.002],
      ['third', 'content_filter', 0.003],
    ]);
    expect(outcome.results[0]!.usage).toEqual({ promptTokens: 162, completionTokens: 41, totalTokens: 203, thinkingTokens: 0 });
  });

  it('ignores items that carry another taskUUID', async () => {
    const outcome = await sendAnswered((task) => ({
      status: 200,
      body: { data: [resultItem({ taskUUID: 'someone-else' }, 'not ours'), resultItem(task, 'ours')] },
    }));
    expect(outcome.results.map((r) => r.text)).toEqual(['ours']);
    expect(outcome.failure).toBeUndefined();
  });

  it('keeps the first N when more results come back than were asked for', async () => {
    const outcome = await sendAnswered(
      (task) => ({ status: 200, body: { data: [resultItem(task, 'a'), resultItem(task, 'b'), resultItem(task, 'c')] } }),
      textRequest({ numberResults: 2 }),
    );
    expect(outcome.results.map((r) => r.text)).toEqual(['a', 'b']);
    expect(outcome.failure).toBeUndefined();
  });

  it('keeps the results that came and reports the rest MISSING_RESULT, retryable (a retry asks for the rest only), when fewer came', async () => {
    const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a')] } }), textRequest({ numberResults: 3 }));
    expect(outcome.results.map((r) => r.text)).toEqual(['a']);
    expect(outcome.failure).toMatchObject({ code: 'MISSING_RESULT', isRetryable: true });
    expect(outcome.failure!.message).toContain('2 missing');
  });

  it('reports MISSING_RESULT as retryable when no result came at all', async () => {
    const outcome = await sendAnswered({ status: 200, body: { data: [] } });
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'MISSING_RESULT', isRetryable: true });
  });

  it('classifies a 200 carrying errors[{code: timeoutProvider}] as PROVIDER_TIMEOUT, retryable', async () => {
    const outcome = await sendAnswered((task) => ({
      status: 200,
      body: { errors: [{ code: 'timeoutProvider', message: 'The provider timed out', taskType: 'textInference', taskUUID: task.taskUUID }] },
    }));
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'PROVIDER_TIMEOUT', isRetryable: true, providerCode: 'timeoutProvider' });
    expect(outcome.failure!.message).toContain('The provider timed out');
  });

  it('reads the singular `error` key when it is an object', async () => {
    const outcome = await sendAnswered({ status: 200, body: { error: { code: 'serverError', message: 'Something broke' } } });
    expect(outcome.failure).toMatchObject({ code: 'SERVER_ERROR', isRetryable: true, providerCode: 'serverError' });
    expect(outcome.failure!.message).toContain('Something broke');
  });

  it('reads the singular `error` key when it is a string', async () => {
    const outcome = await sendAnswered({ status: 503, body: { error: 'model is overloaded' } });
    expect(outcome.failure).toMatchObject({ code: 'SERVICE_UNAVAILABLE', isRetryable: true, httpStatus: 503 });
    expect(outcome.failure!.message).toContain('model is overloaded');
  });

  it('keeps the results of a partial success (data and errors together), with the error as classified', async () => {
    const outcome = await sendAnswered(
      (task) => ({
        status: 200,
        body: { data: [resultItem(task, 'a')], errors: [{ code: 'timeoutProvider', message: 'one result timed out', taskUUID: task.taskUUID }] },
      }),
      textRequest({ numberResults: 2 }),
    );
    expect(outcome.results.map((r) => r.text)).toEqual(['a']);
    expect(outcome.failure).toMatchObject({ code: 'PROVIDER_TIMEOUT', isRetryable: true, providerCode: 'timeoutProvider' });
  });

  it('ignores errors that name another taskUUID', async () => {
    const outcome = await sendAnswered((task) => ({
      status: 200,
      body: { data: [resultItem(task, 'a')], errors: [{ code: 'serverError', message: 'not ours', taskUUID: 'someone-else' }] },
    }));
    expect(outcome.results.map((r) => r.text)).toEqual(['a']);
    expect(outcome.failure).toBeUndefined();
  });

  it('counts missing thinkingTokens as 0 and, when totalTokens is absent, takes it as prompt + completion, as Runware defines it', async () => {
    const outcome = await sendAnswered((task) => ({
      status: 200,
      body: { data: [resultItem(task, 'a', { usage: { promptTokens: 10, completionTokens: 4 } })] },
    }));
    expect(outcome.results[0]!.usage).toEqual({ promptTokens: 10, completionTokens: 4, thinkingTokens: 0, totalTokens: 14 });
    const thinking = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'b', { usage: { promptTokens: 10, completionTokens: 4, thinkingTokens: 30 } })] } }));
    expect(thinking.results[0]!.usage).toEqual({ promptTokens: 10, completionTokens: 4, thinkingTokens: 30, totalTokens: 14 });
  });

  it('has null usage when the item carries none', async () => {
    const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a', { usage: undefined })] } }));
    expect(outcome.results[0]!.usage).toBeNull();
  });

  it.each([['0.002'], [null], [Number.NaN], [undefined]])('takes a cost of %s as null', async (cost) => {
    const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a', { cost })] } }));
    expect(outcome.results[0]!.costUsd).toBeNull();
  });

  it('keeps the finish reasons the SDK knows beyond the documented four (tool_calls, tool_use)', async () => {
    for (const finishReason of ['tool_calls', 'tool_use'] as const) {
      const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a', { finishReason })] } }));
      expect(outcome.results[0]!.finishReason).toBe(finishReason);
    }
  });

  it('maps a finish reason nobody knows to "unknown"', async () => {
    const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a', { finishReason: 'max_output' })] } }));
    expect(outcome.results[0]!.finishReason).toBe('unknown');
  });

  it.each([
    ['a non-JSON body', '<html><body>Bad gateway</body></html>'],
    ['a truncated JSON body', '{"data": [{"taskType": "textInference", "text": "hal'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
  ])('reports %s on a 200 as MALFORMED_RESPONSE, retryable', async (_label, body) => {
    const outcome = await sendAnswered({ status: 200, body });
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'MALFORMED_RESPONSE', isRetryable: true });
  });

  it('reports an item without text as MALFORMED_RESPONSE, keeping the good ones, retryable for the rest', async () => {
    const outcome = await sendAnswered(
      (task) => ({ status: 200, body: { data: [resultItem(task, 'a'), resultItem(task, 'b', { text: undefined })] } }),
      textRequest({ numberResults: 2 }),
    );
    expect(outcome.results.map((r) => r.text)).toEqual(['a']);
    expect(outcome.failure).toMatchObject({ code: 'MALFORMED_RESPONSE', isRetryable: true });
  });

  it('reports an empty body on an error status by its status', async () => {
    const outcome = await sendAnswered({ status: 502 });
    expect(outcome.failure).toMatchObject({ code: 'SERVER_ERROR', isRetryable: true, httpStatus: 502 });
    expect(outcome.failure!.message).toBe('HTTP 502');
  });
});

describe('RunwareProvider: error classes', () => {
  it.each([
    [400, 'invalidParameter', 'INVALID_REQUEST', false],
    [401, 'invalidApiKey', 'INVALID_API_KEY', false],
    [402, 'insufficientCredits', 'INSUFFICIENT_CREDITS', false],
    [403, undefined, 'FORBIDDEN', false],
    [404, undefined, 'NOT_FOUND', false],
    [408, undefined, 'REQUEST_TIMEOUT', true],
    [429, 'providerRateLimitExceeded', 'RATE_LIMITED', true],
    [429, undefined, 'RATE_LIMITED', true],
    [500, 'serverError', 'SERVER_ERROR', true],
    [500, undefined, 'SERVER_ERROR', true],
    [502, undefined, 'SERVER_ERROR', true],
    [503, 'modelUnavailable', 'PROVIDER_ERROR', true],
    [503, undefined, 'SERVICE_UNAVAILABLE', true],
    [504, undefined, 'QUEUE_TIMEOUT', true],
  ] as const)('classifies HTTP %i with provider code %s as %s (retryable: %s)', async (status, providerCode, code, isRetryable) => {
    const outcome = await sendAnswered((task) => ({
      status,
      body: providerCode ? { errors: [{ code: providerCode, message: `the ${providerCode} message`, taskUUID: task.taskUUID }] } : 'upstream said no',
    }));
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code, isRetryable, httpStatus: status });
    expect(outcome.failure!.providerCode).toBe(providerCode);
    expect(outcome.failure!.message).toContain(providerCode ? `the ${providerCode} message` : 'upstream said no');
  });

  // The codes Runware's TS SDK (src/errors.ts) retries, and some it does not, each in a 200 body.
  it.each([
    ['timeoutProvider', 'PROVIDER_TIMEOUT', true],
    ['providerTimeout', 'PROVIDER_TIMEOUT', true],
    ['inferenceTimeout', 'PROVIDER_TIMEOUT', true],
    ['inferenceError', 'PROVIDER_ERROR', true],
    ['taskFailed', 'PROVIDER_ERROR', true],
    ['processingFailed', 'PROVIDER_ERROR', true],
    ['noAvailableServer', 'PROVIDER_ERROR', true],
    ['modelUnavailable', 'PROVIDER_ERROR', true],
    ['providerInternalError', 'PROVIDER_ERROR', true],
    ['providerRateLimitExceeded', 'RATE_LIMITED', true],
    ['serviceUnavailable', 'SERVICE_UNAVAILABLE', true],
    ['internalServerError', 'SERVER_ERROR', true],
    ['serverError', 'SERVER_ERROR', true],
    ['invalidApiKey', 'INVALID_API_KEY', false],
    ['insufficientCredits', 'INSUFFICIENT_CREDITS', false],
    ['permissionDenied', 'FORBIDDEN', false],
    ['contentPolicyViolation', 'CONTENT_POLICY', false],
    ['taskFailedOrNotFound', 'NOT_FOUND', false],
    ['invalidParameter', 'INVALID_REQUEST', false],
    ['unsupportedOutputFormat', 'INVALID_REQUEST', false],
    ['somethingNobodyKnows', 'UNKNOWN_ERROR', false],
  ] as const)('classifies %s in a 200 body as %s (retryable: %s), keeping the code verbatim', async (providerCode, code, isRetryable) => {
    const outcome = await sendAnswered((task) => ({ status: 200, body: { errors: [{ code: providerCode, message: 'said the API', taskUUID: task.taskUUID }] } }));
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code, isRetryable, providerCode });
    expect(outcome.failure!.httpStatus).toBeUndefined();
  });

  it('never retries a 400/401/402/403, whatever provider code came with it, and names it by its status', async () => {
    const byStatus = { 400: 'INVALID_REQUEST', 401: 'INVALID_API_KEY', 402: 'INSUFFICIENT_CREDITS', 403: 'FORBIDDEN' } as const;
    for (const status of [400, 401, 402, 403] as const) {
      const outcome = await sendAnswered({ status, body: { errors: [{ code: 'serverError', message: 'odd' }] } });
      expect(outcome.failure).toMatchObject({ code: byStatus[status], isRetryable: false, httpStatus: status, providerCode: 'serverError' });
    }
  });

  it('keeps the more precise provider code when it agrees with the status on retrying', async () => {
    const timeout = await sendAnswered({ status: 500, body: { errors: [{ code: 'timeoutProvider', message: 'slow upstream' }] } });
    expect(timeout.failure).toMatchObject({ code: 'PROVIDER_TIMEOUT', isRetryable: true, httpStatus: 500 });
    const policy = await sendAnswered({ status: 400, body: { errors: [{ code: 'contentPolicyViolation', message: 'no' }] } });
    expect(policy.failure).toMatchObject({ code: 'CONTENT_POLICY', isRetryable: false, httpStatus: 400 });
  });

  it('names the parameter a 400 complains about, even when it is a list', async () => {
    const outcome = await sendAnswered({
      status: 400,
      body: { errors: [{ code: 'invalidParameter', message: 'Invalid value', parameter: ['settings', 'maxTokens'], type: 'integer', min: 1, max: 128000 }] },
    });
    expect(outcome.failure!.message).toBe('invalidParameter: Invalid value (parameter: settings, maxTokens)');
  });

  it('reads Retry-After given in seconds on a 429', async () => {
    const outcome = await sendAnswered({ status: 429, body: { errors: [{ code: 'providerRateLimitExceeded' }] }, headers: { 'retry-after': '7' } });
    expect(outcome.failure).toMatchObject({ code: 'RATE_LIMITED', isRetryable: true, retryAfterMs: 7000 });
  });

  it('reads Retry-After given as an HTTP date on a 429', async () => {
    const at = new Date(Date.now() + 20_000).toUTCString();
    const outcome = await sendAnswered({ status: 429, body: '', headers: { 'retry-after': at } });
    // An HTTP date has whole seconds, so up to one second is lost; the test may also take a moment.
    expect(outcome.failure!.retryAfterMs).toBeGreaterThan(17_000);
    expect(outcome.failure!.retryAfterMs).toBeLessThanOrEqual(20_000);
  });

  it('leaves retryAfterMs unset on a 429 without Retry-After', async () => {
    const outcome = await sendAnswered({ status: 429, body: '' });
    expect(outcome.failure).toMatchObject({ code: 'RATE_LIMITED', isRetryable: true });
    expect(outcome.failure).not.toHaveProperty('retryAfterMs');
  });

  it('reports a dropped connection as NETWORK_ERROR, retryable', async () => {
    api.intercept().replyWithError(new Error('socket hang up'));
    const outcome = await send();
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'NETWORK_ERROR', isRetryable: true });
    expect(outcome.failure!.message).toContain('socket hang up');
  });

  it('reports an answer slower than timeoutMs as REQUEST_TIMEOUT, retryable', async () => {
    api.answer((task) => ({ status: 200, body: { data: [resultItem(task, 'late')] } })).delay(200);
    const outcome = await send(textRequest(), { timeoutMs: 50 });
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'REQUEST_TIMEOUT', isRetryable: true });
    expect(outcome.latencyMs).toBeLessThan(200);
  });

  it('reports an attempt on an already aborted run as INTERRUPTED, not retryable, without sending it', async () => {
    const controller = new AbortController();
    controller.abort();
    // Nothing is intercepted: a request that reached the mock would fail as NETWORK_ERROR instead.
    const outcome = await send(textRequest(), { signal: controller.signal });
    expect(outcome.failure).toMatchObject({ code: 'INTERRUPTED', isRetryable: false });
    expect(api.received).toHaveLength(0);
  });

  it('reports an attempt whose run is aborted mid-flight as INTERRUPTED, not retryable', async () => {
    api.answer((task) => ({ status: 200, body: { data: [resultItem(task, 'late')] } })).delay(200);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const outcome = await send(textRequest(), { signal: controller.signal });
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'INTERRUPTED', isRetryable: false });
  });
});

describe('RunwareProvider: secrets', () => {
  it('redacts the API key when the server echoes it in an error message', async () => {
    const outcome = await sendAnswered({ status: 401, body: { errors: [{ code: 'invalidApiKey', message: `Invalid API key: ${MOCK_API_KEY}` }] } });
    expect(outcome.failure!.message).toContain('[redacted]');
    expect(outcome.failure!.message).not.toContain(MOCK_API_KEY);
  });

  it('redacts the API key echoed in a body that is not JSON', async () => {
    const outcome = await sendAnswered({ status: 500, body: `proxy error for Authorization: Bearer ${MOCK_API_KEY}` });
    expect(outcome.failure!.message).toContain('[redacted]');
    expect(outcome.failure!.message).not.toContain(MOCK_API_KEY);
  });

  it('redacts the API key echoed in a non-JSON 200 body', async () => {
    const outcome = await sendAnswered({ status: 200, body: `key=${MOCK_API_KEY}` });
    expect(outcome.failure!.code).toBe('MALFORMED_RESPONSE');
    expect(outcome.failure!.message).toContain('[redacted]');
    expect(outcome.failure!.message).not.toContain(MOCK_API_KEY);
  });

  it('leaks no part of the key when a long message is cut where the key sits', async () => {
    const keyHead = MOCK_API_KEY.slice(0, 6);
    // Messages are cut at 500 characters, body excerpts at 120: put the key across each cut.
    for (let padding = 460; padding < 500; padding += 3) {
      const message = `${'x'.repeat(padding)} ${MOCK_API_KEY}`;
      const outcome = await sendAnswered({ status: 400, body: { errors: [{ code: 'invalidParameter', message }] } });
      expect(outcome.failure!.message).not.toContain(keyHead);
    }
    for (let padding = 95; padding < 120; padding += 3) {
      const outcome = await sendAnswered({ status: 500, body: `${'x'.repeat(padding)} ${MOCK_API_KEY}` });
      expect(outcome.failure!.message).not.toContain(keyHead);
    }
  });

  it('redacts the API key from a network error message', async () => {
    api.intercept().replyWithError(new Error(`connect failed with key ${MOCK_API_KEY}`));
    const outcome = await send();
    expect(outcome.failure!.code).toBe('NETWORK_ERROR');
    expect(outcome.failure!.message).not.toContain(MOCK_API_KEY);
    expect(outcome.failure!.message).toContain('[redacted]');
  });
});

describe('RunwareProvider: latency and lifecycle', () => {
  it('measures latency from sending to the last byte', async () => {
    api.answer((task) => ({ status: 200, body: { data: [resultItem(task, 'a')] } })).delay(30);
    const outcome = await send();
    expect(outcome.results).toHaveLength(1);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(25);
  });

  it('measures a positive latency for an immediate answer', async () => {
    const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a')] } }));
    expect(outcome.latencyMs).toBeGreaterThan(0);
  });

  it('does not close a dispatcher it was given', async () => {
    await provider.close();
    // Had close() closed the MockAgent, this attempt would fail with "The client is destroyed".
    const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'still open')] } }));
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results.map((r) => r.text)).toEqual(['still open']);
  });

  it('closes the pool it created itself, after which attempts fail without a connection', async () => {
    const own = new RunwareProvider({ apiUrl: 'http://127.0.0.1:9/v1', apiKey: MOCK_API_KEY, connections: 1 });
    await own.close();
    const outcome = await own.send(textRequest(), { signal: new AbortController().signal, timeoutMs: 1_000 });
    expect(outcome.failure).toMatchObject({ code: 'NETWORK_ERROR', isRetryable: true });
    expect(outcome.failure!.message).toMatch(/closed|destroyed/i);
  });
});

describe('RunwareProvider: secrets in what the endpoint answers', () => {
  it('replaces the API key wherever an answer echoes it: text, reasoning and tool calls', async () => {
    const outcome = await sendAnswered((task) => ({
      status: 200,
      body: {
        data: [
          resultItem(task, `Your key is ${MOCK_API_KEY}, twice: ${MOCK_API_KEY}.`, {
            reasoning: `I saw Bearer ${MOCK_API_KEY} in the headers`,
            toolCalls: [{ id: 'c1', name: 'lookup', arguments: JSON.stringify({ token: MOCK_API_KEY, note: 'ok' }) }],
          }),
        ],
      },
    }));
    expect(outcome.failure).toBeUndefined();
    const [result] = outcome.results;
    expect(JSON.stringify(outcome)).not.toContain(MOCK_API_KEY);
    expect(result!.text).toBe('Your key is [redacted], twice: [redacted].');
    expect(result!.toolCalls).toEqual([{ id: 'c1', name: 'lookup', arguments: { token: '[redacted]', note: 'ok' } }]);
  });

  it('leaves an answer without a secret as it came', async () => {
    const outcome = await sendAnswered((task) => ({ status: 200, body: { data: [resultItem(task, 'a plain answer', { toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"q":1}' }] })] } }));
    expect(outcome.results[0]).toMatchObject({ text: 'a plain answer', toolCalls: [{ id: 'c1', name: 'lookup', arguments: { q: 1 } }] });
  });
});

describe('RunwareHttp.redactAnswer', () => {
  it('leaves answers whole under a key too short to be a real one, and redacts a real-length key', async () => {
    const { RunwareHttp } = await import('../../src/providers/runware/runware-http.js');
    const short = new RunwareHttp({ apiUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', connections: 1 });
    expect(short.redactAnswer('I think it is okay')).toBe('I think it is okay');
    expect(short.redact('key k')).toBe('[redacted]ey [redacted]');
    const real = new RunwareHttp({ apiUrl: 'http://127.0.0.1:1/v1', apiKey: MOCK_API_KEY, connections: 1 });
    expect(real.redactAnswer(`echo ${MOCK_API_KEY}`)).toBe('echo [redacted]');
    await Promise.all([short.close(), real.close()]);
  });
});
