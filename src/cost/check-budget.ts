import { EvalgateError } from '../errors.js';
import type { Trial } from '../plan/trial.js';
import { formatUsd } from '../results/format-figures.js';
import { worstCasePlan } from './worst-case-plan.js';

/**
 * Refuses, before anything is sent, a plan that `--max-cost` cannot bound: a model without a price,
 * or (without `--allow-partial`) a worst case above the budget, naming the settings that weigh most.
 */
export function checkBudget(trials: readonly Trial[], maxCostUsd: number, allowPartial: boolean): void {
  const plan = worstCasePlan(trials);
  if (plan.unpriced.length > 0) {
    throw new EvalgateError('USAGE', `--max-cost cannot bound ${plan.unpriced.join(', ')}: no price in the model table; nothing was sent`, {
      hint: 'add price: {input, output} for it under models: in evalconfig.yaml',
    });
  }
  if (plan.totalUsd <= maxCostUsd || allowPartial) return;
  const heaviest = plan.bySetting
    .slice(0, 3)
    .map((s) => `${s.suite} · ${s.model} · ${s.thinkingLevel} · n=${s.numberResults}: ${formatUsd(s.usd)}`)
    .join('; ');
  throw new EvalgateError(
    'USAGE',
    `the worst case of this run, ${formatUsd(plan.totalUsd)} (every result using all of maxTokens), is above --max-cost ${formatUsd(maxCostUsd)}; nothing was sent. Most of it: ${heaviest}`,
    { hint: 'raise --max-cost, lower maxTokens, run fewer levels (--levels) or cases (--filter), or add --allow-partial to run until the budget is reserved' },
  );
}

