import { describe, expect, it } from 'vitest';
import { estimatePlan, MIN_CASE_SAMPLES } from '../../src/cost/estimate-plan.js';
import { UsageHistory } from '../../src/cost/usage-history.js';
import type { Trial } from '../../src/plan/trial.js';
import { makeCase, makeErroredRecord, makeRecord, makeTrial } from '../support/builders.js';

const PROMPT_TOKENS = 100;
const countPrompt = () => ({ tokens: PROMPT_TOKENS, tokenizer: 'o200k_base' as const, measured: false });

/** A trial of suite `s`, case `caseId`, at gpt-5.5 ($5 in, $30 out per 1M), maxTokens 1000. */
function trial(caseId: string, overrides: { thinkingLevel?: 'low' | 'high'; numberResults?: number; maxTokens?: number } = {}): Trial {
  return makeTrial({
    id: `${caseId}-${overrides.thinkingLevel ?? 'low'}-${overrides.numberResults ?? 1}`,
    case: makeCase({ id: caseId, maxTokens: overrides.maxTokens ?? 1000 }),
    setting: { thinkingLevel: overrides.thinkingLevel ?? 'low', numberResults: overrides.numberResults ?? 1 },
  });
}

/** History where case `caseId` at `low` produced these completion and thinking tokens. */
function historyOf(samples: { caseId: string; completion: number; thinking: number }[]): UsageHistory {
  const history = new UsageHistory();
  for (const s of samples) {
    history.add(makeRecord({ case: s.caseId, usage: { promptTokens: 50, completionTokens: s.completion, thinkingTokens: s.thinking, totalTokens: 0 } }));
  }
  return history;
}

const usd = (promptTokens: number, outputTokens: number) => (promptTokens * 5 + outputTokens * 30) / 1_000_000;

describe('estimatePlan', () => {
  it('bounds a setting without history by maxTokens, from prompt-only to every result using all of it', () => {
    const estimate = estimatePlan([trial('a', { numberResults: 2 })], { history: new UsageHistory(), historyRuns: 0, countPrompt });
    const [group] = estimate.groups;
    expect(group).toMatchObject({ basis: 'maxTokens', historyScope: null, trials: 1, samples: 2, historySamples: 0, completionTokens: null });
    expect(group!.expectedCostUsd).toBeCloseTo(2 * usd(PROMPT_TOKENS, 1000), 12);
    expect(group!.highCostUsd).toBeCloseTo(2 * usd(PROMPT_TOKENS, 1000), 12);
    expect(group!.lowCostUsd).toBeCloseTo(2 * usd(PROMPT_TOKENS, 0), 12);
    expect(estimate.totals).toMatchObject({ trials: 1, samples: 2 });
  });

  it('learns output and thinking tokens from the setting, with the counted prompt at the input price', () => {
    const history = historyOf([
      { caseId: 'other', completion: 10, thinking: 90 },
      { caseId: 'other', completion: 30, thinking: 270 },
    ]);
    const estimate = estimatePlan([trial('a'), trial('b')], { history, historyRuns: 1, countPrompt });
    const [group] = estimate.groups;
    // Mean output: (100 + 300) / 2 = 200 tokens per sample.
    expect(group).toMatchObject({ basis: 'history', historyScope: 'setting', historySamples: 2, samples: 2, promptTokensPerSample: PROMPT_TOKENS });
    expect(group!.expectedCostUsd).toBeCloseTo(2 * usd(PROMPT_TOKENS, 200), 12);
    expect(group!.completionTokens).toEqual({ mean: 20, p95: 30 });
    expect(group!.thinkingTokens!.mean).toBe(180);
    expect(group!.lowCostUsd).toBeLessThan(group!.expectedCostUsd);
    expect(group!.highCostUsd).toBeGreaterThan(group!.expectedCostUsd);
    expect(estimate.history).toEqual({ runs: 1, samples: 2 });
  });

  it(`uses a case's own history once it has ${MIN_CASE_SAMPLES} samples, its setting's before`, () => {
    const long = Array.from({ length: MIN_CASE_SAMPLES }, () => ({ caseId: 'long', completion: 0, thinking: 800 }));
    const short = Array.from({ length: MIN_CASE_SAMPLES }, () => ({ caseId: 'short', completion: 0, thinking: 100 }));
    const history = historyOf([...long, ...short]);
    const byCase = estimatePlan([trial('long')], { history, historyRuns: 1, countPrompt });
    expect(byCase.groups[0]).toMatchObject({ historyScope: 'case' });
    expect(byCase.totals.expectedCostUsd).toBeCloseTo(usd(PROMPT_TOKENS, 800), 12);
    // Every case sampled alike, no spread: the range closes on the expectation.
    expect(byCase.totals.lowCostUsd).toBeCloseTo(byCase.totals.expectedCostUsd, 12);

    const fewer = historyOf([...long.slice(1), ...short]);
    const bySetting = estimatePlan([trial('long')], { history: fewer, historyRuns: 1, countPrompt });
    expect(bySetting.groups[0]).toMatchObject({ historyScope: 'setting' });
    expect(bySetting.totals.expectedCostUsd).toBeCloseTo(usd(PROMPT_TOKENS, (7 * 800 + 8 * 100) / 15), 12);
  });

  it('falls back to the model at that level across suites, and never expects more than maxTokens', () => {
    const history = new UsageHistory();
    for (const thinking of [3000, 5000]) history.add(makeRecord({ suite: 'elsewhere', usage: { promptTokens: 1, completionTokens: 0, thinkingTokens: thinking, totalTokens: 0 } }));
    const estimate = estimatePlan([trial('a', { maxTokens: 1000 })], { history, historyRuns: 1, countPrompt });
    expect(estimate.groups[0]).toMatchObject({ basis: 'history', historyScope: 'model', historySamples: 0 });
    expect(estimate.totals.expectedCostUsd).toBeCloseTo(usd(PROMPT_TOKENS, 1000), 12);
    expect(estimate.totals.highCostUsd).toBeCloseTo(usd(PROMPT_TOKENS, 1000), 12);
  });

  it('learns nothing from errored samples, and bills thinking once when the model includes it in completion', () => {
    const history = new UsageHistory(() => 'includedInCompletion');
    history.add(makeErroredRecord());
    expect(history.samples).toBe(0);
    for (const completion of [300, 300]) history.add(makeRecord({ usage: { promptTokens: 1, completionTokens: completion, thinkingTokens: 200, totalTokens: 0 } }));
    const estimate = estimatePlan([trial('a')], { history, historyRuns: 1, countPrompt });
    expect(estimate.totals.expectedCostUsd).toBeCloseTo(usd(PROMPT_TOKENS, 300), 12);
  });

  it('widens the range with the spread of the history and narrows it with more history', () => {
    const spread = (n: number) => historyOf(Array.from({ length: n }, (_, i) => ({ caseId: 'x', completion: 0, thinking: i % 2 === 0 ? 100 : 300 })));
    const trials = Array.from({ length: 20 }, (_, i) => trial(`c${i}`));
    const few = estimatePlan(trials, { history: spread(4), historyRuns: 1, countPrompt }).totals;
    const many = estimatePlan(trials, { history: spread(400), historyRuns: 1, countPrompt }).totals;
    expect(few.expectedCostUsd).toBeCloseTo(many.expectedCostUsd, 12);
    expect(few.highCostUsd - few.lowCostUsd).toBeGreaterThan(many.highCostUsd - many.lowCostUsd);
  });

  it('keeps models without a price out of the figures and names them', () => {
    const unpriced = { ...trial('a'), pricing: { thinkingBilling: 'separate' as const } };
    const estimate = estimatePlan([unpriced, trial('b')], { history: new UsageHistory(), historyRuns: 0, countPrompt });
    expect(estimate.unpriced).toEqual(['openai-gpt-5-5']);
    expect(estimate.totals.trials).toBe(1);
  });

  it('orders groups by suite, model, effort and numberResults', () => {
    const estimate = estimatePlan([trial('a', { thinkingLevel: 'high' }), trial('a', { numberResults: 4 }), trial('a')], { history: new UsageHistory(), historyRuns: 0, countPrompt });
    expect(estimate.groups.map((g) => `${g.thinkingLevel}/${g.numberResults}`)).toEqual(['low/1', 'low/4', 'high/1']);
  });
});

describe('estimatePlan: where prompt tokens come from', () => {
  const measured = (tokens: number) => ({ tokens, tokenizer: 'approximate' as const, measured: true });
  const counted = (tokens: number) => ({ tokens, tokenizer: 'approximate' as const, measured: false });

  it('says history when every prompt of a group was measured by the API, and counts them at the input price', () => {
    const estimate = estimatePlan([trial('a'), trial('b')], { history: new UsageHistory(), historyRuns: 1, countPrompt: () => measured(40) });
    expect(estimate.groups[0]).toMatchObject({ promptCostSource: 'history', promptTokensPerSample: 40 });
    expect(estimate.totals.lowCostUsd).toBeCloseTo(2 * usd(40, 0), 12);
  });

  it('says tokenizer as soon as one prompt of the group had to be counted', () => {
    const estimate = estimatePlan([trial('a'), trial('b')], { history: new UsageHistory(), historyRuns: 1, countPrompt: (t) => (t.caseId === 'a' ? measured(40) : counted(60)) });
    expect(estimate.groups[0]).toMatchObject({ promptCostSource: 'tokenizer', tokenizer: 'approximate', promptTokensPerSample: 50 });
  });
});
