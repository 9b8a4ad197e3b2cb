import type { Faults } from '../config/simulator-faults.js';
import type { SimulatedTime } from './simulated-time.js';
import type { RequestAnswer } from './answer-tasks.js';
import { planAsyncJob, RESULT_FAULTS, type AsyncJob } from './async-jobs.js';
import { drawFault } from './faults.js';
import { shapeDelivery, type Delivery } from './shape-delivery.js';

/**
 * An async submission: a request fault that falls on the HTTP answer (429, 5xx, a reset, a bad body)
 * is delivered as for sync, and no task is accepted; otherwise the tasks are acknowledged at once
 * (`{taskType, taskUUID}` each) and become jobs whose results are ready later. Pure.
 */
export function shapeAsyncDelivery(answer: RequestAnswer, faults: Faults, context: SimulatedTime & { seed: number; nowMs: number }): { delivery: Delivery; jobs: AsyncJob[] } {
  const fault = drawFault(faults, answer.faultDraws[0] ?? 1);
  if (fault !== undefined && !RESULT_FAULTS.has(fault)) return { delivery: shapeDelivery(answer, faults), jobs: [] };
  const jobs = answer.answers.map((a) => planAsyncJob(a, fault, faults, context));
  const delivered = jobs.map((job) => ({ ...job.answer.entry, results: job.answer.entry.results.filter((_, i) => job.fates[i] === 'success') }));
  return {
    jobs,
    delivery: {
      kind: 'json',
      status: 200,
      body: { data: answer.answers.map((a) => ({ taskType: 'textInference', taskUUID: a.taskUUID })), ...(answer.errors.length ? { errors: answer.errors } : {}) },
      delivered,
      ...(fault === 'providerTimeout' || fault === 'mixed' ? { fault } : {}),
    },
  };
}
