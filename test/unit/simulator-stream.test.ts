import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import type { Faults } from '../../src/config/simulator-faults.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { compileScenario, ScenarioSchema } from '../../src/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import { makeTrial } from '../support/builders.js';

const scenario = compileScenario(
  ScenarioSchema.parse({
    scenario: 'think',
    match: 'Think first',
    levels: { none: { accuracy: 1, thinkingTokens: 0, latencyMs: 100 }, high: { accuracy: 1, thinkingTokens: 400, latencyMs: 200 } },
    answers: [{ correct: 'The answer is forty-two, after some thought.', wrong: 'no' }],
  }),
);

let simulator: RunningSimulator | undefined;
afterEach(async () => simulator?.close());
async function start(faults: Partial<Faults> = {}, latencyScale = 1): Promise<RunningSimulator> {
  simulator = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale, faults });
  return simulator;
}

const streamTask = (overrides: Record<string, unknown> = {}) => ({
  taskType: 'textInference', taskUUID: randomUUID(), model: 'openai:gpt@5.5', deliveryMethod: 'stream', numberResults: 1, includeCost: true, includeUsage: true,
  messages: [{ role: 'user', content: 'Think first, then answer.' }], settings: { maxTokens: 2000, thinkingLevel: 'high' }, ...overrides,
});

async function post(url: string, tasks: unknown[]): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: JSON.stringify(tasks) });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text().catch(() => '(cut)') };
}

const dataOf = (text: string) => text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));

describe('the simulator, stream', () => {
  it('streams keep-alives, reasoning, text in pieces, a final chunk with usage and cost, then [DONE]', async () => {
    const { url } = await start({}, 0);
    const answer = await post(url, [streamTask()]);
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('text/event-stream');
    expect(answer.text.startsWith(': keep-alive\n\n')).toBe(true);
    const events = dataOf(answer.text);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { delta: { text?: string; reasoningContent?: string }; finishReason: string | null; usage?: unknown; cost?: number });
    const firstText = chunks.findIndex((c) => c.delta.text !== undefined);
    expect(chunks.slice(0, firstText).every((c) => c.delta.reasoningContent !== undefined)).toBe(true);
    expect(chunks.map((c) => c.delta.text ?? '').join('')).toBe('The answer is forty-two, after some thought.');
    expect(chunks.at(-1)).toMatchObject({ finishReason: 'stop', usage: expect.objectContaining({ thinkingTokens: expect.any(Number) }), cost: expect.any(Number) });
  });

  it('refuses numberResults above 1 with stream, as Runware SDKs do', async () => {
    const { url } = await start({}, 0);
    const answer = await post(url, [streamTask({ numberResults: 2 })]);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ errors: [{ code: 'invalidParameter', parameter: 'numberResults' }] });
  });

  it('answers a fault before the stream with a normal JSON error body', async () => {
    const { url } = await start({ rateLimited: 1 }, 0);
    const answer = await post(url, [streamTask()]);
    expect(answer.status).toBe(429);
    expect(answer.type).toContain('application/json');
  });

  it('fails a stream midway with an errors event (streamError)', async () => {
    const { url } = await start({ streamError: 1 }, 0);
    const events = dataOf((await post(url, [streamTask()])).text);
    expect(JSON.parse(events.at(-1)!)).toMatchObject({ errors: [{ code: 'timeoutProvider' }] });
    expect(events).not.toContain('[DONE]');
    expect(simulator!.stats.faults.streamError).toBe(1);
  });

  it('serves the real client: time to first token comes before the first text, which comes before the end', async () => {
    const { url } = await start();
    const provider = new RunwareProvider({ apiUrl: url, apiKey: 'k', connections: 2 });
    const outcome = await provider.send(
      { ...makeTrial().request, messages: [{ role: 'user', content: 'Think first.' }], thinkingLevel: 'high', maxTokens: 2000, numberResults: 2, deliveryMethod: 'stream' },
      { signal: new AbortController().signal, timeoutMs: 5000 },
    );
    await provider.close();
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results).toHaveLength(2);
    expect(simulator!.stats).toMatchObject({ requests: 2, tasks: 2 });
    for (const result of outcome.results) {
      const { timeToFirstTokenMs, timeToFirstTextMs, latencyMs } = result.stream!;
      expect(result.reasoning).toContain('simulated reasoning');
      expect(timeToFirstTokenMs!).toBeGreaterThan(10);
      expect(timeToFirstTextMs!).toBeGreaterThan(timeToFirstTokenMs!);
      expect(latencyMs).toBeGreaterThanOrEqual(timeToFirstTextMs!);
    }
  });

  it('gives the client a cut stream it reports as retryable, and a slow one it times out', async () => {
    const { url } = await start({ streamCut: 1 }, 0.2);
    const provider = new RunwareProvider({ apiUrl: url, apiKey: 'k', connections: 2 });
    const request = { ...makeTrial().request, messages: [{ role: 'user' as const, content: 'Think first.' }], thinkingLevel: 'high' as const, maxTokens: 2000, deliveryMethod: 'stream' as const };
    const cut = await provider.send(request, { signal: new AbortController().signal, timeoutMs: 5000 });
    expect(cut.failure).toMatchObject({ isRetryable: true });
    expect(['NETWORK_ERROR', 'MALFORMED_RESPONSE']).toContain(cut.failure!.code);
    await provider.close();
    await simulator!.close();

    const slow = await start({ slowStream: 1 }, 1);
    const slowProvider = new RunwareProvider({ apiUrl: slow.url, apiKey: 'k', connections: 2 });
    const timedOut = await slowProvider.send(request, { signal: new AbortController().signal, timeoutMs: 300 });
    await slowProvider.close();
    expect(timedOut.failure).toMatchObject({ code: 'REQUEST_TIMEOUT', isRetryable: true });
  });
});

describe('the simulator with a fixed latency (benchmarks)', () => {
  it('takes fixedLatencyMs for an async task and a stream too, whatever the scenario says', async () => {
    const fixed = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale: 1000, fixedLatencyMs: 0 });
    try {
      const started = performance.now();
      const stream = await post(fixed.url, [streamTask()]);
      expect(dataOf(stream.text).at(-1)).toBe('[DONE]');
      const taskUUID = randomUUID();
      await post(fixed.url, [{ ...streamTask(), taskUUID, deliveryMethod: 'async' }]);
      const state = JSON.parse((await post(fixed.url, [{ taskType: 'getResponse', taskUUID }])).text) as { data: { status: string }[] };
      expect(state.data.map((i) => i.status)).toEqual(['success']);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await fixed.close();
    }
  });
});
