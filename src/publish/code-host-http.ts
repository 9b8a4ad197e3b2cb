import { request } from 'undici';
import { EvalgateError, ExitCode } from '../core/evalgate-error.js';

/** Largest response body read from a code host's API (a page of comments). @default 8 MiB */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** A JSON request to a code host's REST API (GitHub, GitLab), with its credentials in `headers`. */
export interface CodeHostRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** The token in `headers`: removed from anything that could reach a message. */
  secret: string;
}

/**
 * Sends one request and returns its JSON body. A refused request is an infrastructure error (exit 3)
 * that names the method, the URL's path and the status, and the host's own message with the token cut
 * out; the token is never printed.
 */
export async function sendCodeHostRequest(call: CodeHostRequest): Promise<unknown> {
  const redact = (text: string) => (call.secret ? text.split(call.secret).join('***') : text);
  const where = `${call.method} ${new URL(call.url).pathname}`;
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(call.url, {
      method: call.method,
      headers: { accept: 'application/json', 'user-agent': 'evalgate', ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}), ...call.headers },
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
  } catch (error) {
    throw new EvalgateError('INFRASTRUCTURE', `${where} failed: ${redact((error as Error).message)}`, { exitCode: ExitCode.infrastructure, hint: 'check the API URL and the network' });
  }
  const text = await readCapped(response.body);
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw new EvalgateError('INFRASTRUCTURE', `${where} answered ${response.statusCode}: ${redact(hostMessage(text))}`, {
      exitCode: ExitCode.infrastructure,
      hint: statusHint(response.statusCode),
    });
  }
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    throw new EvalgateError('INFRASTRUCTURE', `${where} answered ${response.statusCode} with a body that is not JSON`, { exitCode: ExitCode.infrastructure });
  }
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw new EvalgateError('INFRASTRUCTURE', `a response of the code host's API is larger than ${MAX_RESPONSE_BYTES} bytes`, { exitCode: ExitCode.infrastructure });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `message` of a GitHub or GitLab error body, else the first 200 characters of the body. */
function hostMessage(text: string): string {
  try {
    const value = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = value.message ?? value.error;
    if (message !== undefined) return (typeof message === 'string' ? message : JSON.stringify(message)).slice(0, 300);
  } catch {
    // not JSON: the body itself
  }
  return text.slice(0, 200).replace(/\s+/g, ' ');
}

function statusHint(status: number): string {
  if (status === 401) return 'the token was refused: check that it is set and not expired';
  if (status === 403 || status === 404) {
    return 'the token may not write to this pull request or merge request (GitHub: `permissions: pull-requests: write`; a fork\'s pull request gets a read-only token; GitLab: a token with the api scope)';
  }
  return 'the comment was not posted; the run\'s verdict is unchanged';
}
