import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { PollingSchema, type PollingPolicy } from '../../config/config-schema.js';
import type { InferenceRequest } from '../../plan/trial.js';
import type { AttemptOutcome, Provider, ProviderResult, SendOptions } from '../provider.js';
import { systemProviderClock, type ProviderClock } from '../provider-clock.js';
import { parseRunwareResponse } from './parse-runware-response.js';
import { RunwareHttp } from './runware-http.js';
import { toRunwareTask } from './runware-task.js';
import type { WebhookReceiver } from './webhook-receiver.js';
import { sendAsync, type WebhookDelivery } from './send-async.js';
import { sendStream } from './send-stream.js';
import { TaskBatcher } from './task-batcher.js';

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
  /** How async results are awaited. @default polling defaults of evalconfig.yaml */
  polling?: PollingPolicy;
  /** For tests: time for polling waits. @default the system clock */
  clock?: ProviderClock;
  /** Tasks per HTTP request: sync tasks and async submissions sent together go in one request. @default 1 */
  batchSize?: number;
  /** Largest answer read per result, in bytes (see RunwareHttpOptions). @default DEFAULT_MAX_RESULT_BYTES */
  maxResultBytes?: number;
  /** `--webhook-listen`: async results are POSTed to this receiver; polling covers what is late. */
  webhook?: { receiver: Pick<WebhookReceiver, 'url' | 'inbox' | 'redact'>; fallbackAfterMs: number };
}

/**
 * The real Runware client: one attempt per `send`, over a keep-alive pool. Sync: one POST carrying the
 * textInference task (with others sent at the same moment, up to `batchSize`; see TaskBatcher). Async: a submission, then getResponse polls (see sendAsync). Stream: one
 * server-sent event stream per result (see sendStream). It classifies
 * every failure and never throws for what the network or API does.
 */
export class RunwareProvider implements Provider {
  readonly name: string;
  private readonly http: RunwareHttp;
  private readonly polling: PollingPolicy;
  private readonly clock: ProviderClock;
  private readonly webhook: WebhookDelivery | undefined;
  private readonly batcher: TaskBatcher;

  constructor(options: RunwareProviderOptions) {
    this.name = options.name ?? 'runware';
    this.http = new RunwareHttp(options);
    this.polling = options.polling ?? PollingSchema.parse({});
    this.clock = options.clock ?? systemProviderClock;
    this.batcher = new TaskBatcher(this.http, options.batchSize ?? 1);
    if (options.webhook) {
      const { receiver, fallbackAfterMs } = options.webhook;
      this.webhook = { url: receiver.url, inbox: receiver.inbox, fallbackAfterMs };
      // The webhook URL carries the run's token: keep it out of every message, as the API key is.
      this.http.addRedactor((text) => receiver.redact(text));
    }
  }

  async send(request: InferenceRequest, options: SendOptions): Promise<AttemptOutcome> {
    const outcome = await this.sendOnce(request, options);
    // What the endpoint answered becomes results.jsonl, every report and a PR comment: an endpoint that
    // echoes the key (or the webhook's token) back in an answer must not put it there.
    const results = outcome.results.map((result) => withoutSecrets(result, (text) => this.http.redactAnswer(text)));
    return results.every((result, i) => result === outcome.results[i]) ? outcome : { ...outcome, results };
  }

  private sendOnce(request: InferenceRequest, options: SendOptions): Promise<AttemptOutcome> {
    switch (request.deliveryMethod) {
      case undefined:
        return this.sendSync(request, options);
      case 'async':
        return sendAsync(request, options, {
          http: this.http,
          submit: (task, opts) => this.batcher.submit(task, opts),
          clock: this.clock,
          polling: this.polling,
          ...(this.webhook ? { webhook: this.webhook } : {}),
        });
      case 'stream':
        return sendStream(request, options, { http: this.http, clock: this.clock });
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async sendSync(request: InferenceRequest, options: SendOptions): Promise<AttemptOutcome> {
    const taskUUID = randomUUID();
    const started = performance.now();
    const exchange = await this.batcher.submit(toRunwareTask(request, taskUUID), options);
    const latencyMs = performance.now() - started;
    if (!exchange.ok) return { results: [], failure: exchange.failure, latencyMs };
    const parsed = parseRunwareResponse(exchange.answer, taskUUID, request.numberResults, { nowMs: Date.now(), redact: (t) => this.http.redact(t) });
    return { ...parsed, latencyMs };
  }
}

/** A result with every secret replaced in what the model (or the endpoint) wrote: text, reasoning and tool calls. */
function withoutSecrets(result: ProviderResult, redact: (text: string) => string): ProviderResult {
  const text = redact(result.text);
  const reasoning = result.reasoning === undefined ? undefined : redact(result.reasoning);
  let toolCalls = result.toolCalls;
  if (toolCalls !== undefined) {
    const json = JSON.stringify(toolCalls);
    const clean = redact(json);
    // The replacement is plain text inside a JSON string, so the redacted JSON still parses.
    if (clean !== json) toolCalls = JSON.parse(clean) as typeof toolCalls;
  }
  if (text === result.text && reasoning === result.reasoning && toolCalls === result.toolCalls) return result;
  return { ...result, text, ...(reasoning !== undefined ? { reasoning } : {}), ...(toolCalls !== undefined ? { toolCalls } : {}) };
}
