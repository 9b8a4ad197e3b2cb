import { describe, expect, it } from 'vitest';
import { compile } from '../support/compile.js';
import { priceUsage } from '../../src/cost/price-usage.js';
import { buildSampleRecords } from '../../src/run/build-sample-records.js';
import { makeCase, makeProviderResult, makeTrial, makeTrialOutcome } from '../support/builders.js';

const GPT_5_5 = { price: { input: 5, output: 30 }, thinkingBilling: 'separate' } as const;
const mustContainTotal = [compile({ type: 'contains', value: 'total', ignoreCase: false, not: false })];

describe('buildSampleRecords', () => {
  it('turns a trial of numberResults 3 with 3 results into 3 completed records with their outcomes', async () => {
    const trial = makeTrial({ id: 'trial-a', suite: 'invoices', repeat: 2, setting: { thinkingLevel: 'high', numberResults: 3 } });
    const outcome = makeTrialOutcome({
      results: [
        makeProviderResult({ text: 'total 1', costUsd: 0.002 }),
        makeProviderResult({ text: 'nothing', finishReason: 'length', costUsd: 0.003 }),
        makeProviderResult({ text: 'total 3', costUsd: 0.004 }),
      ],
    });

    const records = await buildSampleRecords(trial, outcome, mustContainTotal);

    expect(records).toHaveLength(3);
    expect(records.map((r) => [r.sampleIndex, r.status, r.pass, r.costUsd, r.costSource])).toEqual([
      [0, 'completed', true, 0.002, 'api'],
      [1, 'completed', false, 0.003, 'api'],
      [2, 'completed', true, 0.004, 'api'],
    ]);
    expect(records[1]).toMatchObject({
      suite: 'invoices',
      case: 'c1',
      model: 'openai-gpt-5-5',
      thinkingLevel: 'high',
      numberResults: 3,
      repeat: 2,
      trialId: 'trial-a',
      text: 'nothing',
      finishReason: 'length',
      error: null,
      assertions: [{ type: 'contains', pass: false, message: 'expected "total", got "nothing"' }],
    });
    expect(records[0]!.assertions).toEqual([{ type: 'contains', pass: true, message: 'contains "total"' }]);
  });

  it('prices a result from the price table when the API sent usage but no cost', async () => {
    const usage = { promptTokens: 162, completionTokens: 41, thinkingTokens: 0, totalTokens: 203 };
    const records = await buildSampleRecords(makeTrial({ pricing: GPT_5_5 }), makeTrialOutcome({ results: [makeProviderResult({ costUsd: null, usage })] }), []);
    expect(records[0]!.costSource).toBe('priceTable');
    expect(records[0]!.costUsd).toBeCloseTo(0.00204, 12);
  });

  it('lets the cost assertion see the priced cost', async () => {
    const usage = { promptTokens: 162, completionTokens: 41, thinkingTokens: 0, totalTokens: 203 };
    const records = await buildSampleRecords(
      makeTrial({ pricing: GPT_5_5 }),
      makeTrialOutcome({ results: [makeProviderResult({ costUsd: null, usage })] }),
      [compile({ type: 'costUsd', max: 0.002 })],
    );
    expect(records[0]!.assertions).toEqual([{ type: 'costUsd', pass: false, message: 'cost $0.00204 > max $0.002' }]);
  });

  it('records no cost when the API sent none and the model has no price', async () => {
    const records = await buildSampleRecords(
      makeTrial({ pricing: { thinkingBilling: 'separate' } }),
      makeTrialOutcome({ results: [makeProviderResult({ costUsd: null })] }),
      [],
    );
    expect(records[0]).toMatchObject({ status: 'completed', costUsd: null, costSource: null });
  });

  it('records no cost when the API sent neither cost nor usage', async () => {
    const records = await buildSampleRecords(makeTrial(), makeTrialOutcome({ results: [makeProviderResult({ costUsd: null, usage: null })] }), []);
    expect(records[0]).toMatchObject({ status: 'completed', usage: null, costUsd: null, costSource: null });
  });

  it('keeps the cost the API sent rather than the price table', async () => {
    const records = await buildSampleRecords(makeTrial({ pricing: GPT_5_5 }), makeTrialOutcome({ results: [makeProviderResult({ costUsd: 0.5 })] }), []);
    expect(records[0]).toMatchObject({ costUsd: 0.5, costSource: 'api' });
  });

  it('turns 2 results of 3 and a failure into 2 completed records and 1 errored one carrying the failure', async () => {
    const trial = makeTrial({ setting: { numberResults: 3 } });
    const outcome = makeTrialOutcome({
      results: [makeProviderResult({ text: 'total' }), makeProviderResult({ text: 'total' })],
      failure: { code: 'PROVIDER_TIMEOUT', message: 'the provider timed out', isRetryable: true, providerCode: 'timeoutProvider', httpStatus: 504 },
      attempts: 2,
    });

    const records = await buildSampleRecords(trial, outcome, mustContainTotal);

    expect(records.map((r) => r.status)).toEqual(['completed', 'completed', 'errored']);
    expect(records[2]).toMatchObject({
      sampleIndex: 2,
      status: 'errored',
      pass: null,
      text: null,
      finishReason: null,
      usage: null,
      costUsd: null,
      costSource: null,
      assertions: [],
      attempts: 2,
      error: { code: 'PROVIDER_TIMEOUT', message: 'the provider timed out', providerCode: 'timeoutProvider', httpStatus: 504 },
    });
  });

  it('leaves out providerCode and httpStatus when the failure has none', async () => {
    const outcome = makeTrialOutcome({ failure: { code: 'NETWORK_ERROR', message: 'socket hang up', isRetryable: true } });
    const [record] = await buildSampleRecords(makeTrial(), outcome, []);
    expect(record!.error).toEqual({ code: 'NETWORK_ERROR', message: 'socket hang up' });
  });

  it('turns a trial with no results into errored records only, none with a verdict', async () => {
    const trial = makeTrial({ setting: { numberResults: 3 } });
    const outcome = makeTrialOutcome({ failure: { code: 'SERVER_ERROR', message: 'HTTP 500', isRetryable: true, httpStatus: 500 }, attempts: 3 });

    const records = await buildSampleRecords(trial, outcome, mustContainTotal);

    expect(records).toHaveLength(3);
    expect(records.map((r) => [r.sampleIndex, r.status, r.pass, r.error?.code, r.error?.httpStatus])).toEqual([
      [0, 'errored', null, 'SERVER_ERROR', 500],
      [1, 'errored', null, 'SERVER_ERROR', 500],
      [2, 'errored', null, 'SERVER_ERROR', 500],
    ]);
  });

  it('marks a result that never arrived as MISSING_RESULT when the provider gave no failure', async () => {
    const trial = makeTrial({ setting: { numberResults: 2 } });
    const records = await buildSampleRecords(trial, makeTrialOutcome({ results: [makeProviderResult()] }), []);
    expect(records[1]).toMatchObject({ status: 'errored', pass: null, error: { code: 'MISSING_RESULT', message: 'result 2 of 2 never arrived' } });
  });

  it("rounds latency to 0.1 ms: a completed sample its own attempt's, an errored one the last attempt's", async () => {
    const trial = makeTrial({ setting: { numberResults: 2 } });
    const records = await buildSampleRecords(trial, makeTrialOutcome({ results: [makeProviderResult({ latencyMs: 1234.5678 })], latencyMs: 99.96 }), []);
    expect(records.map((r) => r.latencyMs)).toEqual([1234.6, 100]);
  });

  it('checks latency assertions against the rounded latency the record keeps', async () => {
    const records = await buildSampleRecords(makeTrial(), makeTrialOutcome({ results: [makeProviderResult({ latencyMs: 100.04 })] }), [compile({ type: 'latencyMs', max: 100 })]);
    expect(records[0]).toMatchObject({ latencyMs: 100, pass: true });
  });

  it('copies the attempts onto every record', async () => {
    const trial = makeTrial({ setting: { numberResults: 2 } });
    const outcome = makeTrialOutcome({ results: [makeProviderResult()], failure: { code: 'RATE_LIMITED', message: '429', isRetryable: true }, attempts: 4 });
    expect((await buildSampleRecords(trial, outcome, [])).map((r) => r.attempts)).toEqual([4, 4]);
  });
});

describe('priceUsage', () => {
  it('prices the real GPT-5.5 call exactly: 162 in + 41 out = $0.00204', async () => {
    const cost = priceUsage({ promptTokens: 162, completionTokens: 41, thinkingTokens: 0, totalTokens: 203 }, GPT_5_5);
    expect(Math.abs(cost! - 0.00204)).toBeLessThan(1e-12);
  });

  it('bills thinking tokens once, at the output rate, when they are billed separately', async () => {
    const cost = priceUsage({ promptTokens: 162, completionTokens: 41, thinkingTokens: 100, totalTokens: 303 }, GPT_5_5);
    // 162 × $5/1M + (41 + 100) × $30/1M
    expect(Math.abs(cost! - (162 * 5 + 141 * 30) / 1e6)).toBeLessThan(1e-12);
    expect(Math.abs(cost! - 0.00504)).toBeLessThan(1e-12);
  });

  it('does not add thinking tokens again when completionTokens already includes them', async () => {
    const cost = priceUsage({ promptTokens: 162, completionTokens: 141, thinkingTokens: 100, totalTokens: 303 }, { ...GPT_5_5, thinkingBilling: 'includedInCompletion' });
    expect(Math.abs(cost! - 0.00504)).toBeLessThan(1e-12);
  });

  it('has no price for a model without one', async () => {
    expect(priceUsage({ promptTokens: 1, completionTokens: 1, thinkingTokens: 1, totalTokens: 3 }, { thinkingBilling: 'separate' })).toBeNull();
  });

  it('stores what the trial asked (rendered messages, system prompt, vars) once, on its first sample', async () => {
    const kase = makeCase({ systemPrompt: 'Be brief.', messages: [{ role: 'user', content: 'Review: great kettle' }], vars: { review: 'great kettle', label: 'positive' } });
    const trial = makeTrial({ case: kase, setting: { numberResults: 3 } });
    const completed = await buildSampleRecords(trial, makeTrialOutcome({ results: [makeProviderResult(), makeProviderResult(), makeProviderResult()] }), []);
    expect(completed.map((r) => r.prompt)).toEqual([
      { systemPrompt: 'Be brief.', messages: [{ role: 'user', content: 'Review: great kettle' }], vars: { review: 'great kettle', label: 'positive' } },
      null,
      null,
    ]);
    const errored = await buildSampleRecords(makeTrial({ setting: { numberResults: 2 } }), makeTrialOutcome({ results: [] }), []);
    expect(errored.map((r) => r.prompt)).toEqual([{ systemPrompt: null, messages: [{ role: 'user', content: 'hi' }], vars: null }, null]);
  });
});
