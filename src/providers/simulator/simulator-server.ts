import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelTable } from '../../config/model-table.js';
import type { Scenario } from './scenario.js';
import { contentKey, simulateTask, type SimulatedResult } from './simulate-task.js';
import { validateTask, type WireError } from './validate-task.js';

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
  /** When set, requests must carry this key (to exercise 401s); otherwise any bearer token is accepted. */
  apiKey?: string;
  /** Called for every task answered, with what was sent back (tests count from it independently). */
  onTaskAnswered?: (entry: AnsweredTask) => void;
}

/** A task the simulator answered, for tests and logs. */
export interface AnsweredTask {
  taskUUID: string;
  model: string;
  thinkingLevel: string;
  numberResults: number;
  messages: readonly { role: string; content: string }[];
  scenario: string;
  results: SimulatedResult[];
}

/** A running simulator. */
export interface RunningSimulator {
  /** The endpoint to point `RUNWARE_API_URL` at, e.g. http://127.0.0.1:41234/v1. */
  url: string;
  port: number;
  /** Requests and tasks received so far. */
  stats: { requests: number; tasks: number };
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Starts a local HTTP server that speaks Runware's wire format: a JSON array of tasks in, `{data,
 * errors}` out, with Runware's validation, statuses and error codes. Answers are simulated and
 * deterministic for a seed; every response carries `x-evalgate-simulator: 1`.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const occurrences = new Map<string, number>();
  const stats = { requests: 0, tasks: 0 };
  const latencyScale = options.latencyScale ?? 1;

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
    const body = await readBody(req);
    if (body === undefined) {
      send(res, 413, { errors: [{ code: 'invalidParameter', message: 'Request body too large.' }] });
      return;
    }
    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    let tasks: unknown;
    try {
      tasks = JSON.parse(body);
    } catch {
      send(res, 400, { errors: [{ code: 'invalidParameter', message: 'The request body must be a JSON array of tasks.' }] });
      return;
    }
    if (!Array.isArray(tasks) || tasks.length === 0) {
      send(res, 400, { errors: [{ code: 'invalidParameter', message: 'The request body must be a non-empty JSON array of tasks.' }] });
      return;
    }
    let key = bearer;
    const first = tasks[0] as Record<string, unknown> | null;
    if (first && first.taskType === 'authentication') {
      if (bearer !== undefined) {
        send(res, 400, { errors: [{ code: 'invalidParameter', message: 'Use either the Authorization header or an authentication task, not both.', taskType: 'authentication' }] });
        return;
      }
      key = typeof first.apiKey === 'string' ? first.apiKey : undefined;
      tasks = tasks.slice(1);
    }
    if (!key || (options.apiKey !== undefined && key !== options.apiKey)) {
      send(res, 401, { errors: [{ code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai', parameter: 'apiKey', taskType: 'authentication' }] });
      return;
    }

    const data: Record<string, unknown>[] = [];
    const errors: WireError[] = [];
    let latencyMs = 0;
    for (const raw of tasks as unknown[]) {
      stats.tasks++;
      const checked = validateTask(raw, options.models);
      if ('error' in checked) {
        errors.push(checked.error);
        continue;
      }
      const contentId = contentKey(checked.task);
      const occurrence = occurrences.get(contentId) ?? 0;
      occurrences.set(contentId, occurrence + 1);
      const simulated = simulateTask(checked.task, options.scenarios, options.seed, occurrence);
      latencyMs = Math.max(latencyMs, simulated.latencyMs);
      options.onTaskAnswered?.({
        taskUUID: checked.taskUUID,
        model: checked.task.model.air,
        thinkingLevel: checked.task.thinkingLevel,
        numberResults: checked.task.numberResults,
        messages: checked.task.messages,
        scenario: simulated.scenario,
        results: simulated.results,
      });
      for (const result of simulated.results) {
        data.push({
          taskType: 'textInference',
          taskUUID: checked.taskUUID,
          text: result.text,
          finishReason: result.finishReason,
          ...(checked.includeUsage ? { usage: result.usage } : {}),
          ...(checked.includeCost && result.cost !== null ? { cost: result.cost } : {}),
        });
      }
    }
    await delay(latencyMs * latencyScale, req);
    if (data.length === 0) {
      send(res, 400, { errors });
      return;
    }
    send(res, 200, errors.length > 0 ? { data, errors } : { data });
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
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-evalgate-simulator': '1' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
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
