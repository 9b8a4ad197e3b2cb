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
