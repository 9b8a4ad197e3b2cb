import type { AttemptOutcome, ProviderResult } from '../provider.js';
import { classifyFailure, parseRetryAfter } from './classify-failure.js';
import { readResultItem } from './read-result-item.js';
import { collectErrors, describeError, excerpt } from './runware-error.js';

/** An HTTP answer to a request that carried one task. */
export interface RunwareHttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const MAX_MESSAGE_CHARS = 500;

/**
 * Reads Runware's answer to a one-task request: the results carrying our taskUUID (N results share
 * it), and the failure if fewer than `expected` arrived. Handles `data`, `errors`, the singular
 * `error`, bodies with both, non-JSON bodies and error statuses. Never throws.
 */
export function parseRunwareResponse(
  answer: RunwareHttpAnswer,
  taskUUID: string,
  expected: number,
  options: { nowMs: number; redact: (text: string) => string },
): Omit<AttemptOutcome, 'latencyMs'> {
  const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], options.nowMs);
  // Redact before cutting to length: a cut through the key would leave part of it unredacted.
  const toMessage = (text: string) => options.redact(text).slice(0, MAX_MESSAGE_CHARS);
  const bodyExcerpt = () => excerpt(options.redact(answer.body));
  let body: unknown;
  try {
    body = answer.body.trim() === '' ? undefined : JSON.parse(answer.body);
  } catch {
    body = undefined;
  }
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  const errors = isObject ? collectErrors(body as Record<string, unknown>).filter((e) => e.taskUUID === undefined || e.taskUUID === taskUUID) : [];
  const firstError = errors[0];

  if (answer.status >= 400 || (answer.status >= 200 && answer.status < 300 && !isObject)) {
    if (answer.status < 400) {
      const failure = classifyFailure({ status: answer.status, message: toMessage(`the response body is not a JSON object: ${bodyExcerpt()}`) });
      return { results: [], failure: { ...failure, code: 'MALFORMED_RESPONSE', isRetryable: true } };
    }
    return {
      results: [],
      failure: classifyFailure({
        status: answer.status,
        ...(firstError?.code !== undefined ? { providerCode: firstError.code } : {}),
        message: toMessage(describeError(firstError) ?? `HTTP ${answer.status}${answer.body ? `: ${bodyExcerpt()}` : ''}`),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      }),
    };
  }

  const data = Array.isArray((body as Record<string, unknown>).data) ? ((body as Record<string, unknown>).data as unknown[]) : [];
  const results: ProviderResult[] = [];
  let malformed = 0;
  for (const item of data) {
    if (item === null || typeof item !== 'object' || (item as Record<string, unknown>).taskUUID !== taskUUID) continue;
    const result = readResultItem(item as Record<string, unknown>);
    if (result) results.push(result);
    else malformed++;
  }
  const kept = results.slice(0, expected);
  if (kept.length >= expected) return { results: kept };

  const missing = expected - kept.length;
  if (firstError) {
    const failure = classifyFailure({
      status: answer.status,
      ...(firstError.code !== undefined ? { providerCode: firstError.code } : {}),
      message: toMessage(describeError(firstError) ?? 'the API reported an error'),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    // A retry asks for the missing results only (see executeTrial), so a partial answer keeps its failure's own retryability.
    return { results: kept, failure };
  }
  if (malformed > 0) {
    return { results: kept, failure: { code: 'MALFORMED_RESPONSE', message: `${malformed} result${malformed === 1 ? '' : 's'} had no text or an unreadable shape`, isRetryable: true } };
  }
  return {
    results: kept,
    failure: {
      code: 'MISSING_RESULT',
      message: `asked for ${expected} result${expected === 1 ? '' : 's'}, received ${kept.length}; ${missing} missing`,
      isRetryable: true,
    },
  };
}
