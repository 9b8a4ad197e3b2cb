import type { Assertion } from '../assertions/assertion.js';
import { makeSampleView } from '../assertions/assertion.js';
import { evaluateAssertions } from '../assertions/evaluate-assertions.js';
import { priceUsage } from '../cost/price-usage.js';
import { trustReportedCost } from '../cost/trust-reported-cost.js';
import type { Trial } from '../plan/trial.js';
import { RESULT_LINE_SCHEMA_VERSION, type SampleError, type SampleRecord, type TrialPrompt } from '../core/sample-record.js';
import type { TrialOutcome } from './execute-trial.js';

/**
 * Turns a finished trial into its numberResults sample records: each result checked by the case's
 * assertions; each missing result an errored sample carrying the failure. An errored sample has no
 * verdict (`pass: null`): it is never counted as passed or failed. Resolves once every check has
 * answered (a slow regex answers from a worker thread, never blocking the run).
 */
export async function buildSampleRecords(trial: Trial, outcome: TrialOutcome, assertions: readonly Assertion[], queuedMs = 0): Promise<SampleRecord[]> {
  const queueMs = roundMs(queuedMs);
  const backoffMs = roundMs(outcome.backoffMs);
  const records: SampleRecord[] = [];
  const prompt = promptOf(trial);
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
      records.push(sampleRecord(trial, sampleIndex, {
        status: 'errored', pass: null, text: null, toolCalls: null, finishReason: null, usage: null, costUsd: null, costSource: null,
        latencyMs: roundMs(outcome.latencyMs), timeToFirstTokenMs: null, timeToFirstTextMs: null, queueMs, backoffMs, attempts: outcome.attempts, assertions: [], error,
        prompt: sampleIndex === 0 ? prompt : null,
      }));
      continue;
    }
    const counted = trustReportedCost(result.costUsd, result.usage ? priceUsage(result.usage, trial.pricing) : null);
    const costUsd = counted.costUsd;
    const latencyMs = roundMs(result.latencyMs);
    const toolCalls = result.toolCalls ?? [];
    const view = makeSampleView({ text: result.text, toolCalls, finishReason: result.finishReason, usage: result.usage, costUsd, latencyMs });
    const verdict = await evaluateAssertions(assertions, view);
    records.push(sampleRecord(trial, sampleIndex, {
      status: 'completed',
      pass: verdict.pass,
      text: result.text,
      toolCalls,
      finishReason: result.finishReason,
      usage: result.usage,
      costUsd,
      costSource: counted.costSource,
      latencyMs,
      timeToFirstTokenMs: roundOrNull(result.stream?.timeToFirstTokenMs),
      timeToFirstTextMs: roundOrNull(result.stream?.timeToFirstTextMs),
      queueMs,
      backoffMs,
      attempts: outcome.attempts,
      assertions: verdict.outcomes,
      error: null,
      prompt: sampleIndex === 0 ? prompt : null,
    }));
    if (counted.costFlag !== undefined) records[records.length - 1]!.costFlag = counted.costFlag;
  }
  return records;
}

const roundMs = (ms: number) => Math.round(ms * 10) / 10;
const roundOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : roundMs(ms));

type SampleFields = Omit<SampleRecord, 'schemaVersion' | 'suite' | 'case' | 'model' | 'thinkingLevel' | 'numberResults' | 'repeat' | 'trialId' | 'deliveryMethod' | 'sampleIndex' | 'prompt'> & { prompt: TrialPrompt | null };

/** What the trial sends, as its case rendered it: stored once per trial, on its first sample. */
function promptOf(trial: Trial): TrialPrompt {
  const kase = trial.case;
  return { systemPrompt: kase.systemPrompt ?? null, messages: kase.messages.map((m) => ({ role: m.role, content: m.content })), vars: kase.vars ?? null };
}

/**
 * A record written out field by field, always in this order: one object shape for every record.
 * (Spreading a shared base and adding fields after it made V8 fall back to dictionary-mode objects,
 * some 8 KB each, on the hot path.)
 */
function sampleRecord(trial: Trial, sampleIndex: number, f: SampleFields): SampleRecord {
  return {
    schemaVersion: RESULT_LINE_SCHEMA_VERSION,
    suite: trial.suite,
    case: trial.caseId,
    model: trial.setting.model,
    thinkingLevel: trial.setting.thinkingLevel,
    numberResults: trial.setting.numberResults,
    repeat: trial.repeat,
    trialId: trial.id,
    deliveryMethod: trial.request.deliveryMethod ?? 'sync',
    sampleIndex,
    status: f.status,
    pass: f.pass,
    text: f.text,
    toolCalls: f.toolCalls,
    finishReason: f.finishReason,
    usage: f.usage,
    costUsd: f.costUsd,
    costSource: f.costSource,
    latencyMs: f.latencyMs,
    timeToFirstTokenMs: f.timeToFirstTokenMs,
    timeToFirstTextMs: f.timeToFirstTextMs,
    queueMs: f.queueMs,
    backoffMs: f.backoffMs,
    attempts: f.attempts,
    assertions: f.assertions,
    error: f.error,
    prompt: f.prompt,
  };
}
