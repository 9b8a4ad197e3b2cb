import type { Assertion } from '../assertions/assertion.js';
import { makeSampleView } from '../assertions/assertion.js';
import { evaluateAssertions } from '../assertions/evaluate-assertions.js';
import { priceUsage } from '../cost/price-usage.js';
import type { Trial } from '../plan/trial.js';
import type { SampleError, SampleRecord } from '../results/sample-record.js';
import type { TrialOutcome } from './execute-trial.js';

/**
 * Turns a finished trial into its numberResults sample records: each result checked by the case's
 * assertions; each missing result an errored sample carrying the failure. An errored sample has no
 * verdict (`pass: null`): it is never counted as passed or failed.
 */
export function buildSampleRecords(trial: Trial, outcome: TrialOutcome, assertions: readonly Assertion[], queuedMs = 0): SampleRecord[] {
  const roundMs = (ms: number) => Math.round(ms * 10) / 10;
  const waits = { queueMs: roundMs(queuedMs), backoffMs: roundMs(outcome.backoffMs) };
  const base = {
    suite: trial.suite,
    case: trial.caseId,
    model: trial.setting.model,
    thinkingLevel: trial.setting.thinkingLevel,
    numberResults: trial.setting.numberResults,
    repeat: trial.repeat,
    trialId: trial.id,
  };
  const records: SampleRecord[] = [];
  for (let sampleIndex = 0; sampleIndex < trial.setting.numberResults; sampleIndex++) {
    const result = outcome.results[sampleIndex];
    if (!result) {
      const error: SampleError = outcome.failure
        ? {
            code: outcome.failure.code,
            message: outcome.failure.message,
            ...(outcome.failure.providerCode !== undefined ? { providerCode: outcome.failure.providerCode } : {}),
            ...(outcome.failure.httpStatus !== undefined ? { httpStatus: outcome.failure.httpStatus } : {}),
          }
        : { code: 'MISSING_RESULT', message: `result ${sampleIndex + 1} of ${trial.setting.numberResults} never arrived` };
      records.push({
        ...base, sampleIndex, status: 'errored', pass: null, text: null, finishReason: null, usage: null,
        costUsd: null, costSource: null, latencyMs: roundMs(outcome.latencyMs), ...waits, attempts: outcome.attempts, assertions: [], error,
      });
      continue;
    }
    const priced = result.costUsd === null && result.usage ? priceUsage(result.usage, trial.pricing) : null;
    const costUsd = result.costUsd ?? priced;
    const latencyMs = roundMs(result.latencyMs);
    const view = makeSampleView({ text: result.text, finishReason: result.finishReason, usage: result.usage, costUsd, latencyMs });
    const verdict = evaluateAssertions(assertions, view);
    records.push({
      ...base,
      sampleIndex,
      status: 'completed',
      pass: verdict.pass,
      text: result.text,
      finishReason: result.finishReason,
      usage: result.usage,
      costUsd,
      costSource: result.costUsd !== null ? 'api' : priced !== null ? 'priceTable' : null,
      latencyMs,
      ...waits,
      attempts: outcome.attempts,
      assertions: verdict.outcomes,
      error: null,
    });
  }
  return records;
}
