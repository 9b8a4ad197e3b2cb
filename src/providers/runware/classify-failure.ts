import type { SampleErrorCode } from '../../core/sample-record.js';
import type { ProviderFailure } from '../provider.js';
import { classifyProviderCode } from './classify-provider-code.js';

type Class = { code: SampleErrorCode; isRetryable: boolean };

function classByStatus(status: number): Class {
  switch (status) {
    case 400:
      return { code: 'INVALID_REQUEST', isRetryable: false };
    case 401:
      return { code: 'INVALID_API_KEY', isRetryable: false };
    case 402:
      return { code: 'INSUFFICIENT_CREDITS', isRetryable: false };
    case 403:
      return { code: 'FORBIDDEN', isRetryable: false };
    case 404:
      return { code: 'NOT_FOUND', isRetryable: false };
    case 408:
      return { code: 'REQUEST_TIMEOUT', isRetryable: true };
    case 429:
      return { code: 'RATE_LIMITED', isRetryable: true };
    case 503:
      return { code: 'SERVICE_UNAVAILABLE', isRetryable: true };
    case 504:
      return { code: 'QUEUE_TIMEOUT', isRetryable: true };
    default:
      if (status >= 500) return { code: 'SERVER_ERROR', isRetryable: true };
      if (status >= 400) return { code: 'INVALID_REQUEST', isRetryable: false };
      return { code: 'UNKNOWN_ERROR', isRetryable: false };
  }
}

/** Statuses the official SDKs retry: 408, 429 and 5xx. 400/401/402/403 never are: they fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Classifies a failure from the HTTP status and Runware's own error code. The status decides
 * retryability whenever it is an error status; on a 200 with an `errors` body (a getResponse error
 * item, a stream's error event), the code decides, as Runware's TS SDK does (classify-provider-code.ts).
 * The code is the provider code's class when that agrees with the retry decision, else the status's;
 * a code nobody knows is `UNKNOWN_ERROR`, not retried, with the code itself kept in `providerCode`.
 */
export function classifyFailure(input: { status: number; providerCode?: string; message: string; retryAfterMs?: number }): ProviderFailure {
  const byCode = input.providerCode !== undefined ? classifyProviderCode(input.providerCode) : undefined;
  const byStatus = classByStatus(input.status);
  const isHttpError = input.status >= 400;
  const isRetryable = isHttpError ? isRetryableStatus(input.status) : (byCode?.isRetryable ?? false);
  // The provider's code is more precise than the status, but only where the two agree on retrying:
  // a 400 carrying `serverError` is an invalid request, not a server error we refused to retry.
  const code = byCode && (!isHttpError || byCode.isRetryable === isRetryable) ? byCode.code : byStatus.code;
  return {
    code,
    message: input.message,
    isRetryable,
    ...(isHttpError ? { httpStatus: input.status } : {}),
    ...(input.providerCode !== undefined ? { providerCode: input.providerCode } : {}),
    ...(input.retryAfterMs !== undefined ? { retryAfterMs: input.retryAfterMs } : {}),
  };
}

/** How each of the three HTTP-date forms (IMF-fixdate, RFC 850, asctime) begins. */
const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date. Undefined when absent or
 * unreadable (Runware has not confirmed it sends one; we honour it when it does).
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  // Date.parse reads almost anything ("-1", "foo 1") as some date; an HTTP date opens with a day name.
  if (!HTTP_DATE_START.test(raw.trim())) return undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
