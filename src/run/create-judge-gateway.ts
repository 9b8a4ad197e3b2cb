import { CheckError } from '../assertions/assertion.js';
import type { JudgeCall, JudgeGateway, JudgeReply } from '../assertions/judge-gateway.js';
import { parseVerdict } from '../assertions/judge-prompt.js';
import { priceUsage } from '../cost/price-usage.js';
import { worstCaseCostUsd } from '../cost/worst-case-cost.js';
import { formatUsd } from '../core/format-figures.js';
import type { BudgetGuard } from './budget-guard.js';
import { executeTrial, type ExecuteTrialOptions } from './execute-trial.js';
import type { JudgeCache } from './judge-cache.js';

export interface JudgeGatewayOptions extends ExecuteTrialOptions {
  /** `--max-cost`: each judge call reserves its worst case, as a trial does, and settles at its cost. */
  budget?: BudgetGuard;
  /** Absent with `--no-judge-cache`. */
  cache?: JudgeCache;
}

/**
 * Judge requests through the run's own provider, retry policy, retry budget and deadline (executeTrial),
 * within `--max-cost`, behind the verdict cache. Only answers that read as a verdict are cached.
 */
export function createJudgeGateway(options: JudgeGatewayOptions): JudgeGateway {
  return {
    async ask(call: JudgeCall): Promise<JudgeReply> {
      const hit = options.cache?.get(call);
      if (hit) return hit;
      const worst = options.budget ? (worstCaseCostUsd(call.request, call.grader.pricing) ?? Infinity) : 0;
      const reservation = await options.budget?.reserveUsd(worst, call.grader.model);
      if (options.budget && !reservation) {
        throw new CheckError('JUDGE_ERROR', `--max-cost $${options.budget.maxCostUsd}: the judge's call would pass the budget (${formatUsd(options.budget.spentUsd, 4)} spent, ${formatUsd(options.budget.reservedUsd, 4)} held by requests in flight)`);
      }
      let costUsd: number | null = 0;
      let pricedUsd: number | null = null;
      try {
        const outcome = await executeTrial(call.request, options);
        const result = outcome.results[0];
        if (!result) throw new CheckError('JUDGE_ERROR', `the judge's request failed: ${outcome.failure?.code ?? 'MISSING_RESULT'}: ${outcome.failure?.message ?? 'no result'}`);
        pricedUsd = result.usage ? priceUsage(result.usage, call.grader.pricing) : null;
        costUsd = result.costUsd ?? pricedUsd;
        const reply: JudgeReply = { text: result.text, finishReason: result.finishReason, usage: result.usage, costUsd, cached: false };
        if (result.finishReason !== 'content_filter' && parseVerdict(result.text).ok) options.cache?.set(call, reply);
        return reply;
      } finally {
        if (reservation) options.budget?.settle(reservation, { costUsd: costUsd ?? 0, billedOutputTokens: 0, ...(pricedUsd !== null ? { pricedUsd } : {}) });
      }
    },
  };
}
