import type { CostEstimate } from './cost-estimate.js';
import { measuredCostPerRequest, projectSetting, type CostPerRequest, type TrafficProjection } from './project-traffic.js';
import type { Traffic } from './traffic.js';
import type { UsageHistory } from './usage-history.js';

/**
 * `evalgate estimate --traffic`: each planned suite × model × thinkingLevel at production traffic.
 * Cost per request is measured where earlier runs sampled the setting (their recorded cost per
 * sample); otherwise it is the estimate's own per-sample figures, with the estimate's basis (for
 * `maxTokens`, a bound). Pure.
 */
export function projectPlan(estimate: CostEstimate, history: UsageHistory, traffic: Traffic): TrafficProjection {
  const settings = new Map<string, { suite: string; model: string; thinkingLevel: CostEstimate['groups'][number]['thinkingLevel']; groups: CostEstimate['groups'] }>();
  for (const group of estimate.groups) {
    const key = `${group.suite}\u0000${group.model}\u0000${group.thinkingLevel}`;
    const entry = settings.get(key) ?? { suite: group.suite, model: group.model, thinkingLevel: group.thinkingLevel, groups: [] };
    entry.groups.push(group);
    settings.set(key, entry);
  }
  const groups = [...settings.values()].map((setting) => {
    const measured = history.forSetting(setting.suite, setting.model, setting.thinkingLevel);
    const cost = (measured && measuredCostPerRequest(measured.costUsd, 'history')) ?? fromEstimate(setting.groups);
    return projectSetting(setting, cost, traffic);
  });
  return { traffic, groups };
}

function fromEstimate(groups: CostEstimate['groups']): CostPerRequest {
  const samples = groups.reduce((n, g) => n + g.samples, 0);
  const per = (pick: (g: CostEstimate['groups'][number]) => number) => groups.reduce((sum, g) => sum + pick(g), 0) / samples;
  const basis = groups.some((g) => g.basis === 'maxTokens') ? 'maxTokens' : 'history';
  return { basis, samples: 0, mean: per((g) => g.expectedCostUsd), p95: per((g) => g.highCostUsd), meanCi95: [per((g) => g.lowCostUsd), per((g) => g.highCostUsd)] };
}
