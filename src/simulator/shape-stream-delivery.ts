import type { Faults } from '../config/simulator-faults.js';
import type { SimulatedTime } from './simulated-time.js';
import type { RequestAnswer } from './answer-tasks.js';
import { drawFault } from './faults.js';
import { planStream } from './plan-stream.js';
import { shapeDelivery, type Delivery } from './shape-delivery.js';

/**
 * A stream request (one task: Runware streams one result per task): a request fault that falls
 * before the stream (429, 5xx, `timeoutProvider`, a reset, an HTML body) comes back as for sync, a
 * normal JSON error body; `mixed` and `truncated` fall on the stream itself (see planStream). Pure.
 */
export function shapeStreamDelivery(answer: RequestAnswer, faults: Faults, context: SimulatedTime & { seed: number }): Delivery {
  const [task] = answer.answers;
  if (answer.answers.length !== 1 || !task) {
    return {
      kind: 'json', status: 400, delivered: [],
      body: { errors: [{ code: 'invalidParameter', message: 'deliveryMethod stream takes one task per request.', parameter: 'deliveryMethod' }, ...answer.errors] },
    };
  }
  const fault = drawFault(faults, answer.faultDraws[0] ?? 1);
  if (fault !== undefined && fault !== 'mixed' && fault !== 'truncated' && fault !== 'wrongCount') return shapeDelivery(answer, faults);
  const plan = planStream(task, fault, faults, context);
  return { kind: 'stream', plan, delivered: [{ ...task.entry, results: plan.isDelivered ? task.entry.results : [] }], ...(plan.fault ? { fault: plan.fault } : {}) };
}
