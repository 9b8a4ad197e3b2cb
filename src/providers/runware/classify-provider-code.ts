import type { SampleErrorCode } from '../../core/sample-record.js';

/** What a Runware error code means for us: the sample's code, and whether trying again may succeed. */
export interface ProviderCodeClass {
  code: SampleErrorCode;
  isRetryable: boolean;
}

// The sets and the order of the tests below follow Runware's TypeScript SDK (`Runware/runware-typescript`
// 1.6.8, `src/errors.ts`: `deriveCode` and `isRetryable`), so a code is retried exactly when the SDK
// would retry it; the SDK's categories are mapped onto evalgate's closed set of sample error codes.
const SAFETY = new Set([
  'contentPolicyViolation', 'providerContentPolicyViolation', 'sensitiveContentDetected', 'unsafeContentDetected',
  'nsfwContentDetected', 'promptBlocked', 'imageBlocked', 'moderationFailed',
]);
const FORBIDDEN = new Set(['forbidden', 'permissionDenied', 'insufficientPermissions', 'accountSuspended', 'accountDisabled', 'organizationSuspended', 'organizationDisabled', 'workspaceSuspended', 'workspaceDisabled']);
const AUTH = new Set([
  ...FORBIDDEN, 'unauthorized', 'authenticationFailed', 'authFailed', 'authTimeout', 'invalidAuthentication', 'invalidCredentials',
  'missingAuthentication', 'tokenExpired', 'tokenInvalid', 'tokenMissing', 'tokenRevoked',
]);
const SERVER = new Set(['internalServerError', 'serviceUnavailable', 'serverUnavailable', 'standardError', 'unknownError', 'undefinedError', 'defaultError', 'unrecognizedResponse']);
const NOT_FOUND = new Set(['taskCancelled', 'taskFailedOrNotFound', 'unknownModel']);
const PROVIDER = new Set(['inferenceError', 'processingFailed', 'taskFailed', 'downloadFailed', 'uploadFailed', 'noAvailableServer', 'modelUnavailable', 'modelDisabled', 'modelNotReady']);
const VALIDATION_PREFIXES = ['invalid', 'missing', 'conflict', 'duplicate', 'unsupported', 'value', 'array', 'max'];
const VALIDATION = new Set(['unknownParameter', 'incompatibleParameters', 'mismatchProviderSettingsProvider', 'unknownProviderSettingsProvider', 'validationFailed']);
/** Codes that shared/runware-api.md lists as seen from the API but the SDK's tables do not name. */
const SEEN_BUT_NOT_IN_SDK: Readonly<Record<string, ProviderCodeClass>> = {
  serverError: { code: 'SERVER_ERROR', isRetryable: true },
  // A provider timeout; the SDK's `*Timeout*` test is case-sensitive and misses this spelling.
  timeoutProvider: { code: 'PROVIDER_TIMEOUT', isRetryable: true },
};

/**
 * Classifies one of Runware's error codes (`errors[].code`, a getResponse item's `error.code`, a
 * stream's error event) as the TS SDK does. `undefined` for a code neither it nor we know: the caller
 * records such a code verbatim (`providerCode`) as `UNKNOWN_ERROR`, not retried.
 */
export function classifyProviderCode(raw: string): ProviderCodeClass | undefined {
  const known = SEEN_BUT_NOT_IN_SDK[raw];
  if (known) return known;
  if (raw.includes('Credits') || raw.includes('Quota') || raw.includes('Balance') || raw === 'quotaExceeded' || raw === 'paymentRequired') {
    return { code: 'INSUFFICIENT_CREDITS', isRetryable: false };
  }
  if (raw.includes('RateLimit') || raw === 'rateLimitExceeded') return { code: 'RATE_LIMITED', isRetryable: true };
  if (SAFETY.has(raw)) return { code: 'CONTENT_POLICY', isRetryable: false };
  if (AUTH.has(raw) || raw.includes('ApiKey')) return { code: FORBIDDEN.has(raw) ? 'FORBIDDEN' : 'INVALID_API_KEY', isRetryable: false };
  if (raw.includes('Timeout') || raw === 'timeout') return { code: 'PROVIDER_TIMEOUT', isRetryable: true };
  if (NOT_FOUND.has(raw) || raw.endsWith('NotFound') || raw.endsWith('Expired')) return { code: 'NOT_FOUND', isRetryable: false };
  if (SERVER.has(raw)) return { code: raw === 'serviceUnavailable' || raw === 'serverUnavailable' ? 'SERVICE_UNAVAILABLE' : 'SERVER_ERROR', isRetryable: true };
  if (PROVIDER.has(raw) || raw.startsWith('provider')) return { code: 'PROVIDER_ERROR', isRetryable: true };
  if (VALIDATION.has(raw) || VALIDATION_PREFIXES.some((prefix) => raw.startsWith(prefix))) return { code: 'INVALID_REQUEST', isRetryable: false };
  return undefined;
}
