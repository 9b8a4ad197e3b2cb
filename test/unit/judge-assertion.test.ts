import { describe, expect, it } from 'vitest';
import { CheckError, type DeferredAssertion } from '../../src/assertions/assertion.js';
import { compileJudgeAssertion } from '../../src/assertions/judge-assertion.js';
import type { JudgeCall, JudgeGateway, JudgeReply } from '../../src/assertions/judge-gateway.js';
import { buildJudgeRequest, JUDGE_SYSTEM_PROMPT, parseVerdict, renderJudgeMessage } from '../../src/assertions/judge-prompt.js';
import type { JudgeGrader, ResolvedJudgeAssertion } from '../../src/config/loaded-suite.js';
import { estimateJudgeCalls } from '../../src/cost/estimate-judge-calls.js';
import { makeCase, makeTrial, makeView } from '../support/builders.js';

const GRADER: JudgeGrader = { model: 'openai-gpt-5-5', air: 'openai:gpt@5.5', thinkingLevel: 'low', maxTokens: 800, pricing: { price: { input: 1, output: 2 }, thinkingBilling: 'separate' } };

/** A judge that answers from a script of replies, one per verdict index, and remembers what it was asked. */
function scriptedJudge(replies: (Partial<JudgeReply> | Error)[]): JudgeGateway & { calls: JudgeCall[] } {
  const calls: JudgeCall[] = [];
  return {
    calls,
    async ask(call) {
      calls.push(call);
      const reply = replies[call.verdictIndex]!;
      if (reply instanceof Error) throw reply;
      return { text: '', finishReason: 'stop', usage: { promptTokens: 100, completionTokens: 20, thinkingTokens: 50, totalTokens: 170 }, costUsd: 0.01, cached: false, ...reply };
    },
  };
}
const verdict = (pass: boolean, score: number, reason = 'why') => ({ text: JSON.stringify({ pass, score, reason }) });

function judge(gateway: JudgeGateway, spec: Partial<ResolvedJudgeAssertion> = {}): DeferredAssertion {
  return compileJudgeAssertion({ type: 'judge', rubric: 'Mentions the refund window.', samples: 1, grader: GRADER, ...spec }, gateway, [{ role: 'user', content: 'Can I get a refund?' }]);
}

describe('the judge request', () => {
  it('asks one JSON verdict at the grader’s model and level, with the rubric, reference, conversation, answer and tool calls', () => {
    const request = buildJudgeRequest({ rubric: 'R', reference: 'within 30 days' }, GRADER, {
      text: 'Yes, "within 30 days".', toolCalls: [{ id: null, name: 'lookup', arguments: { order: 7 } }], conversation: [{ role: 'user', content: 'Refund?' }],
    });
    expect(request).toMatchObject({ model: 'openai:gpt@5.5', thinkingLevel: 'low', maxTokens: 800, numberResults: 1, outputFormat: 'JSON', systemPrompt: JUDGE_SYSTEM_PROMPT });
    expect(request.jsonSchema?.schema).toMatchObject({ required: ['pass', 'score', 'reason'] });
    expect(request.messages).toEqual([{
      role: 'user',
      content: '# Rubric\nR\n\n# Reference answer (what a good answer says; wording may differ)\nwithin 30 days\n\n# Conversation the answer replies to\nuser: Refund?\n\n# Answer to grade (a JSON string)\n"Yes, \\"within 30 days\\"."\n\n# Tool calls the answer made\n- lookup {"order":7}',
    }]);
  });

  it('leaves out the sections it has nothing for', () => {
    expect(renderJudgeMessage('R', undefined, { text: 'hi', toolCalls: [], conversation: [] })).toBe('# Rubric\nR\n\n# Answer to grade (a JSON string)\n"hi"');
  });

  it('reads a verdict, and says what is wrong with one that is not', () => {
    expect(parseVerdict('{"pass": true, "score": 0.9, "reason": "ok"}')).toEqual({ ok: true, verdict: { pass: true, score: 0.9, reason: 'ok' } });
    expect(parseVerdict('yes')).toEqual({ ok: false, problem: 'the judge did not answer JSON' });
    expect(parseVerdict('{"pass": "yes", "score": 1}')).toEqual({ ok: false, problem: 'the verdict has no boolean "pass"' });
    expect(parseVerdict('{"pass": true, "score": 7}')).toMatchObject({ ok: false });
  });
});

describe('judge verdicts', () => {
  it('passes on the verdict’s own pass without a threshold, on score ≥ threshold with one', async () => {
    expect((await judge(scriptedJudge([verdict(true, 0.4)])).check(makeView())).pass).toBe(true);
    expect((await judge(scriptedJudge([verdict(true, 0.4)]), { threshold: 0.7 }).check(makeView())).pass).toBe(false);
    expect((await judge(scriptedJudge([verdict(false, 0.8)]), { threshold: 0.7 }).check(makeView())).pass).toBe(true);
  });

  it('takes the majority of k verdicts, records their agreement and marks a split as unsure', async () => {
    const gateway = scriptedJudge([verdict(true, 0.9), verdict(false, 0.2), verdict(true, 0.8)]);
    const outcome = await judge(gateway, { samples: 3 }).check(makeView());
    expect(gateway.calls.map((c) => c.verdictIndex)).toEqual([0, 1, 2]);
    expect(outcome.pass).toBe(true);
    expect(outcome.judging?.judges[0]).toMatchObject({ pass: true, agreement: 2 / 3, isUnsure: true });
    expect(outcome.judging).toMatchObject({ calls: 3, cachedCalls: 0, isUnsure: true, tokens: { prompt: 300, completion: 60, thinking: 150 } });
    expect(outcome.judging?.costUsd).toBeCloseTo(0.03);
    expect(outcome.message).toContain('pass by 2 of 3 verdicts (agreement 0.67, judge unsure');
  });

  it('fails a tie, and is sure when all agree', async () => {
    const tie = await judge(scriptedJudge([verdict(true, 1), verdict(false, 0)]), { samples: 2 }).check(makeView());
    expect(tie.pass).toBe(false);
    const sure = await judge(scriptedJudge([verdict(false, 0), verdict(false, 0.1), verdict(false, 0.2)]), { samples: 3 }).check(makeView());
    expect(sure.judging?.judges[0]).toMatchObject({ pass: false, agreement: 1, isUnsure: false });
  });

  it('counts a cached verdict as a call but not as spent', async () => {
    const outcome = await judge(scriptedJudge([{ ...verdict(true, 1), cached: true, costUsd: 0 }])).check(makeView());
    expect(outcome.judging).toMatchObject({ calls: 1, cachedCalls: 1, costUsd: 0, tokens: { prompt: 0 } });
    expect(outcome.judging?.judges[0]?.verdicts[0]).toMatchObject({ cached: true, costUsd: 0 });
  });

  it.each([
    ['text that is not JSON', { text: 'Looks good to me.' }, 'the judge did not answer JSON: "Looks good to me."'],
    ['a refusal', { text: '', finishReason: 'content_filter' as const }, 'the judge refused to grade (finishReason content_filter)'],
    ['a verdict cut short', { text: '{"pass": tr', finishReason: 'length' as const }, "the judge did not answer JSON (it ran out of tokens: raise the judge's maxTokens)"],
  ])('errors the sample with JUDGE_ERROR on %s, with what it cost', async (_, reply, message) => {
    const error = await judge(scriptedJudge([reply])).check(makeView()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckError);
    expect((error as CheckError).code).toBe('JUDGE_ERROR');
    expect((error as CheckError).message.startsWith(message)).toBe(true);
    expect((error as CheckError).judging).toMatchObject({ calls: 1, costUsd: 0.01 });
  });

  it('errors the sample when a judge request fails, keeping the cost of the verdicts that came back', async () => {
    const error = (await judge(scriptedJudge([verdict(true, 1), new CheckError('JUDGE_ERROR', "the judge's request failed: SERVER_ERROR: boom")]), { samples: 2 })
      .check(makeView())
      .catch((e: unknown) => e)) as CheckError;
    expect(error.message).toBe("the judge's request failed: SERVER_ERROR: boom");
    expect(error.judging).toMatchObject({ calls: 1, costUsd: 0.01 });
  });
});

describe('estimating judge calls', () => {
  const judged = makeCase({ assertions: [{ type: 'judge', rubric: 'Mentions the refund window.', samples: 3, grader: GRADER }] });

  it('counts every result times the verdicts per answer, and prices them apart', () => {
    const estimate = estimateJudgeCalls([makeTrial({ case: judged, setting: { numberResults: 2 } }), makeTrial({ case: judged })])!;
    expect(estimate.calls).toBe(2 * 3 + 1 * 3);
    expect(estimate.expectedCostUsd).toBeGreaterThan(0);
    expect(estimate.highCostUsd).toBeGreaterThan(estimate.expectedCostUsd);
  });

  it('is null for a plan without judges', () => {
    expect(estimateJudgeCalls([makeTrial()])).toBeNull();
  });
});
