import type { FaultKind, Faults } from '../config/simulator-faults.js';
import type { SimulatedTime } from './simulated-time.js';
import { toWireItem, type TaskAnswer } from './answer-tasks.js';
import { uniforms } from './simulate-task.js';

/** What becomes of one result of an async task. */
export type ResultFate = 'success' | 'error' | 'stuck';

/** An accepted async task: its results, when each is ready, and what becomes of each. */
export interface AsyncJob {
  answer: TaskAnswer;
  /** When each result is ready, on the simulator's clock (ms). */
  readyAtMs: number[];
  fates: ResultFate[];
  acceptedAtMs: number;
}

/** Faults that, on an async submission, fall on its results instead of on the HTTP answer. */
export const RESULT_FAULTS: ReadonlySet<FaultKind> = new Set(['providerTimeout', 'mixed', 'wrongCount']);

/**
 * Plans an accepted async task: results are ready one after another, the last at the task's latency
 * (so some of N are done before others); `providerTimeout` errors them all, `mixed` the second half,
 * and `asyncStuck` leaves a share of them processing for ever. Deterministic in the task's content.
 */
export function planAsyncJob(answer: TaskAnswer, fault: FaultKind | undefined, faults: Faults, context: SimulatedTime & { seed: number; nowMs: number }): AsyncJob {
  const n = answer.entry.results.length;
  const latencyMs = context.latencyOf(answer.latencyMs);
  const readyAtMs = answer.entry.results.map((_, i) => context.nowMs + latencyMs * (0.5 + (0.5 * (i + 1)) / n));
  const fates = answer.entry.results.map((_, i): ResultFate => {
    if (fault === 'providerTimeout' || (fault === 'mixed' && i >= Math.floor(n / 2))) return 'error';
    const [u = 1] = uniforms(context.seed, answer.contentKey, answer.occurrence, `async-${i}`);
    return u < faults.asyncStuck ? 'stuck' : 'success';
  });
  return { answer, readyAtMs, fates, acceptedAtMs: context.nowMs };
}

/** The item getResponse (or a webhook) carries for result `index` of a job at `nowMs`. */
export function asyncItem(job: AsyncJob, index: number, nowMs: number): Record<string, unknown> {
  const { answer } = job;
  const fate = job.fates[index]!;
  if (fate === 'stuck' || nowMs < job.readyAtMs[index]!) return { taskType: 'textInference', taskUUID: answer.taskUUID, status: 'processing' };
  if (fate === 'error') {
    return { taskType: 'textInference', taskUUID: answer.taskUUID, status: 'error', error: { code: 'timeoutProvider', message: 'The provider timed out.' } };
  }
  return { ...toWireItem(answer, answer.entry.results[index]!), status: 'success' };
}

/** The async tasks a simulator has accepted, for getResponse; forgotten `ttlMs` after they were accepted. */
export class AsyncJobs {
  private readonly jobs = new Map<string, AsyncJob>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 30 * 60_000,
  ) {}

  add(job: AsyncJob): void {
    this.prune();
    this.jobs.set(job.answer.taskUUID, job);
  }

  get(taskUUID: string): AsyncJob | undefined {
    return this.jobs.get(taskUUID);
  }

  /** The task's state as getResponse reports it: one item per result. Undefined for an unknown task. */
  itemsFor(taskUUID: string): Record<string, unknown>[] | undefined {
    const job = this.jobs.get(taskUUID);
    if (!job) return undefined;
    const now = this.now();
    return job.answer.entry.results.map((_, i) => asyncItem(job, i, now));
  }

  /** getResponse for these tasks: each one's state, one item per result; an unknown task is `taskFailedOrNotFound`. */
  answerPolls(taskUUIDs: readonly string[]): { status: number; body: Record<string, unknown> } {
    const data: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const taskUUID of taskUUIDs) {
      const items = this.itemsFor(taskUUID);
      if (items) data.push(...items);
      else errors.push({ code: 'taskFailedOrNotFound', message: 'No task with this taskUUID, or it failed.', taskType: 'getResponse', taskUUID });
    }
    return { status: data.length > 0 ? 200 : 400, body: { ...(data.length ? { data } : {}), ...(errors.length ? { errors } : {}) } };
  }

  private prune(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, job] of this.jobs) if (job.acceptedAtMs < cutoff) this.jobs.delete(id);
  }
}
