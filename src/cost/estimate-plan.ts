import { ratesFor } from './price-usage.js';
import { settingOfTrial, type Trial } from '../plan/trial.js';
import { Z_95 } from '../stats/wilson-interval.js';
import type { CostEstimate, EstimateFigures, EstimateGroup } from './cost-estimate.js';
import type { TokenizerName } from './prompt-token-counter.js';
import type { HistoryScope, UsageHistory, UsageStats } from './usage-history.js';
import { compareSettings, settingKey } from '../core/setting.js';

/** A case's own history is used once it has this many samples; below it, its setting's. */
export const MIN_CASE_SAMPLES = 8;
/** Fewer samples than this in a scope say nothing about the spread: the next broader scope is used. */
const MIN_SCOPE_SAMPLES = 2;
const SCOPE_ORDER: readonly HistoryScope[] = ['case', 'setting', 'model'];

/** What the estimate needs besides the trials. */
export interface EstimateInputs {
  history: UsageHistory;
  /** Run folders the history was read from. */
  historyRuns: number;
  /**
   * Prompt tokens of a trial's request (per result), and how they were counted: by a tokenizer, or
   * (`measured`) as the API reported them for the case in earlier runs.
   */
  countPrompt(trial: Trial): PromptCount;
  /** The prompt cost of a trial (all its results) as Runware's dry run priced it (`--exact`); undefined: counted. */
  exactPromptUsd?(trial: Trial): number | undefined;
}

/** A trial's prompt tokens per result and where the figure comes from. */
export interface PromptCount {
  tokens: number;
  tokenizer: TokenizerName;
  measured: boolean;
}

/** One trial's share of the estimate. */
interface Part {
  samples: number;
  promptUsd: number;
  expectedUsd: number;
  worstUsd: number;
  /** The history its output tokens were learned from; undefined: bounded by maxTokens. */
  stats: UsageStats | undefined;
  /** USD per output token. */
  outputRateUsd: number;
}

/**
 * What a plan is expected to cost, without sending anything. Per result: the counted prompt tokens
 * at the input price (or, with `exactPromptUsd`, the prompt cost Runware's dry run gave), plus output tokens (completion, and thinking when billed on top) at the output
 * price. Output tokens are the mean of the narrowest history that knows them (the case, once it has
 * {@link MIN_CASE_SAMPLES} samples; else the suite's setting; else the model at that level), never
 * above maxTokens. Without history every result is assumed to use all of maxTokens: a bound, and the
 * group's basis says so. The low–high range is a 95% interval for the total (each sample's own spread
 * plus the uncertainty of the learned mean), clamped to what is possible: no output at all, and all of
 * maxTokens. Pure.
 */
export function estimatePlan(trials: readonly Trial[], inputs: EstimateInputs): CostEstimate {
  const groups = new Map<string, { group: EstimateGroup; parts: Part[]; scopes: Set<HistoryScope>; promptTokens: number; counted: boolean }>();
  const unpriced = new Set<string>();
  const all: Part[] = [];
  for (const trial of trials) {
    const price = trial.pricing.price;
    if (!price) {
      unpriced.add(trial.setting.model);
      continue;
    }
    const { suite, setting, request } = trial;
    const prompt = inputs.countPrompt(trial);
    const stats = learnedStats(inputs.history, trial);
    const meanOutput = stats ? Math.min(stats.outputTokens.mean!, request.maxTokens) : request.maxTokens;
    const n = setting.numberResults;
    const rates = ratesFor(price, prompt.tokens);
    const outputRateUsd = rates.output / 1_000_000;
    const exactUsd = inputs.exactPromptUsd?.(trial);
    const promptUsd = exactUsd ?? (n * prompt.tokens * rates.input) / 1_000_000;
    const part: Part = { samples: n, promptUsd, expectedUsd: promptUsd + n * meanOutput * outputRateUsd, worstUsd: promptUsd + n * request.maxTokens * outputRateUsd, stats, outputRateUsd };
    all.push(part);

    const key = settingKey(settingOfTrial(trial));
    let entry = groups.get(key);
    if (!entry) {
      const ofSetting = inputs.history.forSetting(suite, setting.model, setting.thinkingLevel);
      const shown = ofSetting ?? inputs.history.forModel(setting.model, setting.thinkingLevel);
      entry = {
        group: {
          suite, model: setting.model, thinkingLevel: setting.thinkingLevel, numberResults: n,
          trials: 0, samples: 0, expectedCostUsd: 0, lowCostUsd: 0, highCostUsd: 0,
          basis: 'history', historyScope: null,
          historySamples: ofSetting?.outputTokens.count ?? 0,
          tokenizer: prompt.tokenizer, promptCostSource: 'tokenizer', promptTokensPerSample: 0,
          completionTokens: shown?.completionTokens.meanAndP95() ?? null,
          thinkingTokens: shown?.thinkingTokens.meanAndP95() ?? null,
        },
        parts: [], scopes: new Set(), promptTokens: 0, counted: false,
      };
      groups.set(key, entry);
    }
    entry.parts.push(part);
    if (exactUsd !== undefined) entry.group.promptCostSource = 'dryRun';
    else if (!prompt.measured) {
      entry.counted = true;
      entry.group.tokenizer = prompt.tokenizer;
    }
    entry.promptTokens += n * prompt.tokens;
    if (stats) entry.scopes.add(stats.scope);
    else entry.group.basis = 'maxTokens';
  }

  const ordered = [...groups.values()].sort((a, b) => compareSettings(a.group, b.group));
  for (const { group, parts, scopes, promptTokens, counted } of ordered) {
    Object.assign(group, combineParts(parts));
    // Every prompt of the group as the API reported it in earlier runs: nothing was counted.
    if (group.promptCostSource === 'tokenizer' && !counted) group.promptCostSource = 'history';
    group.promptTokensPerSample = group.samples > 0 ? promptTokens / group.samples : 0;
    group.historyScope = [...SCOPE_ORDER].reverse().find((s) => scopes.has(s)) ?? null;
  }
  return {
    history: { runs: inputs.historyRuns, samples: inputs.history.samples },
    totals: combineParts(all),
    groups: ordered.map((e) => e.group),
    unpriced: [...unpriced],
  };
}

/** The narrowest history scope with enough samples to learn this trial's output tokens from. */
function learnedStats(history: UsageHistory, trial: Trial): UsageStats | undefined {
  const { suite, caseId, setting } = trial;
  const kase = history.forCase(suite, caseId, setting.model, setting.thinkingLevel);
  if (kase && kase.outputTokens.count >= MIN_CASE_SAMPLES) return kase;
  for (const stats of [history.forSetting(suite, setting.model, setting.thinkingLevel), history.forModel(setting.model, setting.thinkingLevel)]) {
    if (stats && stats.outputTokens.count >= MIN_SCOPE_SAMPLES) return stats;
  }
  return undefined;
}

/**
 * Sums parts into figures with a 95% range. For each history scope k used by N_k samples, with
 * per-sample output spread σ_k learned from n_k samples, the total's variance is
 * N_k·σ_k² (the samples' own spread) + N_k²·σ_k²/n_k (the learned mean's error, shared by every
 * sample that uses it), in USD² through the output price. Parts bounded by maxTokens add their
 * bound to the expectation and the high end, and their prompt cost to the low end.
 */
export function combineParts(parts: readonly Part[]): EstimateFigures {
  const byScope = new Map<UsageStats, { samplesRate: number; samplesRate2: number }>();
  let expected = 0;
  let lowFloor = 0;
  let highCeiling = 0;
  let boundedExpected = 0;
  let boundedLow = 0;
  let samples = 0;
  for (const part of parts) {
    samples += part.samples;
    if (!part.stats) {
      boundedExpected += part.worstUsd;
      boundedLow += part.promptUsd;
      continue;
    }
    expected += part.expectedUsd;
    lowFloor += part.promptUsd;
    highCeiling += part.worstUsd;
    const scope = byScope.get(part.stats) ?? { samplesRate: 0, samplesRate2: 0 };
    scope.samplesRate += part.samples * part.outputRateUsd;
    scope.samplesRate2 += part.samples * part.outputRateUsd ** 2;
    byScope.set(part.stats, scope);
  }
  let variance = 0;
  for (const [stats, { samplesRate, samplesRate2 }] of byScope) {
    const sd = stats.outputTokens.sd ?? 0;
    variance += sd ** 2 * (samplesRate2 + samplesRate ** 2 / stats.outputTokens.count);
  }
  const half = Z_95 * Math.sqrt(variance);
  return {
    trials: parts.length,
    samples,
    expectedCostUsd: expected + boundedExpected,
    lowCostUsd: Math.max(lowFloor, expected - half) + boundedLow,
    highCostUsd: Math.min(highCeiling, expected + half) + boundedExpected,
  };
}
