import type { ThinkingLevel } from '../core/runware-limits.js';
import type { GroupSummary } from './group-summary.js';
import { wilsonInterval } from '../stats/wilson-interval.js';

/**
 * What a product ships: a model at a thinking level. numberResults is how samples were drawn, not a
 * setting one ships (every result is an independent draw with its own seed), so the groups of one
 * model and level at several numberResults are pooled into one.
 */
export interface ShippedSetting {
  model: string;
  thinkingLevel: ThinkingLevel;
}

/** One numberResults the pooled setting was run at, and what a sample cost with it. */
export interface SamplingPlan {
  numberResults: number;
  /** Completed samples drawn this way. */
  samples: number;
  costPerSampleUsd: number | null;
}

/** What a suite's settings suggest: the cheapest that surely meets the threshold, and the trade-offs. */
export interface SuiteRecommendation {
  suite: string;
  /**
   * The cheapest model × thinkingLevel whose 95% lower bound (pooled over its numberResults) meets the
   * threshold; null when none does yet. `plans`: each numberResults it ran at, with its own cost per sample.
   */
  cheapest: (ShippedSetting & { costPerSampleUsd: number; passRateLowerBound: number; plans: SamplingPlan[] }) | null;
  /** Model × level settings no other beats on both pass rate and cost per sample. */
  paretoFront: ShippedSetting[];
}

interface Pooled extends ShippedSetting {
  passRate: number;
  lowerBound: number | null;
  costPerSampleUsd: number | null;
  threshold: number;
  plans: SamplingPlan[];
}

/**
 * Per suite: the cheapest model × thinkingLevel whose pass rate is at or above the threshold with 95%
 * confidence (the interval's lower bound, not the point estimate: a lucky small sample does not
 * qualify), and the Pareto front of pass rate against cost per sample. Groups at several numberResults
 * pool: passes and completed samples add up, and so do their effective sample sizes (each group's is
 * already discounted for its correlated samples).
 */
export function recommendSettings(groups: readonly GroupSummary[]): SuiteRecommendation[] {
  const suites = [...new Set(groups.map((g) => g.suite))];
  return suites.map((suite) => {
    const own = pool(groups.filter((g) => g.suite === suite && g.passRate !== null)).filter((p): p is Pooled & { costPerSampleUsd: number } => p.costPerSampleUsd !== null);
    const best = own.filter((p) => p.lowerBound !== null && p.lowerBound >= p.threshold).sort((a, b) => a.costPerSampleUsd - b.costPerSampleUsd)[0];
    const dominated = (p: (typeof own)[number]) =>
      own.some((q) => q !== p && q.passRate >= p.passRate && q.costPerSampleUsd <= p.costPerSampleUsd && (q.passRate > p.passRate || q.costPerSampleUsd < p.costPerSampleUsd));
    return {
      suite,
      cheapest: best ? { model: best.model, thinkingLevel: best.thinkingLevel, costPerSampleUsd: best.costPerSampleUsd, passRateLowerBound: best.lowerBound!, plans: best.plans } : null,
      paretoFront: own.filter((p) => !dominated(p)).sort((a, b) => a.costPerSampleUsd - b.costPerSampleUsd).map((p) => ({ model: p.model, thinkingLevel: p.thinkingLevel })),
    };
  });
}

function pool(groups: readonly GroupSummary[]): Pooled[] {
  const byShipped = new Map<string, GroupSummary[]>();
  for (const g of groups) {
    const key = `${g.model}\u0000${g.thinkingLevel}`;
    byShipped.set(key, [...(byShipped.get(key) ?? []), g]);
  }
  return [...byShipped.values()].map((list) => {
    const passed = list.reduce((s, g) => s + g.passed, 0);
    const completed = list.reduce((s, g) => s + g.passed + g.failed, 0);
    const effective = list.reduce((s, g) => s + g.effectiveSamples, 0);
    // Pass counts pool over every group; cost only over the groups that have one.
    const costed = list.filter((g) => g.costPerSampleUsd !== null);
    const totalCosted = costed.reduce((s, g) => s + (g.costPerSampleUsd! > 0 ? g.costUsd / g.costPerSampleUsd! : g.passed + g.failed), 0);
    const passRate = list.length === 1 ? list[0]!.passRate! : passed / completed;
    const interval = list.length === 1 ? list[0]!.passRateCi95 : wilsonInterval(passRate * effective, effective);
    return {
      model: list[0]!.model,
      thinkingLevel: list[0]!.thinkingLevel,
      passRate,
      lowerBound: interval ? interval[0] : null,
      costPerSampleUsd: costed.length === 0 ? null : totalCosted > 0 ? costed.reduce((s, g) => s + g.costUsd, 0) / totalCosted : 0,
      threshold: list[0]!.threshold,
      plans: list.map((g) => ({ numberResults: g.numberResults, samples: g.passed + g.failed, costPerSampleUsd: g.costPerSampleUsd })).sort((a, b) => a.numberResults - b.numberResults),
    };
  });
}
