import { makeSampleView, type SampleView } from '../../src/assertions/assertion.js';
import type { LoadedCase } from '../../src/config/loaded-suite.js';
import type { Setting, Trial } from '../../src/plan/trial.js';
import type { SampleRecord } from '../../src/results/sample-record.js';

/** A completed sample as an assertion sees it. */
export function makeView(overrides: Partial<Omit<SampleView, 'json'>> = {}): SampleView {
  return makeSampleView({
    text: 'hello',
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 5, thinkingTokens: 20, totalTokens: 35 },
    costUsd: 0.001,
    latencyMs: 120,
    ...overrides,
  });
}

/** One line of results.jsonl. */
export function makeRecord(overrides: Partial<SampleRecord> = {}): SampleRecord {
  return {
    suite: 's',
    case: 'c1',
    model: 'openai-gpt-5-5',
    thinkingLevel: 'low',
    numberResults: 1,
    repeat: 0,
    trialId: 't1',
    sampleIndex: 0,
    status: 'completed',
    pass: true,
    text: 'ok',
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 5, thinkingTokens: 20, totalTokens: 35 },
    costUsd: 0.001,
    costSource: 'api',
    latencyMs: 100,
    attempts: 1,
    assertions: [],
    error: null,
    ...overrides,
  };
}

/** An errored line of results.jsonl. */
export function makeErroredRecord(overrides: Partial<SampleRecord> = {}): SampleRecord {
  return makeRecord({
    status: 'errored', pass: null, text: null, finishReason: null, usage: null, costUsd: null, costSource: null,
    error: { code: 'SERVER_ERROR', message: 'boom' }, ...overrides,
  });
}

export function makeCase(overrides: Partial<LoadedCase> = {}): LoadedCase {
  return { id: 'c1', tags: [], messages: [{ role: 'user', content: 'hi' }], maxTokens: 100, thinkingLevels: ['low'], assertions: [], ...overrides };
}

export function makeTrial(overrides: Partial<Trial> & { setting?: Partial<Setting> } = {}): Trial {
  const setting: Setting = { model: 'openai-gpt-5-5', air: 'openai:gpt@5.5', thinkingLevel: 'low', numberResults: 1, ...overrides.setting };
  const kase = overrides.case ?? makeCase();
  return {
    id: 't1',
    suite: 's',
    caseId: kase.id,
    repeat: 0,
    request: { model: setting.air, messages: kase.messages, maxTokens: kase.maxTokens, thinkingLevel: setting.thinkingLevel, numberResults: setting.numberResults, outputFormat: 'TEXT' },
    pricing: { price: { input: 5, output: 30 }, thinkingBilling: 'separate' },
    ...overrides,
    case: kase,
    setting,
  };
}
