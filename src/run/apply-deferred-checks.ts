import { CheckError, makeSampleView, type DeferredAssertion } from '../assertions/assertion.js';
import type { SampleJudging, SampleRecord } from '../core/sample-record.js';

/**
 * Runs the checks that must be awaited (scripts, judges) on a trial's completed samples, after the
 * pure ones, and folds them into each record: the outcome appended and the verdict updated, or, when
 * a check could not be carried out (CheckError), the sample errored with its code and message (its
 * text, usage and cost kept: the answer was paid for). Samples are checked concurrently.
 */
export async function applyDeferredChecks(records: SampleRecord[], deferred: readonly DeferredAssertion[]): Promise<void> {
  if (deferred.length === 0) return;
  await Promise.all(records.map((record) => checkRecord(record, deferred)));
}

async function checkRecord(record: SampleRecord, deferred: readonly DeferredAssertion[]): Promise<void> {
  if (record.status !== 'completed' || record.text === null) return;
  const view = makeSampleView({
    text: record.text,
    toolCalls: record.toolCalls ?? [],
    finishReason: record.finishReason,
    usage: record.usage,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs ?? 0,
  });
  for (const assertion of deferred) {
    try {
      const { judging, ...outcome } = await assertion.check(view);
      if (judging) addJudging(record, judging);
      record.assertions.push(outcome);
      record.pass = record.pass === true && outcome.pass;
    } catch (error) {
      const checkError = error instanceof CheckError ? error : new CheckError(assertion.type === 'script' ? 'SCRIPT_ERROR' : 'JUDGE_ERROR', String(error));
      if (checkError.judging) addJudging(record, checkError.judging);
      record.status = 'errored';
      record.pass = null;
      record.error = { code: checkError.code, message: checkError.message };
      return;
    }
  }
}

/** Adds one judge assertion's calls to the sample's judging (a sample may have several judges). */
function addJudging(record: SampleRecord, judging: SampleJudging): void {
  const into = record.judge;
  if (!into) {
    record.judge = judging;
    return;
  }
  into.calls += judging.calls;
  into.cachedCalls += judging.cachedCalls;
  into.costUsd += judging.costUsd;
  into.tokens.prompt += judging.tokens.prompt;
  into.tokens.completion += judging.tokens.completion;
  into.tokens.thinking += judging.tokens.thinking;
  into.isUnsure ||= judging.isUnsure;
  into.judges.push(...judging.judges);
}
