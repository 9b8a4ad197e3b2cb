import type { ModelTable } from '../config/model-table.js';
import type { DeliveryMethod } from '../core/runware-limits.js';
import type { Scenario } from './scenario.js';
import { contentKey, simulateTask, uniforms, type SimulatedResult } from './simulate-task.js';
import { isJudgeTask, simulateJudgeTask } from './simulate-judge-task.js';
import { validateTask, type WireError } from './validate-task.js';

/** A task the simulator answered, for tests and logs: what was asked and what was sent back. */
export interface AnsweredTask {
  taskUUID: string;
  model: string;
  thinkingLevel: string;
  numberResults: number;
  messages: readonly { role: string; content: string }[];
  /** `inputs.images` as received. */
  images?: readonly string[];
  /** The URL the task asked its results to be POSTed to, if any. */
  webhookURL?: string;
  scenario: string;
  /** The results delivered (a fault may withhold some or all of them). */
  results: SimulatedResult[];
}

/** One valid task and what the simulated model answered, before it is put on the wire. */
export interface TaskAnswer {
  taskUUID: string;
  includeCost: boolean;
  includeUsage: boolean;
  deliveryMethod: DeliveryMethod;
  /** Where an async task's results go, when it gave one. */
  webhookURL?: string;
  /** How long this task takes, before the latency scale. */
  latencyMs: number;
  /** Identify the task's content and its occurrence, for further deterministic draws (async and stream faults). */
  contentKey: string;
  occurrence: number;
  entry: AnsweredTask;
}

/** The simulated answers to one request's tasks. */
export interface RequestAnswer {
  answers: TaskAnswer[];
  errors: WireError[];
  /** How long the slowest task takes, before the latency scale. */
  latencyMs: number;
  /** Uniform draws for this request's fault, deterministic in its first task's content and occurrence. */
  faultDraws: readonly number[];
}

/**
 * Validates and answers the tasks of one request. `occurrences` counts how often each task content
 * was asked before, so that a repeated request (a retry, a repeat) gets a fresh, still deterministic, draw.
 */
export function answerTasks(
  tasks: readonly unknown[],
  context: { models: ModelTable; scenarios: readonly Scenario[]; seed: number; occurrences: Map<string, number> },
): RequestAnswer {
  const answers: TaskAnswer[] = [];
  const errors: WireError[] = [];
  let latencyMs = 0;
  let faultDraws: number[] | undefined;
  for (const raw of tasks) {
    const checked = validateTask(raw, context.models);
    if ('error' in checked) {
      errors.push(checked.error);
      continue;
    }
    const key = contentKey(checked.task);
    const occurrence = context.occurrences.get(key) ?? 0;
    context.occurrences.set(key, occurrence + 1);
    // A judge's request (evalgate asking a model to grade an answer) gets a verdict, not a scenario's answer.
    const simulated = (isJudgeTask(checked.task) ? simulateJudgeTask : simulateTask)(checked.task, context.scenarios, context.seed, occurrence);
    latencyMs = Math.max(latencyMs, simulated.latencyMs);
    faultDraws ??= uniforms(context.seed, key, occurrence, 'fault');
    answers.push({
      taskUUID: checked.taskUUID,
      includeCost: checked.includeCost,
      includeUsage: checked.includeUsage,
      deliveryMethod: checked.deliveryMethod,
      ...(checked.webhookURL !== undefined ? { webhookURL: checked.webhookURL } : {}),
      latencyMs: simulated.latencyMs,
      contentKey: key,
      occurrence,
      entry: {
        taskUUID: checked.taskUUID,
        model: checked.task.model.air,
        thinkingLevel: checked.task.thinkingLevel,
        numberResults: checked.task.numberResults,
        messages: checked.task.messages,
        ...(checked.webhookURL !== undefined ? { webhookURL: checked.webhookURL } : {}),
        ...(checked.task.images !== undefined ? { images: checked.task.images } : {}),
        scenario: simulated.scenario,
        results: simulated.results,
      },
    });
  }
  return { answers, errors, latencyMs, faultDraws: faultDraws ?? [1, 1, 1] };
}

/** A result as Runware puts it in `data`: flat, tagged with its task's UUID. */
export function toWireItem(answer: TaskAnswer, result: SimulatedResult): Record<string, unknown> {
  return {
    taskType: 'textInference',
    taskUUID: answer.taskUUID,
    text: result.text,
    // How Runware returns tool calls is not documented; the simulator uses the likeliest native shape.
    ...(result.toolCalls ? { tools: result.toolCalls.map((c, i) => ({ id: `call_${answer.taskUUID.slice(0, 8)}_${i}`, name: c.name, input: c.arguments })) } : {}),
    finishReason: result.finishReason,
    ...(answer.includeUsage ? { usage: result.usage } : {}),
    ...(answer.includeCost && result.cost !== null ? { cost: result.cost } : {}),
  };
}
