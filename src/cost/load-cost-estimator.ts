import type { ModelTable } from '../config/model-table.js';
import type { Trial } from '../plan/trial.js';
import type { CostEstimate } from './cost-estimate.js';
import { estimatePlan } from './estimate-plan.js';
import { createPromptTokenCounter, type TokenizerName } from './prompt-token-counter.js';
import { readUsageHistory, type HistoryRead } from './read-usage-history.js';
import { UsageHistory } from './usage-history.js';

/** Estimates sets of trials from one reading of the history. */
export interface CostEstimator {
  /**
   * Estimates these trials (of the plan the estimator was loaded for). Sends nothing. `exactPromptUsd`:
   * prompt costs by trial id, from Runware's dry runs (`--exact`), used instead of the counted ones.
   */
  estimate(trials: readonly Trial[], exactPromptUsd?: ReadonlyMap<string, number>): CostEstimate;
  /** The history, for projections from measured cost. */
  history: UsageHistory;
  read: HistoryRead;
}

/**
 * Reads the history under `historyRoot` (a run folder or a folder of them; `exclude` is skipped)
 * and loads the tokenizers the planned models need, once; then estimates any of the plan's trials.
 */
export async function loadCostEstimator(plan: readonly Trial[], models: ModelTable, historyRoot: string, options: { exclude?: string } = {}): Promise<CostEstimator> {
  const history = new UsageHistory((model) => models.find(model)?.thinkingBilling);
  const read = await readUsageHistory(historyRoot, history, options);
  const tokenizerOf = (model: string): TokenizerName => models.find(model)?.tokenizer ?? 'approximate';
  const counter = await createPromptTokenCounter(new Set(plan.map((t) => tokenizerOf(t.setting.model))));
  return {
    history,
    read,
    estimate: (trials, exactPromptUsd) =>
      estimatePlan(trials, {
        history,
        ...(exactPromptUsd ? { exactPromptUsd: (trial: Trial) => exactPromptUsd.get(trial.id) } : {}),
        historyRuns: read.runDirs.length,
        countPrompt: (trial) => {
          const tokenizer = tokenizerOf(trial.setting.model);
          return { tokens: counter.count(trial.request, tokenizer), tokenizer };
        },
      }),
  };
}
