import type { Comparison } from '../results/compare-runs.js';
import { formatPercent, formatSetting, formatUsd } from '../results/format-figures.js';
import type { GateReason } from '../results/run-summary.js';

/**
 * The gate's reasons from a comparison with the baseline: a significant pass-rate drop, a cost or
 * latency rise past its limit, a case that went from passing every sample to failing every one. Each
 * names the suite, the setting, before → after and, for pass rates, the p-value.
 */
export function regressionReasons(comparison: Comparison): GateReason[] {
  const reasons: GateReason[] = [];
  for (const g of comparison.groups) {
    const where = { suite: g.suite, model: g.model, thinkingLevel: g.thinkingLevel, numberResults: g.numberResults };
    const label = `${g.suite} · ${formatSetting(g)}`;
    if (g.regressions.includes('passRate')) {
      const points = ((g.drop ?? 0) * 100).toFixed(1);
      const test = g.test === 'none' ? '' : `; ${g.test}${g.pairedCases ? ` on ${g.pairedCases} paired cases` : ''}, one-sided p = ${g.pDrop.toPrecision(2)}, Holm-adjusted ${g.pDropAdjusted.toPrecision(2)}`;
      reasons.push({
        code: 'REGRESSION',
        message: `${label}: pass rate ${formatPercent(g.before.passRate)} → ${formatPercent(g.after.passRate)} (−${points} points${test}) against baseline ${comparison.baselineRunId}`,
        ...where,
      });
    }
    if (g.regressions.includes('cost')) {
      const rise = g.after.costPerSampleUsd! / g.before.costPerSampleUsd! - 1;
      reasons.push({ code: 'COST_REGRESSION', message: `${label}: cost per sample ${formatUsd(g.before.costPerSampleUsd)} → ${formatUsd(g.after.costPerSampleUsd)} (+${formatPercent(rise, 0)}${g.pCostRiseAdjusted === null ? '' : `; ${g.costTest}, one-sided p = ${g.pCostRiseAdjusted.toPrecision(2)} Holm-adjusted`})`, ...where });
    }
    if (g.regressions.includes('latency')) {
      const rise = g.after.p95LatencyMs! / g.before.p95LatencyMs! - 1;
      reasons.push({ code: 'LATENCY_REGRESSION', message: `${label}: p95 latency ${Math.round(g.before.p95LatencyMs!)} ms → ${Math.round(g.after.p95LatencyMs!)} ms (+${formatPercent(rise, 0)})`, ...where });
    }
  }
  for (const c of comparison.regressedCases) {
    reasons.push({
      code: 'CASE_REGRESSION',
      message: `${c.suite}/${c.case} · ${formatSetting(c)}: passed ${c.before.passed}/${c.before.completed} in the baseline, ${c.after.passed}/${c.after.completed} now`,
      suite: c.suite, model: c.model, thinkingLevel: c.thinkingLevel, numberResults: c.numberResults,
    });
  }
  return reasons;
}
