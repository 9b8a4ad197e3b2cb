import type { ThinkingLevel } from '../config/runware-limits.js';
import type { GroupSummary } from './run-summary.js';

/** A setting, as recommendations name it. */
export interface SettingRef {
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
}

/** What a suite's settings suggest: the cheapest that surely meets the threshold, and the trade-offs. */
export interface SuiteRecommendation {
  suite: string;
  /** The cheapest setting whose 95% lower bound meets the threshold; null when none does yet. */
  cheapest: (SettingRef & { costPerSampleUsd: number; passRateLowerBound: number }) | null;
  /** Settings no other beats on both pass rate and cost per sample. */
  paretoFront: SettingRef[];
}

const ref = (g: GroupSummary): SettingRef => ({ model: g.model, thinkingLevel: g.thinkingLevel, numberResults: g.numberResults });

/**
 * Per suite: the cheapest setting whose pass rate is at or above the threshold with 95% confidence
 * (the interval's lower bound, not the point estimate: a lucky small sample does not qualify), and the
 * Pareto front of pass rate against cost per sample.
 */
export function recommendSettings(groups: readonly GroupSummary[]): SuiteRecommendation[] {
  const suites = [...new Set(groups.map((g) => g.suite))];
  return suites.map((suite) => {
    const own = groups.filter((g) => g.suite === suite && g.passRate !== null && g.costPerSampleUsd !== null);
    const qualifying = own
      .filter((g) => g.passRateCi95 !== null && g.passRateCi95[0] >= g.threshold)
      .sort((a, b) => a.costPerSampleUsd! - b.costPerSampleUsd!);
    const best = qualifying[0];
    const dominated = (g: GroupSummary) =>
      own.some((h) => h !== g && h.passRate! >= g.passRate! && h.costPerSampleUsd! <= g.costPerSampleUsd! && (h.passRate! > g.passRate! || h.costPerSampleUsd! < g.costPerSampleUsd!));
    return {
      suite,
      cheapest: best ? { ...ref(best), costPerSampleUsd: best.costPerSampleUsd!, passRateLowerBound: best.passRateCi95![0] } : null,
      paretoFront: own.filter((g) => !dominated(g)).sort((a, b) => a.costPerSampleUsd! - b.costPerSampleUsd!).map(ref),
    };
  });
}
