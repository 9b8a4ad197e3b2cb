import type { ThinkingLevel } from '../core/runware-limits.js';
import type { CostEstimate, EstimateGroup } from './cost-estimate.js';
import { measuredCostPerRequest, projectSetting, type CostPerRequest, type TrafficProjection } from './project-traffic.js';
import type { Traffic } from './traffic.js';
import type { UsageHistory } from './usage-history.js';

/** A suite × model × thinkingLevel: what a projection is made for (numberResults does not change a request's cost). */
export interface ProjectedSetting {
  suite: string;
  model: string;
  thinkingLevel: ThinkingLevel;
}

/**
 * Projects each setting to `traffic` from its measured cost per sample in `measured` (this run's
 * samples, basis `run`, or earlier runs', basis `history`); a setting measured too little takes
 * `fallback`'s figures, or is left out when there are none. Settings are taken once each, in order.
 */
export function projectSettings(
  settings: readonly ProjectedSetting[],
  measured: UsageHistory,
  basis: 'run' | 'history',
  traffic: Traffic,
  fallback: (setting: ProjectedSetting) => CostPerRequest | undefined = () => undefined,
): TrafficProjection {
  const seen = new Set<string>();
  const groups: TrafficProjection['groups'] = [];
  for (const setting of settings) {
    const key = `${setting.suite}\u0000${setting.model}\u0000${setting.thinkingLevel}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const stats = measured.forSetting(setting.suite, setting.model, setting.thinkingLevel);
    const cost = (stats && measuredCostPerRequest(stats.costUsd, basis)) ?? fallback(setting);
    if (cost) groups.push(projectSetting(setting, cost, traffic));
  }
  return { traffic, groups };
}

/**
 * `evalgate estimate --traffic`: each planned setting at production traffic, from earlier runs'
 * measured cost per sample; a setting they did not measure takes the estimate's own per-sample
 * figures and basis (for `maxTokens`, a bound). Pure.
 */
export function projectPlan(estimate: CostEstimate, history: UsageHistory, traffic: Traffic): TrafficProjection {
  return projectSettings(estimate.groups, history, 'history', traffic, (setting) => {
    const groups = estimate.groups.filter((g) => g.suite === setting.suite && g.model === setting.model && g.thinkingLevel === setting.thinkingLevel);
    return fromEstimate(groups);
  });
}

function fromEstimate(groups: readonly EstimateGroup[]): CostPerRequest {
  const samples = groups.reduce((n, g) => n + g.samples, 0);
  const per = (pick: (g: EstimateGroup) => number) => groups.reduce((sum, g) => sum + pick(g), 0) / samples;
  const basis = groups.some((g) => g.basis === 'maxTokens') ? 'maxTokens' : 'history';
  return { basis, samples: 0, mean: per((g) => g.expectedCostUsd), p95: per((g) => g.highCostUsd), meanCi95: [per((g) => g.lowCostUsd), per((g) => g.highCostUsd)] };
}
