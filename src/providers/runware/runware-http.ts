import { Agent, type Dispatcher } from 'undici';
import type { ProviderFailure, SendOptions } from '../provider.js';
import { DEFAULT_MAX_RESULT_BYTES } from '../../config/config-schema.js';
import { RUNWARE_LIMITS } from '../../core/runware-limits.js';
import type { RunwareHttpAnswer } from './parse-runware-response.js';

/** An HTTP exchange that produced an answer (of any status), or a failure of the transport. */
export type HttpExchange = { ok: true; answer: RunwareHttpAnswer } | { ok: false; failure: ProviderFailure };

/** A response whose body is still arriving (a stream), or a failure of the transport. */
export type HttpOpening =
  | {
      ok: true;
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Dispatcher.ResponseData['body'];
      /** Aborts at the request timeout (or with the run); the body stops with it. */
      signal: AbortSignal;
      /** Restarts the request timeout: a stream calls it on every chunk, so only silence times it out. */
      touch(): void;
      /** Stops the timeout once the body is read (or abandoned). */
      done(): void;
    }
  | { ok: false; failure: ProviderFailure };

/** Where the transport sends requests, and with what credentials. */
export interface RunwareHttpOptions {
  /** Full endpoint URL, e.g. https://api.runware.ai/v1. */
  apiUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged, never written. */
  apiKey: string;
  /** Keep-alive connections to keep open: the run's concurrency. */
  connections: number;
  /** For tests: undici's MockAgent. By default a keep-alive Agent sized to `connections`. */
  dispatcher?: Dispatcher;
  /** Extra headers (the simulator's fault controls, say). */
  headers?: Record<string, string>;
  /**
   * Largest answer read per result, in bytes: a request's answer may be this times the results its
   * tasks ask for. Past it the body is abandoned and the attempt fails with RESPONSE_TOO_LARGE.
   * @default DEFAULT_MAX_RESULT_BYTES
   */
  maxResultBytes?: number;
}

/**
 * The transport to Runware's one endpoint: POSTs a JSON array of tasks over a keep-alive pool and
 * classifies what goes wrong below HTTP (timeouts, resets, an interrupted run). Never throws for
 * what the network does. Knows the secrets it must keep out of messages.
 */
export class RunwareHttp {
  private readonly origin: string;
  private readonly path: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  private readonly redactors: ((text: string) => string)[] = [];
  /** Largest answer read per result, in bytes. */
  readonly maxResultBytes: number;

  constructor(options: RunwareHttpOptions) {
    const url = new URL(options.apiUrl);
    this.origin = url.origin;
    this.path = `${url.pathname}${url.search}` || '/';
    this.secrets = options.apiKey.length > 0 ? [options.apiKey] : [];
    this.maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
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

  /** POSTs `tasks` and reads the whole answer. */
  async postJson(tasks: readonly unknown[], options: SendOptions): Promise<HttpExchange> {
    const opened = await this.open(tasks, options, 'application/json');
    if (!opened.ok) return opened;
    try {
      const body = await readCapped(opened.body, this.maxResultBytes * resultsAskedFor(tasks));
      if (typeof body !== 'string') return { ok: false, failure: body };
      return { ok: true, answer: { status: opened.status, headers: opened.headers, body } };
    } catch (error) {
      return { ok: false, failure: this.classifyTransportError(error, options, opened.signal) };
    } finally {
      opened.done();
    }
  }

  /**
   * POSTs `tasks` and returns as soon as the headers are in; the caller reads (or discards) the body,
   * calling `touch()` on every chunk. The request timeout then counts silence, not the whole stream;
   * `options.streamDeadlineMs`, when given, caps the whole stream.
   */
  async openStream(tasks: readonly unknown[], options: SendOptions): Promise<HttpOpening> {
    return this.open(tasks, options, 'text/event-stream, application/json', { deadlineMs: options.streamDeadlineMs });
  }

  /**
   * The failure a transport error means: the run was interrupted, the attempt ran out of time, or the
   * network failed. `signal` is the one the request ran under (the run's signal and the timeout).
   */
  classifyTransportError(error: unknown, options: SendOptions, signal: AbortSignal): ProviderFailure {
    if (options.signal.aborted) return { code: 'INTERRUPTED', message: 'the run was interrupted before the answer arrived', isRetryable: false };
    if (signal.aborted || isTimeoutError(error)) {
      const reason: unknown = signal.reason;
      const message = reason instanceof DOMException && reason.name === 'TimeoutError' ? reason.message : `no complete answer within ${options.timeoutMs} ms`;
      return { code: 'REQUEST_TIMEOUT', message, isRetryable: true };
    }
    const err = error as NodeJS.ErrnoException;
    const detail = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.name;
    return { code: 'NETWORK_ERROR', message: this.redact(`${detail}: ${err.message}`), isRetryable: true };
  }

  /** Also apply `redactor` to every message (the webhook receiver's, which knows its token). */
  addRedactor(redactor: (text: string) => string): void {
    this.redactors.push(redactor);
  }

  /**
   * Removes the secrets from what the endpoint answered (RunwareProvider.send): as `redact`, but a key
   * too short to be a real one (a test's `k`) is left alone, since it would cut words of every answer.
   */
  redactAnswer(text: string): string {
    return this.secrets.every((secret) => secret.length >= MIN_ANSWER_SECRET_CHARS) ? this.redact(text) : this.redactors.reduce((out, redactor) => redactor(out), text);
  }

  /** Removes the API key and other secrets from any text that might reach a report or the terminal. */
  redact(text: string): string {
    // Every answer passes here (RunwareProvider.send): a text without the secret is returned as it is.
    const withoutKey = this.secrets.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join('[redacted]') : out), text);
    return this.redactors.reduce((out, redactor) => redactor(out), withoutKey);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** `stream`: the timeout counts silence (see `touch`), and `deadlineMs`, when set, caps the whole stream. */
  private async open(tasks: readonly unknown[], options: SendOptions, accept: string, stream?: { deadlineMs: number | undefined }): Promise<HttpOpening> {
    // One controller per attempt, aborted by its timers or by the run's signal, all let go in done():
    // not AbortSignal.timeout() (its 60-second timer and signal outlive every fast request, and
    // AbortSignal.any() holds it weakly, so on a stream it could be collected and never fire), and
    // not AbortSignal.any() (it registers every attempt with the run's signal until GC).
    const deadline = new AbortController();
    const timeoutMessage = stream ? `nothing arrived for ${options.timeoutMs} ms (the stream stalled, or never started)` : `no complete answer within ${options.timeoutMs} ms`;
    const timer = setTimeout(() => deadline.abort(new DOMException(timeoutMessage, 'TimeoutError')), options.timeoutMs);
    timer.unref();
    const capMs = stream?.deadlineMs;
    // Past the largest delay a timer takes, Node would fire it at once instead: such a cap is no cap.
    const cap =
      capMs === undefined || capMs > MAX_TIMER_MS
        ? undefined
        : setTimeout(() => deadline.abort(new DOMException(`the stream was still arriving when the trial's deadline came, ${Math.round(capMs)} ms after this attempt started`, 'TimeoutError')), capMs);
    cap?.unref();
    const interrupt = () => deadline.abort(options.signal.reason);
    if (options.signal.aborted) interrupt();
    else options.signal.addEventListener('abort', interrupt, { once: true });
    const signal = deadline.signal;
    let isDone = false;
    // refresh() restarts the same timer: nothing allocated per chunk.
    const touch = () => void (isDone || signal.aborted || timer.refresh());
    const done = () => {
      isDone = true;
      clearTimeout(timer);
      clearTimeout(cap);
      options.signal.removeEventListener('abort', interrupt);
    };
    try {
      const response = await this.dispatcher.request({
        origin: this.origin,
        path: this.path,
        method: 'POST',
        headers: { ...this.headers, accept },
        body: JSON.stringify(tasks),
        signal,
        // A stream's silence is timed by our own timer, restarted on every chunk: undici's would race it.
        headersTimeout: stream ? 0 : options.timeoutMs,
        bodyTimeout: stream ? 0 : options.timeoutMs,
      });
      return { ok: true, status: response.statusCode, headers: response.headers, body: response.body, signal, touch, done };
    } catch (error) {
      done();
      return { ok: false, failure: this.classifyTransportError(error, options, signal) };
    }
  }
}

/**
 * Reads a whole body as text, or, once it passes `limitBytes`, stops reading, destroys it and returns
 * the failure: an answer that large is not held in memory nor journaled.
 */
export function readCapped(body: Dispatcher.ResponseData['body'], limitBytes: number): Promise<string | ProviderFailure> {
  // Listening to 'data' rather than iterating: an async iterator costs a tick per chunk, and on a
  // loaded machine whole milliseconds per answer.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limitBytes) chunks.push(chunk);
      else if (!body.destroyed) {
        body.destroy();
        resolve(tooLarge(limitBytes));
      }
    });
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    body.once('error', (error) => (bytes > limitBytes ? resolve(tooLarge(limitBytes)) : reject(error)));
  });
}

/** The failure of an answer past its size limit: not retried, since a retry is billed and likely as large. */
export function tooLarge(limitBytes: number): ProviderFailure {
  return {
    code: 'RESPONSE_TOO_LARGE',
    message: `the answer passed ${limitBytes.toLocaleString('en-US')} bytes and was not read further (maxResultBytes in evalconfig.yaml, per result)`,
    isRetryable: false,
  };
}

/** Results a request's tasks may bring back: each task's numberResults; a getResponse poll, all a task may have. */
function resultsAskedFor(tasks: readonly unknown[]): number {
  const count = (task: { taskType?: unknown; numberResults?: unknown }) =>
    task.taskType === 'getResponse' ? RUNWARE_LIMITS.numberResults.max : Math.max(1, Number(task.numberResults) || 1);
  return Math.max(1, tasks.reduce<number>((sum, task) => sum + count(task as Parameters<typeof count>[0]), 0));
}

/** The shortest key redacted from answers: Runware's keys are 32 characters. */
const MIN_ANSWER_SECRET_CHARS = 8;

/** The longest delay setTimeout accepts (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function isTimeoutError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}
