import { Headers, MockAgent, type Interceptable } from 'undici';
import { RunwareProvider, type RunwareProviderOptions } from '../../src/providers/runware/runware-provider.js';
import type { RunwareTextTask } from '../../src/providers/runware/runware-task.js';

/** The endpoint the mock stands in for. */
export const MOCK_API_URL = 'https://api.runware.ai/v1';
/** A key that must never show up in a failure message. */
export const MOCK_API_KEY = 'rw_test_4f1c9a7e2b8d60535e71';

/** One request the mock received. */
export interface ReceivedRequest {
  tasks: RunwareTextTask[];
  headers: Record<string, string>;
}

/** What the mock answers: a status, a body (a string as is, anything else as JSON, none as empty), headers. */
export interface MockAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type MockInterceptor = ReturnType<Interceptable['intercept']>;
type MockScope = ReturnType<MockInterceptor['replyWithError']>;

/**
 * Runware's endpoint on undici's MockAgent with the network disabled. Each `answer` serves one request,
 * built from the task that request carried (so replies can echo its taskUUID); every request is recorded.
 */
export class MockRunwareApi {
  readonly agent = new MockAgent();
  readonly received: ReceivedRequest[] = [];
  private readonly pool: Interceptable;

  constructor() {
    this.agent.disableNetConnect();
    this.pool = this.agent.get(new URL(MOCK_API_URL).origin);
  }

  /** Queues the answer to the next `POST /v1`, built from the first task it carries. */
  answer(respond: (task: RunwareTextTask) => MockAnswer): MockScope {
    return this.answerAll((tasks) => respond(tasks[0]!));
  }

  /** Queues the answer to the next `POST /v1`, built from every task it carries (a batch). */
  answerAll(respond: (tasks: RunwareTextTask[]) => MockAnswer): MockScope {
    return this.intercept().reply((opts) => {
      const tasks = JSON.parse(String(opts.body)) as RunwareTextTask[];
      const headers = opts.headers instanceof Headers ? Object.fromEntries(opts.headers.entries()) : { ...opts.headers };
      this.received.push({ tasks, headers });
      const { status, body, headers: replyHeaders = {} } = respond(tasks);
      const data = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      return { statusCode: status, data, responseOptions: { headers: { 'content-type': 'application/json', ...replyHeaders } } };
    });
  }

  /** The bare interceptor for the next `POST /v1`, for what `answer` cannot script (`replyWithError`). */
  intercept(): MockInterceptor {
    return this.pool.intercept({ path: '/v1', method: 'POST' });
  }

  /** A real client whose requests reach this mock (with, say, a fake clock for polling). */
  provider(options: Partial<RunwareProviderOptions> = {}): RunwareProvider {
    return new RunwareProvider({ apiUrl: MOCK_API_URL, apiKey: MOCK_API_KEY, connections: 2, dispatcher: this.agent, ...options });
  }

  /** Fails when an answer was queued but never asked for, then closes the agent. */
  async close(): Promise<void> {
    try {
      this.agent.assertNoPendingInterceptors();
    } finally {
      await this.agent.close();
    }
  }
}

/** One `data` item of a successful textInference answer for `task`. */
export function resultItem(task: Pick<RunwareTextTask, 'taskUUID'>, text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    taskType: 'textInference',
    taskUUID: task.taskUUID,
    text,
    finishReason: 'stop',
    usage: { promptTokens: 162, completionTokens: 41, totalTokens: 203, thinkingTokens: 0 },
    cost: 0.00204,
    ...overrides,
  };
}
