import { describe, expect, it } from 'vitest';
import type { LoadedSuite } from '../../src/config/loaded-suite.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { EvalgateError } from '../../src/core/evalgate-error.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { makeCase } from '../support/builders.js';

const models = new ModelTable(DEFAULT_MODELS);

function makeSuite(overrides: Partial<LoadedSuite> = {}): LoadedSuite {
  return {
    name: 'invoices',
    file: 'evals/invoices.yaml',
    tags: [],
    threshold: 0.9,
    repeats: 1,
    models: [models.find('openai-gpt-5-5')!],
    numberResults: [1, 4],
    outputFormat: 'TEXT',
    cases: [
      makeCase({ id: 'acme', thinkingLevels: ['low', 'high'], tags: ['smoke'] }),
      makeCase({ id: 'globex', thinkingLevels: ['low', 'high'] }),
    ],
    ...overrides,
  };
}

describe('planTrials', () => {
  it('crosses every case with models × levels × numberResults × repeats', () => {
    const trials = planTrials([makeSuite({ repeats: 3, models: [models.find('openai-gpt-5-5')!, models.find('deepseek-v4-flash')!] })]);
    expect(trials).toHaveLength(2 * 2 * 2 * 2 * 3);
    expect(new Set(trials.map((t) => t.id)).size).toBe(trials.length);
  });

  it('gives the same ids in the same order every time, and ids that do not depend on the other cases', () => {
    const a = planTrials([makeSuite()]).map((t) => t.id);
    expect(planTrials([makeSuite()]).map((t) => t.id)).toEqual(a);
    const alone = planTrials([makeSuite({ cases: [makeCase({ id: 'globex', thinkingLevels: ['low', 'high'] })] })]).map((t) => t.id);
    expect(a).toEqual(expect.arrayContaining(alone));
  });

  it('builds the request from the case and the setting: the AIR, the level, numberResults, the schema', () => {
    const schema = { name: 'response', strict: true, schema: { type: 'object' } };
    const [trial] = planTrials([makeSuite({ outputFormat: 'JSON', jsonSchema: schema, cases: [makeCase({ systemPrompt: 'Be terse.', maxTokens: 321 })] })]);
    expect(trial!.request).toEqual({
      model: 'openai:gpt@5.5', messages: [{ role: 'user', content: 'hi' }], systemPrompt: 'Be terse.', maxTokens: 321,
      thinkingLevel: 'low', numberResults: 1, outputFormat: 'JSON', jsonSchema: schema,
    });
    expect(trial!.pricing).toEqual({ price: DEFAULT_MODELS['openai-gpt-5-5']!.price, thinkingBilling: 'separate' });
  });

  it('builds each request when asked, field for field and in the order it was built eagerly before (the plan fingerprint hashes its JSON)', () => {
    const schema = { name: 'response', strict: true, schema: { type: 'object' } };
    const tools = [{ type: 'function' as const, name: 'lookup', schema: { type: 'object' } }];
    const suite = makeSuite({
      outputFormat: 'JSON', jsonSchema: schema, deliveryMethod: 'stream', tools, toolChoice: { type: 'auto' }, repeats: 2,
      cases: [makeCase({ systemPrompt: 'Be terse.', maxTokens: 321, images: ['https://example.com/a.png'] }), makeCase({ id: 'c2' })],
    });
    const trials = planTrials([suite]);
    const [first] = trials;
    // What the planner built and held for every trial before requests were built on demand, in its key order.
    const eager = {
      model: 'openai:gpt@5.5', messages: [{ role: 'user', content: 'hi' }], systemPrompt: 'Be terse.', maxTokens: 321, thinkingLevel: 'low', numberResults: 1,
      outputFormat: 'JSON', jsonSchema: schema, deliveryMethod: 'stream', images: ['https://example.com/a.png'], tools, toolChoice: { type: 'auto' },
    };
    expect(JSON.stringify(first!.request)).toBe(JSON.stringify(eager));
    expect(first!.request).not.toBe(first!.request);
    expect(first!.request.messages).toBe(first!.case.messages);
    const plain = trials.find((t) => t.caseId === 'c2')!;
    expect(JSON.stringify(plain.request)).toBe(JSON.stringify({ model: 'openai:gpt@5.5', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100, thinkingLevel: 'low', numberResults: 1, outputFormat: 'JSON', jsonSchema: schema, deliveryMethod: 'stream', tools, toolChoice: { type: 'auto' } }));
  });

  it('shares one setting and one pricing among the trials that have them, and keeps ids of their own', () => {
    const trials = planTrials([makeSuite({ repeats: 2 })]);
    const same = trials.filter((t) => t.setting.thinkingLevel === 'high' && t.setting.numberResults === 4);
    expect(same).toHaveLength(4);
    for (const t of same) expect(t.setting).toBe(same[0]!.setting);
    for (const t of trials) expect(t.pricing).toBe(trials[0]!.pricing);
    expect(same[0]!.setting).toEqual({ model: 'openai-gpt-5-5', air: 'openai:gpt@5.5', thinkingLevel: 'high', numberResults: 4 });
    for (const t of trials) expect(t.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('replaces the levels and numberResults with --levels and --samples', () => {
    const trials = planTrials([makeSuite()], { thinkingLevels: ['xhigh'], numberResults: [2] });
    expect(new Set(trials.map((t) => `${t.setting.thinkingLevel}/${t.setting.numberResults}`))).toEqual(new Set(['xhigh/2']));
  });

  it('refuses overrides a model cannot take, naming the model', () => {
    const gemini = makeSuite({ models: [models.find('google-gemini-3-1-pro')!] });
    expect(() => planTrials([gemini], { thinkingLevels: ['none'] })).toThrow(EvalgateError);
    expect(() => planTrials([gemini], { thinkingLevels: ['none'] })).toThrow(/google-gemini-3-1-pro does not take thinkingLevel none/);
  });

  it.each([
    [['invoices/acme'], ['acme']],
    [['acme'], ['acme']],
    [['invoices'], ['acme', 'globex']],
    [['*/glob*'], ['globex']],
    [['tag:smoke'], ['acme']],
    [['tag:smoke', 'globex'], ['acme', 'globex']],
    [['other/*'], []],
  ])('filters with %j', (filter, cases) => {
    const kept = new Set(planTrials([makeSuite()], { filter }).map((t) => t.caseId));
    expect([...kept].sort()).toEqual(cases);
  });
});
