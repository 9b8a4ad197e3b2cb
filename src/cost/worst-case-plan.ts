import { settingKey, type Setting } from '../core/setting.js';
import { settingOfTrial, type Trial } from '../plan/trial.js';
import { worstCaseCostUsd } from './worst-case-cost.js';

/** The most a set of trials can cost, in all and per setting (largest first). */
export interface WorstCasePlan {
  totalUsd: number;
  bySetting: (Setting & { usd: number })[];
  /** Models without a price: their trials cannot be bounded. */
  unpriced: string[];
}

/** Sums every trial's worst case (all of maxTokens used, for every result) by suite and setting. */
export function worstCasePlan(trials: readonly Trial[]): WorstCasePlan {
  const bySetting = new Map<string, WorstCasePlan['bySetting'][number]>();
  const unpriced = new Set<string>();
  let totalUsd = 0;
  for (const trial of trials) {
    const usd = worstCaseCostUsd(trial.request, trial.pricing);
    if (usd === null) {
      unpriced.add(trial.setting.model);
      continue;
    }
    totalUsd += usd;
    const setting = settingOfTrial(trial);
    const key = settingKey(setting);
    const entry = bySetting.get(key) ?? { ...setting, usd: 0 };
    entry.usd += usd;
    bySetting.set(key, entry);
  }
  return { totalUsd, bySetting: [...bySetting.values()].sort((a, b) => b.usd - a.usd), unpriced: [...unpriced] };
}
