import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher } from 'undici';
import type { InferenceRequest } from '../../plan/trial.js';
import type { AttemptOutcome, Provider, SendOptions } from '../provider.js';
import { parseRunwareResponse } from './parse-runware-response.js';
import { toRunwareTask } from './runware-task.js';

/** Runware's endpoint when `RUNWARE_API_URL` is not set. */
export const DEFAULT_RUNWARE_API_URL = 'https://api.runware.ai/v1';

export interface RunwareProviderOptions {
  /** Full endpoint URL, e.g. https://api.runware.ai/v1. */
  apiUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged, never written. */
  apiKey: string;
  /** Keep-alive connections to keep open: the run's concurrency. */
  connections: number;
  /** Name shown in reports (`runware`, or `simulator` when it points at the built-in one). */
  name?: string;
  /** For tests: undici's MockAgent. By default a keep-alive Agent sized to `connections`. */
  dispatcher?: Dispatcher;
  /** Extra headers (the simulator's fault controls, say). */
  headers?: Record<string, string>;
}

/**
 * The real Runware client: one HTTP POST per attempt carrying one textInference task, over a
 * keep-alive pool. It classifies every failure and never throws for what the network or API does.
 */
export class RunwareProvider implements Provider {
  readonly name: string;
  private readonly origin: string;
  private readonly path: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly headers: Record<string, string>;
  private readonly apiKey: string;

  constructor(options: RunwareProviderOptions) {
    const url = new URL(options.apiUrl);
    this.origin = url.origin;
    this.path = `${url.pathname}${url.search}` || '/';
    this.name = options.name ?? 'runware';
    this.apiKey = options.apiKey;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? new Agent({ connections: options.connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${options.apiKey}`,
      'user-agent': 'evalgate',
      ...options.headers,
    };
  }

  async send(request: InferenceRequest, options: SendOptions): Promise<AttemptOutcome> {
    const taskUUID = randomUUID();
    const body = JSON.stringify([toRunwareTask(request, taskUUID)]);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([options.signal, timeout]);
    const started = performance.now();
    try {
      const response = await this.dispatcher.request({
        origin: this.origin,
        path: this.path,
        method: 'POST',
        headers: this.headers,
        body,
        signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const text = await response.body.text();
      const latencyMs = performance.now() - started;
      const parsed = parseRunwareResponse(
        { status: response.statusCode, headers: response.headers, body: text },
        taskUUID,
        request.numberResults,
        { nowMs: Date.now(), redact: (t) => this.redact(t) },
      );
      return { ...parsed, latencyMs };
    } catch (error) {
      const latencyMs = performance.now() - started;
      if (options.signal.aborted) {
        return { results: [], latencyMs, failure: { code: 'INTERRUPTED', message: 'the run was interrupted before the answer arrived', isRetryable: false } };
      }
      if (timeout.aborted || isTimeoutError(error)) {
        return { results: [], latencyMs, failure: { code: 'REQUEST_TIMEOUT', message: `no complete answer within ${options.timeoutMs} ms`, isRetryable: true } };
      }
      const err = error as NodeJS.ErrnoException;
      const detail = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.name;
      return { results: [], latencyMs, failure: { code: 'NETWORK_ERROR', message: this.redact(`${detail}: ${err.message}`), isRetryable: true } };
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Removes the API key from any text that might reach a report or the terminal. */
  private redact(text: string): string {
    return this.apiKey.length > 0 ? text.split(this.apiKey).join('[redacted]') : text;
  }
}

function isTimeoutError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}
