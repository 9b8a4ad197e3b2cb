import { ratesFor } from '../cost/price-usage.js';
import type { ModelTable } from '../config/model-table.js';
import { estimatePromptTokens } from './simulate-task.js';
import { validateTask, type WireError } from './validate-task.js';

/** The header that asks for a dry run, as Runware documents it (lower-cased, as Node reads headers). */
export const DRY_RUN_HEADER = 'x-runware-dry-run';

/**
 * The simulator's answer to a dry run (`X-Runware-Dry-Run: 1`): each task validated as usual and
 * priced, never run. Runware's shape is unconfirmed; the simulator answers the most plausible one, a
 * `data` item per task with its `taskUUID` and `cost`, the cost being what is known before running:
 * the prompt of every result, at the model's input price. Invalid tasks come back in `errors`.
 */
export function priceDryRun(tasks: readonly unknown[], models: ModelTable): { status: number; body: { data?: unknown[]; errors?: WireError[] } } {
  const data: unknown[] = [];
  const errors: WireError[] = [];
  for (const raw of tasks) {
    const checked = validateTask(raw, models);
    if ('error' in checked) {
      errors.push(checked.error);
      continue;
    }
    const { task } = checked;
    const price = task.model.price;
    const promptTokens = estimatePromptTokens(task);
    const cost = price ? Math.round(((promptTokens * task.numberResults * ratesFor(price, promptTokens).input) / 1_000_000) * 1e10) / 1e10 : undefined;
    data.push({ taskType: 'textInference', taskUUID: checked.taskUUID, ...(cost !== undefined ? { cost } : {}) });
  }
  if (data.length === 0) return { status: 400, body: { errors } };
  return { status: 200, body: { data, ...(errors.length ? { errors } : {}) } };
}
