import { toWireItem, type AnsweredTask, type RequestAnswer } from './answer-tasks.js';
import type { Faults } from '../config/simulator-faults.js';
import type { FaultKind } from '../config/simulator-faults.js';
import { drawFault } from './faults.js';
import type { StreamPlan } from './plan-stream.js';

/** A fault that shaped an answer: a request fault, or one drawn per stream or result. */
export type DeliveredFault = FaultKind | NonNullable<StreamPlan['fault']>;

/** What the simulator sends back for one request: a JSON answer, raw bytes, silence, or a reset. */
export type Delivery =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string>; delivered: AnsweredTask[]; fault?: FaultKind }
  | { kind: 'raw'; status: number; contentType: string; text: string; fault: FaultKind }
  | { kind: 'stream'; plan: StreamPlan; delivered: AnsweredTask[]; fault?: DeliveredFault }
  | { kind: 'hang'; fault: 'hang' }
  | { kind: 'reset'; fault: 'reset' };

/**
 * Turns the simulated answers into what goes on the wire, with at most one fault drawn for the
 * request. Pure: the draws come with the answer. `delivered` lists the results a client actually
 * receives, which is what tests count against.
 */
export function shapeDelivery(answer: RequestAnswer, faults: Faults): Delivery {
  const { answers, errors } = answer;
  if (answers.length === 0) return { kind: 'json', status: 400, body: { errors }, delivered: [] };
  const [draw = 1, retryAfterDraw = 1, countDraw = 1] = answer.faultDraws;
  const fault = drawFault(faults, draw);
  const full = { data: answers.flatMap((a) => a.entry.results.map((r) => toWireItem(a, r))), ...(errors.length ? { errors } : {}) };
  const error = (status: number, code: string, message: string, headers?: Record<string, string>): Delivery => ({
    kind: 'json', status, body: { errors: [{ code, message }] }, ...(headers ? { headers } : {}), delivered: [], fault: fault!,
  });

  switch (fault) {
    case undefined:
      return { kind: 'json', status: 200, body: full, delivered: answers.map((a) => a.entry) };
    case 'rateLimited':
      return error(429, 'providerRateLimitExceeded', 'Too many requests in the queue; try again later.',
        retryAfterDraw < faults.retryAfterShare ? { 'retry-after': String(faults.retryAfterSeconds) } : undefined);
    case 'serverError':
      return error(500, 'serverError', 'An unexpected error occurred.');
    case 'unavailable':
      return error(503, 'modelUnavailable', 'The model is temporarily unavailable.');
    case 'gatewayTimeout':
      // A gateway's 504 carries no Runware code: the status alone says what happened.
      return { kind: 'json', status: 504, body: { errors: [{ message: 'Queue wait exceeded.' }] }, delivered: [], fault };
    case 'providerTimeout':
      return {
        kind: 'json', status: 200, fault, delivered: [],
        body: { errors: answers.map((a) => ({ code: 'timeoutProvider', message: 'The provider timed out.', taskType: 'textInference', taskUUID: a.taskUUID })) },
      };
    case 'hang':
      return { kind: 'hang', fault };
    case 'reset':
      return { kind: 'reset', fault };
    case 'malformed':
      return { kind: 'raw', status: 200, contentType: 'text/html', text: '<html><body><h1>502 Bad Gateway</h1></body></html>', fault };
    case 'truncated': {
      const text = JSON.stringify(full);
      return { kind: 'raw', status: 200, contentType: 'application/json', text: text.slice(0, Math.max(1, Math.floor(text.length / 2))), fault };
    }
    case 'mixed': {
      // Half of each task's results arrive; the rest time out.
      const kept = answers.map((a) => ({ ...a.entry, results: a.entry.results.slice(0, Math.floor(a.entry.results.length / 2)) }));
      return {
        kind: 'json', status: 200, fault, delivered: kept,
        body: {
          data: answers.flatMap((a, i) => kept[i]!.results.map((r) => toWireItem(a, r))),
          errors: answers.map((a) => ({ code: 'timeoutProvider', message: 'Some results timed out.', taskType: 'textInference', taskUUID: a.taskUUID })),
        },
      };
    }
    case 'wrongCount': {
      // One result too many (a duplicate) or, when there are several, one too few.
      const isExtra = countDraw < 0.5 || answers.every((a) => a.entry.results.length < 2);
      const shaped = answers.map((a) => ({
        ...a.entry,
        results: isExtra ? [...a.entry.results, a.entry.results[a.entry.results.length - 1]!] : a.entry.results.slice(0, -1),
      }));
      return { kind: 'json', status: 200, fault, delivered: shaped, body: { data: answers.flatMap((a, i) => shaped[i]!.results.map((r) => toWireItem(a, r))) } };
    }
  }
}
