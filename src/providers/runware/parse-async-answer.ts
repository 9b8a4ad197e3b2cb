import type { ProviderFailure, ProviderResult } from '../provider.js';
import { classifyFailure, parseRetryAfter } from './classify-failure.js';
import { parseRunwareResponse, type RunwareHttpAnswer } from './parse-runware-response.js';
import { readResultItem } from './read-result-item.js';
import { asObject, collectErrors, describeError, type RunwareError } from './runware-error.js';

/**
 * What one answer about an async task says: the request failed as a whole, or the task's state so far
 * (the results that are in, those that errored, and a task-level error that ends it).
 */
export type AsyncAnswer =
  | { kind: 'failed'; failure: ProviderFailure }
  | { kind: 'state'; results: ProviderResult[]; erroredResults: ProviderFailure[]; taskFailure?: ProviderFailure };

const MAX_MESSAGE_CHARS = 500;

/**
 * Reads the acknowledgement of an async submission or the answer to a getResponse poll. Items of the
 * task carry `status`: `processing`, `success` (with the result's fields) or `error` (with `error:
 * {code, message}`), one per result; an acknowledgement (`{taskType, taskUUID}`) is a result still
 * processing, and an item with text but no status is a result. getResponse lists every result of
 * the task on every poll, its full state (Runware's TS SDK 1.6.8, `src/client.ts`, `executeRest`),
 * so each answer replaces the previous. Never throws.
 */
export function parseAsyncAnswer(answer: RunwareHttpAnswer, taskUUID: string, options: { nowMs: number; redact: (text: string) => string }): AsyncAnswer {
  const toMessage = (text: string) => options.redact(text).slice(0, MAX_MESSAGE_CHARS);
  let body: Record<string, unknown> | undefined;
  try {
    body = asObject(answer.body.trim() === '' ? undefined : JSON.parse(answer.body));
  } catch {
    body = undefined;
  }
  if (answer.status >= 400 || !body) {
    const parsed = parseRunwareResponse(answer, taskUUID, 1, options);
    return { kind: 'failed', failure: parsed.failure! };
  }

  const results: ProviderResult[] = [];
  const erroredResults: ProviderFailure[] = [];
  let items = 0;
  for (const raw of Array.isArray(body.data) ? body.data : []) {
    const item = asObject(raw);
    if (!item || item.taskUUID !== taskUUID) continue;
    items++;
    const status = typeof item.status === 'string' ? item.status : undefined;
    if (status === 'error' || status === 'failed') {
      const error = collectErrors(item)[0];
      erroredResults.push(failureOf(error, answer.status, toMessage));
      continue;
    }
    if (status === 'processing' || status === 'pending') continue;
    const result = readResultItem(item);
    if (result) results.push(result);
  }
  const taskErrors = collectErrors(body).filter((e) => e.taskUUID === undefined || e.taskUUID === taskUUID);
  const taskFailure = taskErrors[0] ? failureOf(taskErrors[0], answer.status, toMessage, parseRetryAfter(answer.headers['retry-after'], options.nowMs)) : undefined;
  // An error about the task with nothing else about it: the request failed (a refused submission, an unknown task).
  if (taskFailure && items === 0) return { kind: 'failed', failure: taskFailure };
  return { kind: 'state', results, erroredResults, ...(taskFailure ? { taskFailure } : {}) };
}

function failureOf(error: RunwareError | undefined, status: number, toMessage: (text: string) => string, retryAfterMs?: number): ProviderFailure {
  return classifyFailure({
    status,
    ...(error?.code !== undefined ? { providerCode: error.code } : {}),
    message: toMessage(describeError(error) ?? 'the API reported an error for this result'),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
