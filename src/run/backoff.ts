import type { RetryPolicy } from '../config/config-schema.js';

/**
 * How long to wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed: exponential
 * backoff with full jitter (a uniform draw up to `base × 2^(attempt−1)`, capped at `maxDelayMs`), and at
 * least the server's `Retry-After` when it sent one (capped at `maxRetryAfterMs`).
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}
