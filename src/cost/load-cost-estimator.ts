import type { ModelTable } from '../config/model-table.js';
import type { Trial } from '../plan/trial.js';
import type { CostEstimate } from './cost-estimate.js';
import { estimatePlan, type PromptCount } from './estimate-plan.js';
import { estimateJudgeCalls } from './estimate-judge-calls.js';
import { approximatePromptTokens, createPromptTokenCounter, type TokenizerName } from './prompt-token-counter.js';
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

/** How an estimator counts prompt tokens. */
export interface EstimatorOptions {
  /** A run folder the history skips (the run being made). */
  exclude?: string;
  /**
   * `tokenize` (`evalgate estimate`): every prompt with its model's tokenizer. `measured` (`evalgate
   * run`): the prompt tokens the API reported for the case in earlier runs, else the approximation;
   * no tokenizer is loaded, so a run starts in a fraction of the time and memory. @default tokenize
   */
  prompts?: 'tokenize' | 'measured';
  /** Run folders to learn nothing from: `evalgate run` against the API skips those the built-in simulator answered. */
  skip?: (runDir: string) => boolean;
}

/**
 * Reads the history under `historyRoot` (a run folder or a folder of them; `exclude` is skipped)
 * and loads the tokenizers the planned models need, once; then estimates any of the plan's trials.
 */
export async function loadCostEstimator(plan: readonly Trial[], models: ModelTable, historyRoot: string, options: EstimatorOptions = {}): Promise<CostEstimator> {
  const history = new UsageHistory((model) => models.find(model)?.thinkingBilling);
  const read = await readUsageHistory(historyRoot, history, { ...(options.exclude !== undefined ? { exclude: options.exclude } : {}), ...(options.skip ? { skip: options.skip } : {}) });
  const countPrompt = options.prompts === 'measured' ? measuredPrompts(history) : await tokenizedPrompts(plan, models);
  return {
    history,
    read,
    estimate: (trials, exactPromptUsd) => {
      const estimate = estimatePlan(trials, {
        history,
        ...(exactPromptUsd ? { exactPromptUsd: (trial: Trial) => exactPromptUsd.get(trial.id) } : {}),
        historyRuns: read.runDirs.length,
        countPrompt,
      });
      // Grading is estimated apart: the figures above stay the answers' own.
      const judge = estimateJudgeCalls(trials);
      return judge ? { ...estimate, judge } : estimate;
    },
  };
}

async function tokenizedPrompts(plan: readonly Trial[], models: ModelTable): Promise<(trial: Trial) => PromptCount> {
  const tokenizerOf = (model: string): TokenizerName => models.find(model)?.tokenizer ?? 'approximate';
  const counter = await createPromptTokenCounter(new Set(plan.map((t) => tokenizerOf(t.setting.model))));
  return (trial) => {
    const tokenizer = tokenizerOf(trial.setting.model);
    return { tokens: counter.count(trial.request, tokenizer), tokenizer, measured: false };
  };
}

function measuredPrompts(history: UsageHistory): (trial: Trial) => PromptCount {
  return (trial) => {
    const { suite, caseId, setting } = trial;
    const known = history.forCase(suite, caseId, setting.model, setting.thinkingLevel)?.promptTokens.mean;
    if (known !== null && known !== undefined) return { tokens: known, tokenizer: 'approximate', measured: true };
    return { tokens: approximatePromptTokens(trial.request), tokenizer: 'approximate', measured: false };
  };
}
