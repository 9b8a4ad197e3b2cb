import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelTable } from '../config/model-table.js';
import { answerTasks, type AnsweredTask } from './answer-tasks.js';
import { AsyncJobs } from './async-jobs.js';
import { WebhookSender, type WebhookSenderStats } from './webhook-sender.js';
import { shapeAsyncDelivery } from './shape-async-delivery.js';
import { shapeStreamDelivery } from './shape-stream-delivery.js';
import type { StreamPlan } from './plan-stream.js';
import { DRY_RUN_HEADER, priceDryRun } from './price-dry-run.js';
import { FaultsSchema, type Faults } from '../config/simulator-faults.js';
import type { Scenario } from './scenario.js';
import { shapeDelivery, type DeliveredFault, type Delivery } from './shape-delivery.js';
import { readRequestBody } from '../core/read-request-body.js';

export type { AnsweredTask } from './answer-tasks.js';

export interface SimulatorOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  seed: number;
  scenarios: readonly Scenario[];
  models: ModelTable;
  /** Multiplies every simulated latency; 0 answers at once. @default 1 */
  latencyScale?: number;
  /** Every request (a sync answer, an async task's results, a whole stream) takes exactly this long, whatever the scenario says (benchmarks). */
  fixedLatencyMs?: number;
  /** The clock async results become ready by (ms). For tests. @default performance.now */
  now?: () => number;
  /** When set, requests must carry this key (to exercise 401s); otherwise any bearer token is accepted. */
  apiKey?: string;
  /** Faults to inject; none by default. */
  faults?: Partial<Faults>;
  /** Webhook retries: the first delay, doubled up to 8 s (Runware's documented backoff). For tests. @default 250 */
  webhookRetryBaseMs?: number;
  /** Called for every task answered, with the results actually sent back (tests count from it independently). */
  onTaskAnswered?: (entry: AnsweredTask) => void;
}

/** A fault the simulator counts: a request fault, one drawn per stream, or a refusal past admitConcurrency. */
export type CountedFault = DeliveredFault | 'admission';

/** What the simulator has seen and done. */
export interface SimulatorStats {
  requests: number;
  /** textInference tasks answered (dry runs are not). */
  tasks: number;
  /** getResponse tasks received (async polling). */
  polls: number;
  /** Requests that asked for a dry run: priced, never run. */
  dryRuns: number;
  /** Results POSTed to webhookURLs. */
  webhooks: WebhookSenderStats;
  /** Faults injected, by kind; `admission` counts requests refused past admitConcurrency. */
  faults: Partial<Record<CountedFault, number>>;
}

/** A running simulator. */
export interface RunningSimulator {
  /** The endpoint to point `RUNWARE_API_URL` at, e.g. http://127.0.0.1:41234/v1. */
  url: string;
  port: number;
  /** Requests, tasks and faults so far. */
  stats: SimulatorStats;
  close(): Promise<void>;
}

// Images travel as base64 in the body: room for a few large ones.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Starts a local HTTP server that speaks Runware's wire format: a JSON array of tasks in, `{data,
 * errors}` out, with Runware's validation, statuses and error codes. Answers are simulated and
 * deterministic for a seed; every response carries `x-evalgate-simulator: 1`.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const occurrences = new Map<string, number>();
  const now = options.now ?? (() => performance.now());
  const jobs = new AsyncJobs(now);
  const latencyScale = options.latencyScale ?? 1;
  const faults = FaultsSchema.parse(options.faults ?? {});
  const webhooks = new WebhookSender({ seed: options.seed, faults, ...(options.webhookRetryBaseMs !== undefined ? { retryBaseMs: options.webhookRetryBaseMs } : {}) });
  const stats: SimulatorStats = { requests: 0, tasks: 0, polls: 0, dryRuns: 0, webhooks: webhooks.stats, faults: {} };
  const countFault = (kind: CountedFault) => {
    stats.faults[kind] = (stats.faults[kind] ?? 0) + 1;
  };
  let inFlight = 0;

  const server: Server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ code: 'serverError', message: `simulator error: ${(error as Error).message}` }] });
    });
  });
  server.keepAliveTimeout = 60_000;

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      send(res, 200, { simulator: true, stats });
      return;
    }
    if (req.method !== 'POST') {
      send(res, 404, { errors: [{ code: 'notFound', message: `${req.method} ${req.url} is not served; POST tasks to /v1` }] });
      return;
    }
    stats.requests++;
    inFlight++;
    res.once('close', () => inFlight--);
    const body = await readRequestBody(req, MAX_BODY_BYTES);
    if (body === undefined) {
      send(res, 413, { errors: [{ code: 'invalidParameter', message: 'Request body too large.' }] });
      return;
    }
    const tasks = parseTasks(body, req.headers.authorization, options.apiKey);
    if ('status' in tasks) {
      send(res, tasks.status, tasks.body);
      return;
    }
    if (req.headers[DRY_RUN_HEADER] === '1') {
      stats.dryRuns++;
      const priced = priceDryRun(tasks.list, options.models);
      send(res, priced.status, priced.body);
      return;
    }
    if (faults.admitConcurrency !== undefined && inFlight > faults.admitConcurrency) {
      countFault('admission');
      send(res, 429, { errors: [{ code: 'providerRateLimitExceeded', message: 'The queue is full; try again later.' }] });
      return;
    }
    const polls = tasks.list.filter(isGetResponse);
    if (polls.length > 0) {
      stats.polls += polls.length;
      const { status, body: answerBody } =
        polls.length < tasks.list.length
          ? { status: 400, body: { errors: [{ code: 'invalidParameter', message: 'This simulator takes getResponse tasks only in a request of their own.', parameter: 'taskType' }] } }
          : jobs.answerPolls(polls.map((p) => (typeof p.taskUUID === 'string' ? p.taskUUID : '')));
      send(res, status, answerBody);
      return;
    }
    stats.tasks += tasks.list.length;
    const answered = answerTasks(tasks.list, { models: options.models, scenarios: options.scenarios, seed: options.seed, occurrences });
    const methods = new Set(answered.answers.map((a) => a.deliveryMethod));
    if (methods.size > 1) {
      send(res, 400, { errors: [{ code: 'invalidParameter', message: 'This simulator takes one deliveryMethod per request.', parameter: 'deliveryMethod' }] });
      return;
    }
    const context = { seed: options.seed, nowMs: now(), latencyOf: (ms: number) => options.fixedLatencyMs ?? ms * latencyScale };
    let delivery: Delivery;
    if (methods.has('async')) {
      const shaped = shapeAsyncDelivery(answered, faults, context);
      for (const job of shaped.jobs) {
        jobs.add(job);
        webhooks.schedule(job, context.nowMs);
      }
      delivery = shaped.delivery;
    } else if (methods.has('stream')) {
      delivery = shapeStreamDelivery(answered, faults, context);
    } else {
      delivery = shapeDelivery(answered, faults);
      await delay(context.latencyOf(answered.latencyMs), req);
    }
    if (delivery.fault) countFault(delivery.fault);
    await deliver(delivery, req, res);
  }

  async function deliver(delivery: Delivery, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (delivery.kind) {
      case 'json':
        for (const entry of delivery.delivered) options.onTaskAnswered?.(entry);
        send(res, delivery.status, delivery.body, delivery.headers);
        return;
      case 'stream':
        for (const entry of delivery.delivered) options.onTaskAnswered?.(entry);
        await writeStream(delivery.plan, req, res);
        return;
      case 'raw':
        if (res.destroyed) return;
        res.writeHead(delivery.status, { 'content-type': delivery.contentType, 'content-length': Buffer.byteLength(delivery.text), 'x-evalgate-simulator': '1' });
        res.end(delivery.text);
        return;
      case 'hang':
        // No bytes at all; the client's timeout ends it (or the server's close).
        return;
      case 'reset':
        req.socket.destroy();
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/v1`,
    port: address.port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        webhooks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes a planned event stream, each write at its time; a cut stream ends with a reset connection. */
async function writeStream(plan: StreamPlan, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-evalgate-simulator': '1' });
  let at = 0;
  for (const write of plan.writes) {
    await delay(write.atMs - at, req);
    at = write.atMs;
    if (res.destroyed) return;
    res.write(write.text);
  }
  if (plan.isCut) req.socket.destroy();
  else res.end();
}

function isGetResponse(task: unknown): task is Record<string, unknown> {
  return task !== null && typeof task === 'object' && (task as Record<string, unknown>).taskType === 'getResponse';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-evalgate-simulator': '1', ...headers });
  res.end(text);
}

/** The tasks of a request, after auth (the Authorization header, or a leading authentication task, not both). */
function parseTasks(body: string, authorization: string | undefined, requiredKey: string | undefined): { list: unknown[] } | { status: number; body: unknown } {
  const bearer = typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
  let tasks: unknown;
  try {
    tasks = JSON.parse(body);
  } catch {
    return { status: 400, body: { errors: [{ code: 'invalidParameter', message: 'The request body must be a JSON array of tasks.' }] } };
  }
  if (!Array.isArray(tasks) || tasks.length === 0) {
    return { status: 400, body: { errors: [{ code: 'invalidParameter', message: 'The request body must be a non-empty JSON array of tasks.' }] } };
  }
  let key = bearer;
  const first = tasks[0] as Record<string, unknown> | null;
  if (first && first.taskType === 'authentication') {
    if (bearer !== undefined) {
      return { status: 400, body: { errors: [{ code: 'invalidParameter', message: 'Use either the Authorization header or an authentication task, not both.', taskType: 'authentication' }] } };
    }
    key = typeof first.apiKey === 'string' ? first.apiKey : undefined;
    tasks = tasks.slice(1);
  }
  if (!key || (requiredKey !== undefined && key !== requiredKey)) {
    return { status: 401, body: { errors: [{ code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai', parameter: 'apiKey', taskType: 'authentication' }] } };
  }
  return { list: tasks as unknown[] };
}

/** Waits `ms`, or less if the client goes away. */
function delay(ms: number, req: IncomingMessage): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    }
    req.socket.once('close', done);
  });
}
