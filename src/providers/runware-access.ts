import { EvalgateError } from '../core/evalgate-error.js';

/**
 * Runware's endpoint when `RUNWARE_API_URL` is not set. Kept here, not beside the HTTP client, so that
 * commands that only check access (estimate, say) do not load undici.
 */
export const DEFAULT_RUNWARE_API_URL = 'https://api.runware.ai/v1';

/** The only environment variables that change what evalgate does. */
export interface RunwareEnv {
  RUNWARE_API_KEY?: string | undefined;
  RUNWARE_API_URL?: string | undefined;
}

/** What a request to Runware needs: the key, the endpoint, and the endpoint as a record may show it. */
export interface RunwareAccess {
  apiKey: string;
  apiUrl: URL;
  /** `apiUrl` without user, password or query: what summary.json and messages may show. */
  shownUrl: string;
}

/**
 * Reads `RUNWARE_API_KEY` and `RUNWARE_API_URL` (default https://api.runware.ai/v1) once, for every
 * command that talks to Runware. A missing key is MISSING_API_KEY with the caller's own words for what
 * needed it; a URL that is not http(s) is a usage error that never echoes the value (it may carry
 * credentials).
 */
export function resolveRunwareAccess(env: RunwareEnv, whenMissing: { message: string; hint: string }): RunwareAccess {
  const apiKey = env.RUNWARE_API_KEY?.trim();
  if (!apiKey) throw new EvalgateError('MISSING_API_KEY', whenMissing.message, { hint: whenMissing.hint });
  const apiUrl = parseApiUrl(env.RUNWARE_API_URL?.trim() || DEFAULT_RUNWARE_API_URL);
  return { apiKey, apiUrl, shownUrl: withoutCredentials(apiUrl) };
}

function parseApiUrl(value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url;
  } catch {
    throw new EvalgateError('USAGE', 'RUNWARE_API_URL is not an http(s) URL', {
      hint: 'for example https://api.runware.ai/v1, or unset it to use that default',
    });
  }
}

function withoutCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  copy.search = '';
  return copy.href;
}
