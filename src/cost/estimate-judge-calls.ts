import { JUDGE_SYSTEM_PROMPT, renderJudgeMessage, VERDICT_JSON_SCHEMA } from '../assertions/judge-prompt.js';
import type { ThinkingLevel } from '../core/runware-limits.js';
import type { Trial } from '../plan/trial.js';

/** What grading a plan is expected to cost, apart from the answers. */
export interface JudgeEstimate {
  /** Judge calls: results × judge assertions × verdicts per answer. */
  calls: number;
  /** At typical answer and verdict lengths (below). */
  expectedCostUsd: number;
  /** Every answer at its maxTokens and every verdict at the judge's maxTokens. */
  highCostUsd: number;
}

/** Tokens a typical verdict takes, thinking included, by the judge's level (a rough guide, not learned). */
const VERDICT_TOKENS: Record<ThinkingLevel, number> = { none: 80, low: 400, medium: 900, high: 1700, xhigh: 3200 };
/** Tokens of a typical answer shown to the judge. */
const TYPICAL_ANSWER_TOKENS = 300;
const CHARS_PER_TOKEN = 4;

/**
 * The judge calls a plan will make and what they may cost: every result of a trial whose case has a
 * judge assertion is graded `samples` times. The prompt is counted from the judge prompt with the
 * case's rubric, reference and conversation (four characters a token), the answer at a typical 300
 * tokens (at most the candidate's maxTokens) or, for the high figure, all of them; the verdict at a
 * typical length for the judge's level, or all of the judge's maxTokens. Cache hits are not foreseen:
 * a rerun costs less. Null when the plan has no judge. Pure.
 */
export function estimateJudgeCalls(trials: readonly Trial[]): JudgeEstimate | null {
  let calls = 0;
  let expectedCostUsd = 0;
  let highCostUsd = 0;
  for (const trial of trials) {
    for (const judge of trial.case.assertions) {
      if (judge.type !== 'judge') continue;
      const price = judge.grader.pricing.price;
      const n = trial.setting.numberResults * judge.samples;
      calls += n;
      if (!price) continue;
      const frame = renderJudgeMessage(judge.rubric, judge.reference, { text: '', toolCalls: [], conversation: trial.request.messages });
      const fixedTokens = (JUDGE_SYSTEM_PROMPT.length + frame.length + JSON.stringify(VERDICT_JSON_SCHEMA).length) / CHARS_PER_TOKEN;
      const typicalAnswer = Math.min(TYPICAL_ANSWER_TOKENS, trial.request.maxTokens);
      const verdict = Math.min(VERDICT_TOKENS[judge.grader.thinkingLevel], judge.grader.maxTokens);
      expectedCostUsd += (n * ((fixedTokens + typicalAnswer) * price.input + verdict * price.output)) / 1_000_000;
      highCostUsd += (n * ((fixedTokens + trial.request.maxTokens) * price.input + judge.grader.maxTokens * price.output)) / 1_000_000;
    }
  }
  return calls > 0 ? { calls, expectedCostUsd, highCostUsd } : null;
}
