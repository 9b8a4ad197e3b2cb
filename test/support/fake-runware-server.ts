import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One textInference task as a fake server reads it off the wire. */
export interface WireTask {
  taskType: string;
  taskUUID: string;
  model?: string;
  numberResults?: number;
  settings?: { maxTokens?: number; thinkingLevel?: string };
  messages?: { role: string; content: string }[];
  [key: string]: unknown;
}

/** What a fake server answers to one request: a status and a JSON body (or raw text), after a delay. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  /** Sent as it is, instead of `body` as JSON. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Waits this long (real time) before answering. */
  delayMs?: number;
}

/** A Runware-format server on 127.0.0.1 whose every answer is scripted by `respond`. */
export interface FakeRunwareServer {
  /** The endpoint, for RUNWARE_API_URL. */
  url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** textInference tasks received so far (getResponse polls not counted). */
  readonly tasks: number;
  close(): Promise<void>;
}

export async function startFakeRunwareServer(respond: (tasks: WireTask[], headers: IncomingHttpHeaders) => FakeAnswer): Promise<FakeRunwareServer> {
  let requests = 0;
  let tasks = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests++;
      let parsed: WireTask[] = [];
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireTask[];
      } catch {
        parsed = [];
      }
      tasks += parsed.filter((t) => t.taskType === 'textInference').length;
      const answer = respond(parsed, req.headers);
      const send = () => write(res, answer);
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    get tasks() {
      return tasks;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function write(res: ServerResponse, answer: FakeAnswer): void {
  if (res.destroyed) return;
  res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
  res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
}

/** A result item for `task`, as Runware's `data` holds it. */
export function resultItem(task: WireTask, fields: { text?: string; finishReason?: string; promptTokens?: number; completionTokens?: number; thinkingTokens?: number; cost?: unknown }): Record<string, unknown> {
  const promptTokens = fields.promptTokens ?? 20;
  const completionTokens = fields.completionTokens ?? 5;
  const thinkingTokens = fields.thinkingTokens ?? 0;
  return {
    taskType: 'textInference',
    taskUUID: task.taskUUID,
    text: fields.text ?? 'Positive',
    finishReason: fields.finishReason ?? 'stop',
    usage: { promptTokens, completionTokens, thinkingTokens, totalTokens: promptTokens + completionTokens + thinkingTokens },
    ...(fields.cost !== undefined ? { cost: fields.cost } : {}),
  };
}

/** `numberResults` items for each task, each from `fields(task, index)`. */
export function answerEach(tasks: readonly WireTask[], fields: (task: WireTask, index: number) => Parameters<typeof resultItem>[1]): FakeAnswer {
  return { body: { data: tasks.flatMap((t) => Array.from({ length: t.numberResults ?? 1 }, (_, i) => resultItem(t, fields(t, i)))) } };
}
