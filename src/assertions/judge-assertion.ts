import type { ResolvedJudgeAssertion } from '../config/loaded-suite.js';
import type { Message } from '../core/runware-limits.js';
import type { JudgeAssertionRecord, JudgeVerdictRecord, SampleJudging } from '../core/sample-record.js';
import { CheckError, quoteText, sanitizeDetail, type DeferredAssertion } from './assertion.js';
import type { JudgeGateway, JudgeReply } from './judge-gateway.js';
import { buildJudgeRequest, JUDGE_PROMPT_VERSION, parseVerdict, rubricHash } from './judge-prompt.js';

/**
 * `judge`: asks the grader for `samples` verdicts on the sample's visible text and tool calls, and
 * passes on their majority (a tie fails). Each verdict passes by its own `pass`, or by `score ≥
 * threshold` when the assertion has a threshold. A verdict that is not one (no answer, not JSON,
 * refused) errors the sample with JUDGE_ERROR; what the calls cost is recorded either way.
 */
export function compileJudgeAssertion(spec: ResolvedJudgeAssertion, gateway: JudgeGateway, conversation: readonly Message[]): DeferredAssertion {
  const hash = rubricHash(spec.rubric, spec.reference);
  return {
    type: 'judge',
    isDeferred: true,
    async check(sample) {
      const request = buildJudgeRequest(spec, spec.grader, { text: sample.text, toolCalls: sample.toolCalls, conversation });
      const judging: SampleJudging = { calls: 0, cachedCalls: 0, costUsd: 0, tokens: { prompt: 0, completion: 0, thinking: 0 }, isUnsure: false, judges: [] };
      const settled = await Promise.allSettled(Array.from({ length: spec.samples }, (_, verdictIndex) => gateway.ask({ request, grader: spec.grader, verdictIndex })));
      const replies = settled.filter((s): s is PromiseFulfilledResult<JudgeReply> => s.status === 'fulfilled').map((s) => s.value);
      for (const reply of replies) count(judging, reply);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw withJudging(failed.reason, judging);

      const verdicts: JudgeVerdictRecord[] = [];
      for (const reply of replies) {
        if (reply.finishReason === 'content_filter') throw new CheckError('JUDGE_ERROR', 'the judge refused to grade (finishReason content_filter)', judging);
        const parsed = parseVerdict(reply.text);
        if (!parsed.ok) {
          const hint = reply.finishReason === 'length' ? ' (it ran out of tokens: raise the judge\'s maxTokens)' : '';
          throw new CheckError('JUDGE_ERROR', `${parsed.problem}${hint}: ${quoteText(reply.text, 60)}`, judging);
        }
        verdicts.push({ ...parsed.verdict, reason: sanitizeDetail(parsed.verdict.reason, 300), cached: reply.cached, costUsd: reply.costUsd });
      }
      const passes = verdicts.filter((v) => (spec.threshold !== undefined ? v.score >= spec.threshold : v.pass)).length;
      const pass = passes * 2 > verdicts.length;
      const agreement = Math.max(passes, verdicts.length - passes) / verdicts.length;
      const isUnsure = passes > 0 && passes < verdicts.length;
      const record: JudgeAssertionRecord = {
        model: spec.grader.model, thinkingLevel: spec.grader.thinkingLevel, promptVersion: JUDGE_PROMPT_VERSION, rubricHash: hash, pass, agreement, isUnsure, verdicts,
      };
      judging.judges.push(record);
      judging.isUnsure = isUnsure;
      return { type: 'judge', pass, message: describe(spec, record), judging };
    },
  };
}

function count(judging: SampleJudging, reply: JudgeReply): void {
  judging.calls++;
  if (reply.cached) judging.cachedCalls++;
  else {
    judging.costUsd += reply.costUsd ?? 0;
    judging.tokens.prompt += reply.usage?.promptTokens ?? 0;
    judging.tokens.completion += reply.usage?.completionTokens ?? 0;
    judging.tokens.thinking += reply.usage?.thinkingTokens ?? 0;
  }
}

function withJudging(reason: unknown, judging: SampleJudging): CheckError {
  if (reason instanceof CheckError) return new CheckError(reason.code, reason.message, judging);
  return new CheckError('JUDGE_ERROR', sanitizeDetail(reason instanceof Error ? reason.message : String(reason)), judging);
}

function describe(spec: ResolvedJudgeAssertion, record: JudgeAssertionRecord): string {
  const by = `${spec.grader.model} ${spec.grader.thinkingLevel}`;
  const rule = spec.threshold !== undefined ? `score ≥ ${spec.threshold}` : 'its pass';
  const first = record.verdicts[0]!;
  const cached = record.verdicts.every((v) => v.cached) ? ', cached' : '';
  if (record.verdicts.length === 1) {
    return `judge (${by}${cached}): ${record.pass ? 'pass' : 'fail'}, score ${first.score} (by ${rule}): ${quoteText(first.reason, 160)}`;
  }
  const majority = Math.round(record.agreement * record.verdicts.length);
  const unsure = record.isUnsure ? ', judge unsure' : '';
  return `judge (${by}${cached}): ${record.pass ? 'pass' : 'fail'} by ${majority} of ${record.verdicts.length} verdicts (agreement ${record.agreement.toFixed(2)}${unsure}, by ${rule}): ${quoteText(first.reason, 120)}`;
}
