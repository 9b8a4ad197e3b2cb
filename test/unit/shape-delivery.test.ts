import { describe, expect, it } from 'vitest';
import { FaultsSchema } from '../../src/config/simulator-faults.js';
import type { RequestAnswer } from '../../src/simulator/answer-tasks.js';
import { shapeDelivery } from '../../src/simulator/shape-delivery.js';

function answerOf(results: number): RequestAnswer {
  const result = { text: 'ok', finishReason: 'stop' as const, usage: { promptTokens: 1, completionTokens: 1, thinkingTokens: 0, totalTokens: 2 }, cost: 0.001, isCorrect: true };
  return {
    answers: [{
      taskUUID: 't', includeCost: true, includeUsage: true, deliveryMethod: 'sync', latencyMs: 0, contentKey: 'k', occurrence: 0,
      entry: { taskUUID: 't', model: 'openai:gpt@5.5', thinkingLevel: 'low', numberResults: results, messages: [], scenario: 's', results: Array.from({ length: results }, () => result) },
    }],
    errors: [],
    latencyMs: 0,
    faultDraws: [0, 0, 0],
  };
}
const only = (kind: string, extra: Record<string, unknown> = {}) => FaultsSchema.parse({ [kind]: 1, ...extra });

describe('shapeDelivery', () => {
  it('answers normally without faults', () => {
    const d = shapeDelivery(answerOf(2), FaultsSchema.parse({}));
    expect(d).toMatchObject({ kind: 'json', status: 200 });
    expect(d.kind === 'json' && (d.body as { data: unknown[] }).data).toHaveLength(2);
  });

  it.each([
    ['rateLimited', 429, 'providerRateLimitExceeded'],
    ['serverError', 500, 'serverError'],
    ['unavailable', 503, 'modelUnavailable'],
  ])('answers %s with HTTP %i and code %s, delivering nothing', (kind, status, code) => {
    const d = shapeDelivery(answerOf(1), only(kind));
    expect(d).toMatchObject({ kind: 'json', status, delivered: [], body: { errors: [{ code }] } });
  });

  it('sends Retry-After with the configured share of 429s', () => {
    expect(shapeDelivery(answerOf(1), only('rateLimited', { retryAfterShare: 1, retryAfterSeconds: 3 }))).toMatchObject({ headers: { 'retry-after': '3' } });
    expect(shapeDelivery(answerOf(1), only('rateLimited', { retryAfterShare: 0 }))).not.toHaveProperty('headers');
  });

  it('puts a timeoutProvider error in a 200 body', () => {
    expect(shapeDelivery(answerOf(1), only('providerTimeout'))).toMatchObject({ status: 200, body: { errors: [{ code: 'timeoutProvider', taskUUID: 't' }] } });
  });

  it('cuts a JSON body short, or sends one that is not JSON', () => {
    const truncated = shapeDelivery(answerOf(2), only('truncated'));
    expect(truncated.kind === 'raw' && (() => JSON.parse(truncated.text))).toThrow();
    expect(shapeDelivery(answerOf(1), only('malformed'))).toMatchObject({ kind: 'raw', contentType: 'text/html' });
  });

  it('delivers half the results and an error for the rest', () => {
    const d = shapeDelivery(answerOf(4), only('mixed'));
    expect(d.kind === 'json' && d.delivered[0]!.results).toHaveLength(2);
    expect(d).toMatchObject({ body: { errors: [{ code: 'timeoutProvider' }] } });
  });

  it('delivers one result too many or, when there are several, too few', () => {
    const more = shapeDelivery(answerOf(1), only('wrongCount'));
    expect(more.kind === 'json' && more.delivered[0]!.results).toHaveLength(2);
    const fewer = shapeDelivery({ ...answerOf(3), faultDraws: [0, 0, 0.9] }, only('wrongCount'));
    expect(fewer.kind === 'json' && fewer.delivered[0]!.results).toHaveLength(2);
  });

  it('hangs or resets the connection', () => {
    expect(shapeDelivery(answerOf(1), only('hang'))).toEqual({ kind: 'hang', fault: 'hang' });
    expect(shapeDelivery(answerOf(1), only('reset'))).toEqual({ kind: 'reset', fault: 'reset' });
  });

  it('lays fault shares end to end: a draw past all of them answers normally', () => {
    const faults = FaultsSchema.parse({ serverError: 0.1, hang: 0.1 });
    expect(shapeDelivery({ ...answerOf(1), faultDraws: [0.05] }, faults)).toMatchObject({ fault: 'serverError' });
    expect(shapeDelivery({ ...answerOf(1), faultDraws: [0.15] }, faults)).toMatchObject({ fault: 'hang' });
    expect(shapeDelivery({ ...answerOf(1), faultDraws: [0.25] }, faults)).toMatchObject({ status: 200 });
  });

  it('refuses fault shares that add up to more than 1', () => {
    expect(FaultsSchema.safeParse({ serverError: 0.6, hang: 0.6 }).success).toBe(false);
  });
});
