import { formatCount, formatUsd } from '../core/format-figures.js';
import type { RunSummary } from '../results/run-summary.js';
import type { Painter } from './terminal-text.js';
import { settingLabel } from '../core/setting.js';

/** Settings named in a one-line note before "and N more". */
const NAMED = 3;

/** A sentence about the run's cost; `warn` when it says something needs fixing. */
export interface CostNote {
  text: string;
  warn: boolean;
}

/**
 * What every report says about cost beside the tables, each note present only when it has something
 * to say: what was spent beside what was expected before the run, and samples whose API cost
 * disagrees with the price table. Pure.
 */
export function costNotes(summary: RunSummary): CostNote[] {
  const notes: CostNote[] = [];
  if (summary.estimate) notes.push({ text: describeEstimate(summary.totals.costUsd, summary.estimate), warn: false });
  const mismatched = summary.groups.filter((g) => g.costMismatchSamples > 0);
  if (mismatched.length > 0) {
    const samples = mismatched.reduce((n, g) => n + g.costMismatchSamples, 0);
    const named = mismatched.slice(0, NAMED).map((g) => `${g.suite} · ${settingLabel(g)} ×${g.costMismatchSamples}`);
    if (mismatched.length > NAMED) named.push(`${mismatched.length - NAMED} more settings`);
    notes.push({
      text: `Prices: the API's cost of ${formatCount(samples)} sample${samples === 1 ? '' : 's'} differs from the price table by more than 1% (${named.join(', ')}); the API's figure is used. Check the model's price and thinkingBilling (docs/models.md).`,
      warn: true,
    });
  }
  return notes;
}

/**
 * The console report's lines about cost: {@link costNotes}, then with `--traffic` the projection,
 * one line per suite and model (every figure is in summary.json). Pure.
 */
export function renderCostNotes(summary: RunSummary, paint: Painter): string[] {
  const lines = costNotes(summary).map((n) => (n.warn ? paint('yellow', n.text) : n.text));
  if (summary.projection) lines.push(...describeProjection(summary.projection));
  return lines;
}

/** The heading of a projection: `Projection at 50,000 requests/day, per 30-day month (95% CI; a request is one result)`. */
export function projectionTitle(projection: NonNullable<RunSummary['projection']>): string {
  const { traffic } = projection;
  return `Projection at ${formatCount(traffic.requests)} requests/${traffic.per}, per ${traffic.daysPerMonth}-day month (95% CI; a request is one result)`;
}

/**
 * `Cost: $2.25 spent · $2.42 expected before the run (95% range $2.18–$2.66, learned from 1 earlier run)`,
 * or, with no history, `Cost: $2.39 spent · at most $7.03 before the run (…)`.
 */
function describeEstimate(spentUsd: number, estimate: NonNullable<RunSummary['estimate']>): string {
  const e = estimate.totals;
  if (estimate.groups.every((g) => g.basis === 'maxTokens')) {
    return `Cost: ${formatUsd(spentUsd)} spent · at most ${formatUsd(e.highCostUsd)} before the run (no earlier run to learn from: every result at maxTokens, none billed past it)`;
  }
  const runs = `${estimate.history.runs} earlier run${estimate.history.runs === 1 ? '' : 's'}`;
  const basis = estimate.groups.some((g) => g.basis === 'maxTokens') ? `learned from ${runs}; settings without history at maxTokens, a bound` : `learned from ${runs}`;
  return `Cost: ${formatUsd(spentUsd)} spent · ${formatUsd(e.expectedCostUsd)} expected before the run (95% range ${formatUsd(e.lowCostUsd)}–${formatUsd(e.highCostUsd)}, ${basis})`;
}

/** `Projection at 50,000 requests/day, per 30-day month (95% CI):` then `  suite · model: low $3,001 ($2,659–$3,343) · …` */
function describeProjection(projection: NonNullable<RunSummary['projection']>): string[] {
  const lines = [`${projectionTitle(projection)}:`];
  const rows = new Map<string, string[]>();
  for (const g of projection.groups) {
    const key = `${g.suite} · ${g.model}`;
    const m = g.perMonthUsd;
    rows.set(key, [...(rows.get(key) ?? []), `${g.thinkingLevel} ${formatUsd(m.expected)} (${formatUsd(m.ci95[0])}–${formatUsd(m.ci95[1])})`]);
  }
  for (const [key, levels] of rows) lines.push(`  ${key}: ${levels.join(' · ')}`);
  if (projection.groups.length === 0) lines.push('  no setting has two samples with a cost to project from');
  return lines;
}
