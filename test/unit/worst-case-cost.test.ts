import { describe, expect, it } from 'vitest';
import { checkBudget } from '../../src/cost/check-budget.js';
import { estimateJudgeCalls } from '../../src/cost/estimate-judge-calls.js';
import type { CostEstimate } from '../../src/cost/cost-estimate.js';
import { IMAGE_WORST_CASE_TOKENS, worstCaseCostUsd } from '../../src/cost/worst-case-cost.js';
import { makeCase, makeTrial } from '../support/builders.js';

const pricing = { price: { input: 5, output: 30 } };
const base = makeTrial().request;
const worst = (overrides: Partial<typeof base>) => worstCaseCostUsd({ ...base, ...overrides }, pricing)!;

describe('worstCaseCostUsd with what the prompt carries beyond messages', () => {
  it('bounds tool definitions and a structured-output schema by their JSON bytes', () => {
    const schema = { type: 'object', properties: { city: { type: 'string', description: 'x'.repeat(1000) } } };
    const tools = [{ type: 'function' as const, name: 'get_weather', schema }];
    const extra = (usd: number) => Math.round(((usd - worst({})) * 1e6) / 5);
    expect(extra(worst({ tools, toolChoice: { type: 'auto' } }))).toBeGreaterThan(1000);
    expect(extra(worst({ outputFormat: 'JSON', jsonSchema: { name: 'r', strict: true, schema } }))).toBeGreaterThan(1000);
    // A schema that is not sent (outputFormat TEXT) costs nothing.
    expect(worst({ outputFormat: 'TEXT', jsonSchema: { name: 'r', strict: true, schema } })).toBe(worst({}));
  });

  it('counts each image as its worst case, whatever its encoding', () => {
    const twoImages = worst({ images: ['https://example.com/a.png', 'data:image/png;base64,AAAA'] });
    expect(twoImages - worst({})).toBeCloseTo((2 * IMAGE_WORST_CASE_TOKENS * 5) / 1e6, 10);
  });
});

describe('checkBudget on --resume', () => {
  const trials = [makeTrial(), makeTrial({ id: 't2' })];
  const planUsd = trials.reduce((sum, t) => sum + worstCaseCostUsd(t.request, t.pricing)!, 0);

  it('counts what the run spent before the resume against the budget, naming it', () => {
    expect(() => checkBudget(trials, planUsd * 1.5, false, undefined)).not.toThrow();
    expect(() => checkBudget(trials, planUsd * 1.5, false, undefined, planUsd)).toThrow(/plus \$[\d.]+ already spent before --resume, is above --max-cost/);
  });

  it('counts it against the expected cost too, even with --allow-partial', () => {
    const figures = { trials: 2, samples: 2, expectedCostUsd: planUsd / 2, lowCostUsd: planUsd / 4, highCostUsd: planUsd };
    const estimate: CostEstimate = {
      history: { runs: 1, samples: 10 },
      totals: figures,
      groups: [
        {
          ...figures, suite: 's', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 1, basis: 'history', historyScope: 'case', historySamples: 10,
          tokenizer: 'o200k_base', promptCostSource: 'history', promptTokensPerSample: 10, completionTokens: null, thinkingTokens: null,
        },
      ],
      unpriced: [],
    };
    expect(() => checkBudget(trials, planUsd, true, estimate)).not.toThrow();
    expect(() => checkBudget(trials, planUsd, true, estimate, planUsd * 0.75)).toThrow(/expected to cost .* plus \$[\d.]+ already spent before --resume, above --max-cost/);
  });
});

describe('checkBudget with judges', () => {
  const grader = { model: 'openai-gpt-5-5', air: 'openai:gpt@5.5', thinkingLevel: 'low' as const, maxTokens: 2000, pricing: { price: { input: 5, output: 30 }, thinkingBilling: 'separate' as const } };
  const judged = makeCase({ assertions: [{ type: 'judge', rubric: 'Says what the reference says.', samples: 3, grader }] });
  const trials = [makeTrial({ case: judged }), makeTrial({ id: 't2', case: judged })];
  const answersUsd = trials.reduce((sum, t) => sum + worstCaseCostUsd(t.request, t.pricing)!, 0);
  const gradingUsd = estimateJudgeCalls(trials)!.highCostUsd;

  it('counts the grading in the worst case: a budget the answers fit and the judge calls do not is refused before anything is sent', () => {
    // Before, this plan was let through: its answers were paid for, then every judge call was refused (JUDGE_ERROR).
    expect(gradingUsd).toBeGreaterThan(answersUsd * 0.5);
    expect(() => checkBudget(trials, answersUsd * 1.01, false, undefined)).toThrow(/worst case of this run, \$[\d.]+ \(every result .*, and \$[\d.]+ of grading, every verdict at the judge's maxTokens\).*Most of it: .*the judge's 6 calls: \$/);
    expect(() => checkBudget(trials, (answersUsd + gradingUsd) * 1.01, false, undefined)).not.toThrow();
    expect(() => checkBudget(trials, answersUsd * 1.01, true, undefined)).not.toThrow();
  });

  it('refuses a judge without a price: nothing bounds its calls', () => {
    const unpricedCase = makeCase({ assertions: [{ type: 'judge', rubric: 'r', samples: 1, grader: { ...grader, model: 'cheap-judge', pricing: { thinkingBilling: 'separate' as const } } }] });
    expect(() => checkBudget([makeTrial({ case: unpricedCase })], 1000, true, undefined)).toThrow(/cannot bound cheap-judge \(judge\): no price/);
  });
});
