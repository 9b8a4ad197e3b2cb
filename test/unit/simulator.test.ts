import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { priceUsage } from '../../src/cost/price-usage.js';
import { compileScenario, ScenarioSchema } from '../../src/simulator/scenario.js';
import { asJson, simulateTask, type SimulatorTask } from '../../src/simulator/simulate-task.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';

const models = new ModelTable(DEFAULT_MODELS);
const gpt = models.find('openai-gpt-5-5')!;
const scenario = compileScenario(
  ScenarioSchema.parse({
    scenario: 'yes-no',
    match: 'Answer yes or no',
    levels: { none: { accuracy: 0.2, thinkingTokens: 0, latencyMs: 10 }, high: { accuracy: 0.95, thinkingTokens: 500, latencyMs: 50 } },
    answers: [{ when: 'sky', correct: 'yes', wrong: 'no' }],
  }),
);

function task(overrides: Partial<SimulatorTask> = {}): SimulatorTask {
  return {
    model: gpt,
    systemPrompt: 'Answer yes or no.',
    messages: [{ role: 'user', content: 'Is the sky blue?' }],
    maxTokens: 4000,
    thinkingLevel: 'high',
    numberResults: 4,
    ...overrides,
  };
}

describe('simulateTask', () => {
  it('is deterministic for a seed, content and occurrence, and differs otherwise', () => {
    const a = simulateTask(task(), [scenario], 1, 0);
    expect(simulateTask(task(), [scenario], 1, 0)).toEqual(a);
    const others = [simulateTask(task(), [scenario], 2, 0), simulateTask(task(), [scenario], 1, 1)];
    for (const other of others) expect(other.results.map((r) => r.usage.thinkingTokens)).not.toEqual(a.results.map((r) => r.usage.thinkingTokens));
  });

  it('answers correctly about as often as the level says', () => {
    const rate = (level: 'none' | 'high') => {
      let correct = 0;
      for (let i = 0; i < 500; i++) correct += simulateTask(task({ thinkingLevel: level, numberResults: 1 }), [scenario], 3, i).results[0]!.text === 'yes' ? 1 : 0;
      return correct / 500;
    };
    expect(rate('high')).toBeGreaterThan(0.9);
    expect(rate('none')).toBeLessThan(0.3);
  });

  it('borrows the nearest level below for a level the scenario does not define', () => {
    const medium = simulateTask(task({ thinkingLevel: 'medium', numberResults: 1 }), [scenario], 1, 0);
    expect(medium.results[0]!.usage.thinkingTokens).toBe(0); // from `none`
  });

  it('runs out of tokens honestly: thinking takes the budget and the answer is cut (finishReason length)', () => {
    const starved = simulateTask(task({ maxTokens: 10 }), [scenario], 1, 0);
    for (const r of starved.results) {
      expect(r.finishReason).toBe('length');
      expect(r.usage.thinkingTokens + r.usage.completionTokens).toBeLessThanOrEqual(10);
    }
    expect(starved.results.some((r) => r.text === '')).toBe(true);
  });

  it('costs each result with the same price table the client uses', () => {
    for (const r of simulateTask(task(), [scenario], 1, 0).results) expect(r.cost).toBeCloseTo(priceUsage(r.usage, gpt)!, 10);
  });

  it('answers prompts no scenario matches with the generic scenario', () => {
    expect(simulateTask(task({ systemPrompt: 'Something else' }), [scenario], 1, 0).scenario).toBe('generic');
  });

  it('answers a JSON task with JSON: text answers wrapped, JSON answers unchanged, the same draws as text', () => {
    const generic = simulateTask(task({ systemPrompt: 'Something else', outputFormat: 'JSON' }), [scenario], 1, 0);
    for (const r of generic.results) expect(JSON.parse(r.text)).toEqual({ answer: 'This is a simulated answer from the evalgate simulator.' });
    const text = simulateTask(task(), [scenario], 1, 0);
    const json = simulateTask(task({ outputFormat: 'JSON' }), [scenario], 1, 0);
    expect(json.results.map((r) => JSON.parse(r.text))).toEqual(text.results.map((r) => ({ answer: r.text })));
    expect(json.results.map((r) => r.isCorrect)).toEqual(text.results.map((r) => r.isCorrect));
    expect(json.results[0]!.usage.completionTokens).toBe(Math.ceil(json.results[0]!.text.length / 4));
    expect(asJson('{"vendor": "ACME"}')).toBe('{"vendor": "ACME"}');
    expect(asJson('42')).toBe('42');
    expect(asJson('')).toBe('');
  });
});

describe('the simulator over HTTP', () => {
  let simulator: RunningSimulator;
  const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer key' }) =>
    fetch(simulator.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const textTask = (overrides: Record<string, unknown> = {}) => ({
    taskType: 'textInference', taskUUID: randomUUID(), model: 'openai:gpt@5.5', numberResults: 2, includeCost: true, includeUsage: true,
    messages: [{ role: 'user', content: 'Is the sky blue?' }], settings: { systemPrompt: 'Answer yes or no.', maxTokens: 2000, thinkingLevel: 'high' }, ...overrides,
  });

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 1, scenarios: [scenario], models, latencyScale: 0 });
  });
  afterAll(() => simulator.close());

  it('answers a task with N results sharing its taskUUID, with usage and cost, marked as simulated', async () => {
    const t = textTask();
    const response = await post([t]);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-evalgate-simulator')).toBe('1');
    const body = (await response.json()) as { data: Record<string, unknown>[] };
    expect(body.data).toHaveLength(2);
    for (const item of body.data) {
      expect(item).toMatchObject({ taskType: 'textInference', taskUUID: t.taskUUID, finishReason: 'stop' });
      expect(item.usage).toMatchObject({ promptTokens: expect.any(Number), thinkingTokens: expect.any(Number) });
      expect(item.cost).toEqual(expect.any(Number));
    }
  });

  it('reports totalTokens as prompt + completion, as Runware documents it, with thinking tokens beside it', async () => {
    const response = await post([{ ...textTask(), settings: { maxTokens: 4000, thinkingLevel: 'high' } }]);
    const body = (await response.json()) as { data: { usage: { promptTokens: number; completionTokens: number; thinkingTokens: number; totalTokens: number } }[] };
    for (const { usage } of body.data) {
      expect(usage.thinkingTokens).toBeGreaterThan(0);
      expect(usage.totalTokens).toBe(usage.promptTokens + usage.completionTokens);
    }
  });

  it('answers outputFormat JSON with JSON, a jsonSchema or not, and TEXT with text', async () => {
    const schema = { name: 'response', strict: true, schema: { type: 'object' } };
    for (const extra of [{ outputFormat: 'JSON' }, { outputFormat: 'JSON', jsonSchema: schema }]) {
      const body = (await (await post([textTask(extra)])).json()) as { data: { text: string }[] };
      for (const item of body.data) expect(JSON.parse(item.text)).toEqual({ answer: expect.stringMatching(/^(yes|no)$/) });
    }
    const plain = (await (await post([textTask({ outputFormat: 'TEXT' })])).json()) as { data: { text: string }[] };
    for (const item of plain.data) expect(item.text).toMatch(/^(yes|no)$/);
  });

  it('sends usage and cost only when asked for', async () => {
    const body = (await (await post([textTask({ includeCost: false, includeUsage: false })])).json()) as { data: Record<string, unknown>[] };
    expect(body.data[0]).not.toHaveProperty('usage');
    expect(body.data[0]).not.toHaveProperty('cost');
  });

  it('accepts the slug as well as the AIR', async () => {
    expect((await post([textTask({ model: 'openai-gpt-5-5' })])).status).toBe(200);
  });

  it.each([
    ['an unknown model', { model: 'openai:gpt@9' }, 'invalidModel', 'model'],
    ['numberResults 5', { numberResults: 5 }, 'invalidParameter', 'numberResults'],
    ['maxTokens 0', { settings: { maxTokens: 0 } }, 'invalidParameter', 'settings.maxTokens'],
    ['a system role', { messages: [{ role: 'system', content: 'x' }] }, 'invalidParameter', 'messages'],
    ['a last message from the assistant', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }, 'invalidParameter', 'messages'],
    ['an unknown parameter', { seed: 3 }, 'unknownParameter', 'seed'],
    ['a taskUUID that is not a UUID', { taskUUID: 'abc' }, 'invalidParameter', 'taskUUID'],
    ['an unknown outputFormat', { outputFormat: 'XML' }, 'invalidParameter', 'outputFormat'],
    ['a jsonSchema that is a number', { outputFormat: 'JSON', jsonSchema: 3 }, 'invalidParameter', 'jsonSchema'],
  ])('refuses %s with 400 and Runware error fields', async (_label, overrides, code, parameter) => {
    const response = await post([textTask(overrides)]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, unknown>[] };
    expect(body.errors[0]).toMatchObject({ code, parameter, message: expect.any(String) });
  });

  it('refuses a missing key with 401 invalidApiKey, and accepts an authentication task instead of the header', async () => {
    expect((await post([textTask()], {})).status).toBe(401);
    expect((await post([{ taskType: 'authentication', apiKey: 'k' }, textTask()], {})).status).toBe(200);
    expect((await post([{ taskType: 'authentication', apiKey: 'k' }, textTask()])).status).toBe(400);
  });

  it('answers a body that is not a task array with 400', async () => {
    expect((await post('{"not": "an array"}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
  });

  it('prices a dry run (X-Runware-Dry-Run: 1) without running it: the prompt of every result, and the usual refusals', async () => {
    const t = textTask();
    const bad = textTask({ numberResults: 9 });
    const tasksBefore = simulator.stats.tasks;
    const response = await post([t, bad], { authorization: 'Bearer key', 'X-Runware-Dry-Run': '1' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Record<string, unknown>[]; errors: Record<string, unknown>[] };
    // 2 results × (system "Answer yes or no." 5 + 3, user "Is the sky blue?" 4 + 3, request 3) = 2 × 18 tokens at $5/1M.
    expect(body.data).toEqual([{ taskType: 'textInference', taskUUID: t.taskUUID, cost: (2 * 18 * 5) / 1_000_000 }]);
    expect(body.errors).toEqual([expect.objectContaining({ taskUUID: bad.taskUUID, code: 'invalidParameter' })]);
    expect(simulator.stats.tasks).toBe(tasksBefore);
    expect(simulator.stats.dryRuns).toBeGreaterThan(0);
  });

  it('answers several tasks in one request and keeps per-task errors apart', async () => {
    const good = textTask();
    const bad = textTask({ numberResults: 9 });
    const body = (await (await post([good, bad])).json()) as { data: { taskUUID: string }[]; errors: { taskUUID: string }[] };
    expect(body.data.every((d) => d.taskUUID === good.taskUUID)).toBe(true);
    expect(body.errors).toEqual([expect.objectContaining({ taskUUID: bad.taskUUID, code: 'invalidParameter' })]);
  });
});
