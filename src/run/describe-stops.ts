import { formatUsd } from '../core/format-figures.js';
import type { Trial } from '../plan/trial.js';
import type { RunSummary } from '../results/run-summary.js';
import { OBSERVED_OUTPUT_MARGIN, type BudgetGuard, type BudgetOverrun } from './budget-guard.js';

/** What a run says, in summary.json's `skipped` and on the terminal, when it stops before its plan is sent. */
type Skipped = NonNullable<RunSummary['skipped']>;

/** The trials the budget kept from being sent, and why. */
export function describeBudgetStop(trials: readonly Trial[], budget: BudgetGuard, recoveredCostUsd: number): Skipped {
  const beforeResume = recoveredCostUsd > 0 ? `, ${formatUsd(recoveredCostUsd, 4)} of it before --resume` : '';
  return {
    ...describeUnsent(trials),
    reason: `--max-cost $${budget.maxCostUsd}: the next trial's worst case would pass the budget (${formatUsd(budget.spentUsd, 4)} spent${beforeResume})`,
    cause: 'budget',
  };
}

/** The trials not sent once the API refused the run (a bad key, no credit), and why. */
export function describeRefusalStop(trials: readonly Trial[], refusal: { code: string; httpStatus?: number }): Skipped {
  return { ...describeUnsent(trials), reason: describeRefusal(refusal), cause: 'refused' };
}

/** `the API key was refused (HTTP 401 INVALID_API_KEY)`: what a refusal means, in one phrase. */
export function describeRefusal(failure: { code: string; httpStatus?: number }): string {
  const what = failure.code === 'INSUFFICIENT_CREDITS' ? 'the account has no credit left' : failure.code === 'FORBIDDEN' ? 'the API key may not do this' : 'the API key was refused';
  return `${what} (${failure.httpStatus !== undefined ? `HTTP ${failure.httpStatus} ` : ''}${failure.code})`;
}

/**
 * The warning when a result was billed past its maxTokens, or a trial past its worst case in dollars,
 * and what the budget reserves from then on.
 */
export function describeOverrun(o: BudgetOverrun): string {
  if ('billedUsd' in o) {
    return (
      `${o.model}: a trial was billed $${o.billedUsd.toFixed(4)}, ${formatFactor(o.billedUsd / o.tableUsd)}× the $${o.tableUsd.toFixed(4)} the price table makes of it; ` +
      `--max-cost now reserves ${formatFactor(o.priceFactor)}× the price table's worst case for this model (${OBSERVED_OUTPUT_MARGIN}× the largest excess so far), trials in flight included`
    );
  }
  return (
    `${o.model}: a result was billed ${o.billedOutputTokens} output tokens (completion + thinking), past its maxTokens of ${o.maxTokens}; ` +
    `--max-cost now reserves ${o.reservedOutputTokens} per sample for this model (${OBSERVED_OUTPUT_MARGIN}× the most billed so far), trials in flight included`
  );
}

const formatFactor = (factor: number) => (factor < 10 ? factor.toFixed(1) : String(Math.round(factor)));

function describeUnsent(trials: readonly Trial[]): Omit<Skipped, 'reason'> {
  return { trials: trials.length, samples: trials.reduce((s, t) => s + t.setting.numberResults, 0), trialIds: trials.map((t) => t.id) };
}
