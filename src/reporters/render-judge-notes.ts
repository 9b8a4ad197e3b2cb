import { formatCount, formatUsd } from '../core/format-figures.js';
import type { RunSummary } from '../results/run-summary.js';
import type { Counters } from '../results/group-summary.js';

/**
 * `Judge: 24 calls (6 cached) · $0.163, apart from the answers' $0.146 · run total $0.309 · 2 samples
 * judge unsure`: what grading cost, kept apart from the candidate's cost (which $/sample, the cheapest
 * setting and projections use); empty when no judge graded anything.
 */
export function describeJudgeCost(totals: Counters): string | undefined {
  if (totals.judgeCostUsd === undefined || !totals.judge) return undefined;
  const { calls, cachedCalls, unsureSamples } = totals.judge;
  const cached = cachedCalls > 0 ? ` (${formatCount(cachedCalls)} cached, not paid again)` : '';
  const unsure = unsureSamples > 0 ? ` · ${formatCount(unsureSamples)} sample${unsureSamples === 1 ? '' : 's'} judge unsure` : '';
  return (
    `Judge: ${formatCount(calls)} call${calls === 1 ? '' : 's'}${cached} · ${formatUsd(totals.judgeCostUsd)}, apart from the answers' ${formatUsd(totals.costUsd)} · ` +
    `run total ${formatUsd(totals.costUsd + totals.judgeCostUsd)}${unsure}`
  );
}

/** Cases with samples whose judge verdicts split, most unsure first. */
export function judgeUnsureCases(summary: Pick<RunSummary, 'cases'>): RunSummary['cases'] {
  return summary.cases.filter((c) => (c.judgeUnsure ?? 0) > 0).sort((a, b) => (b.judgeUnsure ?? 0) - (a.judgeUnsure ?? 0));
}
