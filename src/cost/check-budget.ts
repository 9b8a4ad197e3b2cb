import type { CostEstimate } from './cost-estimate.js';
import { estimateJudgeCalls } from './estimate-judge-calls.js';
import { worstCasePlan } from './worst-case-plan.js';
import { EvalgateError } from '../core/evalgate-error.js';
import type { Trial } from '../plan/trial.js';
import { formatUsd } from '../core/format-figures.js';
import { settingLabel } from '../core/setting.js';

/** Settings named when a budget is refused. */
const NAMED_SETTINGS = 3;

/**
 * Refuses, before anything is sent, a plan that `--max-cost` will not cover:
 * - a model without a price: nothing bounds it;
 * - an expected cost above the budget, on the evidence of earlier runs (the estimate), naming the
 *   settings that make most of it, with or without `allowPartial`: such a run would stop partway.
 *   Settings without history count at their least (prompt only): there is no evidence they cost more;
 * - without `allowPartial`, a worst case (every result billed all of its maxTokens and no more, thinking included,
 *   and every judge call at the judge's maxTokens, grading an answer of the candidate's maxTokens) above the budget.
 *   A judge's call is refused at run time when it would pass the budget, so a plan whose answers fit
 *   and whose grading does not would pay for answers that end errored (JUDGE_ERROR).
 *
 * The budget is the whole run's: on `--resume`, `spentUsd` (what the recovered samples cost) is added
 * to the expected and the worst case of the trials still to send.
 */
export function checkBudget(trials: readonly Trial[], maxCostUsd: number, allowPartial: boolean, estimate: CostEstimate | undefined, spentUsd = 0): void {
  const plan = worstCasePlan(trials);
  const judge = estimateJudgeCalls(trials);
  const judgeUnpriced = new Set(trials.flatMap((t) => t.case.assertions.flatMap((a) => (a.type === 'judge' && !a.grader.pricing.price ? [`${a.grader.model} (judge)`] : []))));
  plan.unpriced.push(...judgeUnpriced);
  const worstUsd = plan.totalUsd + (judge?.highCostUsd ?? 0);
  const plusSpent = spentUsd > 0 ? ` plus ${formatUsd(spentUsd)} already spent before --resume` : '';
  if (plan.unpriced.length > 0) {
    throw new EvalgateError('USAGE', `--max-cost cannot bound ${plan.unpriced.join(', ')}: no price in the model table; nothing was sent`, {
      hint: 'add price: {input, output} for it under models: in evalconfig.yaml',
    });
  }
  if (estimate) {
    const groups = estimate.groups.map((g) => ({ ...g, usd: g.basis === 'maxTokens' ? g.lowCostUsd : g.expectedCostUsd }));
    const isPartial = groups.some((g) => g.basis === 'maxTokens');
    const expectedUsd = groups.reduce((sum, g) => sum + g.usd, 0);
    if (spentUsd + expectedUsd > maxCostUsd) {
      const heaviest = groups
        .sort((a, b) => b.usd - a.usd)
        .slice(0, NAMED_SETTINGS)
        .map((g) => `${g.suite} · ${settingLabel(g)}: ${formatUsd(g.usd)}`)
        .join('; ');
      const basis = isPartial
        ? 'at least, learned from earlier runs; settings without history counted at their prompts alone'
        : `learned from earlier runs; 95% range ${formatUsd(estimate.totals.lowCostUsd)}–${formatUsd(estimate.totals.highCostUsd)}`;
      throw new EvalgateError('USAGE', `this run is expected to cost ${formatUsd(expectedUsd)} (${basis})${plusSpent}, above --max-cost ${formatUsd(maxCostUsd)}; nothing was sent. Most of it: ${heaviest}`, {
        hint: `raise --max-cost, lower the effort (--levels), or run fewer cases (--filter); evalgate estimate shows the figures${allowPartial ? '' : '; --allow-partial would still stop partway'}`,
      });
    }
  }
  if (spentUsd + worstUsd <= maxCostUsd || allowPartial) return;
  const parts = [
    ...plan.bySetting.map((s) => ({ name: `${s.suite} · ${settingLabel(s)}`, usd: s.usd })),
    ...(judge ? [{ name: `the judge's ${judge.calls} calls`, usd: judge.highCostUsd }] : []),
  ];
  const heaviest = parts
    .sort((a, b) => b.usd - a.usd)
    .slice(0, NAMED_SETTINGS)
    .map((s) => `${s.name}: ${formatUsd(s.usd)}`)
    .join('; ');
  const grading = judge ? `, and ${formatUsd(judge.highCostUsd)} of grading, every verdict at the judge's maxTokens` : '';
  const expected = estimate && estimate.groups.every((g) => g.basis === 'history') ? ` It is expected to cost ${formatUsd(estimate.totals.expectedCostUsd)}.` : '';
  throw new EvalgateError(
    'USAGE',
    `the worst case of this run, ${formatUsd(worstUsd)} (every result billed all of its maxTokens and no more, thinking included${grading})${plusSpent}, is above --max-cost ${formatUsd(maxCostUsd)}; nothing was sent. Most of it: ${heaviest}.${expected}`,
    { hint: 'raise --max-cost, lower maxTokens, run fewer levels (--levels) or cases (--filter), or add --allow-partial to run until the budget is reserved' },
  );
}
