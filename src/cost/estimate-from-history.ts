import type { ModelTable } from '../config/model-table.js';
import type { Trial } from '../plan/trial.js';
import type { CostEstimate } from './cost-estimate.js';
import { estimatePlan } from './estimate-plan.js';
import { createPromptTokenCounter, type TokenizerName } from './prompt-token-counter.js';
import { readUsageHistory, type HistoryRead } from './read-usage-history.js';
import { UsageHistory } from './usage-history.js';

/** An estimate and what it learned from. */
export interface EstimateFromHistory {
  estimate: CostEstimate;
  /** The history, for projections from measured cost. */
  history: UsageHistory;
  read: HistoryRead;
}

/**
 * Reads the history under `historyRoot` (a run folder or a folder of them; `exclude` is skipped),
 * loads the tokenizers the planned models need, and estimates the plan. Sends nothing.
 */
export async function estimateFromHistory(trials: readonly Trial[], models: ModelTable, historyRoot: string, options: { exclude?: string } = {}): Promise<EstimateFromHistory> {
  const history = new UsageHistory((model) => models.find(model)?.thinkingBilling);
  const read = await readUsageHistory(historyRoot, history, options);
  const tokenizerOf = (model: string): TokenizerName => models.find(model)?.tokenizer ?? 'approximate';
  const counter = await createPromptTokenCounter(new Set(trials.map((t) => tokenizerOf(t.setting.model))));
  const estimate = estimatePlan(trials, {
    history,
    historyRuns: read.runDirs.length,
    countPrompt: (trial) => {
      const tokenizer = tokenizerOf(trial.setting.model);
      return { tokens: counter.count(trial.request, tokenizer), tokenizer };
    },
  });
  return { estimate, history, read };
}
