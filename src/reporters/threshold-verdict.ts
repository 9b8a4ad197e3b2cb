import { settingKey, type Setting } from '../core/setting.js';
import type { RunSummary } from '../results/run-summary.js';

/**
 * Which gated settings the tables mark below their threshold, so a table never contradicts the gate:
 * a setting sampled until decided is below when the gate failed it on its threshold (decided below,
 * or undecided and failed by `sequential.undecided`), whatever its point estimate; any other gated
 * setting when its pass rate is under the threshold. Settings not gated are never marked.
 */
export function belowThreshold(summary: Pick<RunSummary, 'gate' | 'sequential'>): (g: Setting & { gated?: boolean; passRate: number | null; threshold: number }) => boolean {
  const sequential = new Set((summary.sequential?.groups ?? []).map(settingKey));
  const failed = new Set(
    summary.gate.reasons.flatMap((r) =>
      (r.code === 'BELOW_THRESHOLD' || r.code === 'UNDECIDED') && r.suite !== undefined && r.model !== undefined && r.thinkingLevel !== undefined && r.numberResults !== undefined
        ? [settingKey({ suite: r.suite, model: r.model, thinkingLevel: r.thinkingLevel, numberResults: r.numberResults })]
        : [],
    ),
  );
  return (g) => {
    if (g.gated === false || g.passRate === null) return false;
    return sequential.has(settingKey(g)) ? failed.has(settingKey(g)) : g.passRate < g.threshold;
  };
}
