import Table from 'cli-table3';
import type { EstimateFile, EstimateGroup } from '../cost/cost-estimate.js';
import type { SequentialEstimate } from '../cost/sequential-estimate.js';
import type { TrafficProjection, UsdWithCi } from '../cost/project-traffic.js';
import type { MeanAndP95 } from '../stats/streaming-distribution.js';
import { formatCount, formatCountOf, formatExactPercent, formatPercent, formatUsd } from '../core/format-figures.js';
import type { Painter } from './terminal-text.js';

const TABLE_STYLE = { head: [], border: [], compact: true };

/** `$0.45–$0.61` */
export function formatUsdRange(low: number, high: number): string {
  return `${formatUsd(low)}–${formatUsd(high)}`;
}

/**
 * `evalgate estimate`'s console report: a table per suite (trials, samples, expected cost and its
 * range, the tokens behind it and the basis of every row), the total, and with `--traffic` the
 * projection. Pure: returns the text.
 */
export function renderEstimateReport(file: EstimateFile, suites: readonly { name: string; file: string }[], paint: Painter): string {
  const out: string[] = [];
  const t = file.totals;
  const isExact = file.groups.some((g) => g.promptCostSource === 'dryRun');
  const sent = isExact ? 'prompts priced by Runware dry runs: nothing was run or charged' : 'nothing was sent';
  out.push(`${paint('bold', 'evalgate')} estimate · ${formatCountOf(t.trials, 'trial')} · ${formatCountOf(t.samples, 'sample')} · ${sent}`);
  out.push(
    file.history.runs > 0
      ? `History: ${formatCountOf(file.history.samples, 'sample')} from ${formatCountOf(file.history.runs, 'run')} in ${file.historyDir} (output and thinking tokens learned from them)`
      : paint('yellow', `History: no earlier run in ${file.historyDir}; output bounded by maxTokens (run once to learn, or point --history at a run)`),
  );
  out.push('');
  for (const suite of suites) {
    const groups = file.groups.filter((g) => g.suite === suite.name);
    if (groups.length === 0) continue;
    out.push(`${paint('bold', suite.name)} ${paint('dim', `(${suite.file})`)}`);
    out.push(renderGroups(groups), '');
  }
  out.push(paint('bold', `Total: ${formatCountOf(t.trials, 'trial')} · ${formatCountOf(t.samples, 'sample')} · expected ${formatUsd(t.expectedCostUsd)} (95% range ${formatUsdRange(t.lowCostUsd, t.highCostUsd)})`));
  if (file.groups.some((g) => g.basis === 'maxTokens')) {
    out.push(paint('yellow', 'basis maxTokens: no history for that setting, so every result is assumed to use all of maxTokens and be billed no more, thinking included (an upper bound, not an expectation; Runware does not document that maxTokens caps thinking, and a run checks it).'));
  }
  if (file.judge) {
    const j = file.judge;
    out.push(`Judge: ${formatCount(j.calls)} judge call${j.calls === 1 ? '' : 's'} · about ${formatUsd(j.expectedCostUsd)} (at most ${formatUsd(j.highCostUsd)}), apart from the answers' figures above; cached verdicts cost nothing`);
  }
  if (file.unpriced.length > 0) out.push(paint('yellow', `Not in the figures (no price in the model table): ${file.unpriced.join(', ')}`));
  if (file.untilDecided) out.push('', ...renderUntilDecided(file.untilDecided, paint));
  if (file.projection) out.push('', renderProjection(file.projection, paint));
  return `${out.join('\n')}\n`;
}

/**
 * `--until-decided`: per setting, the pass rate the simulation drew from, the cases and samples a run
 * is expected to take (mean and p90, of those planned) and its cost against the fixed plan's; then
 * the total, and which settings had no pass rate to simulate.
 */
function renderUntilDecided(estimate: SequentialEstimate, paint: Painter): string[] {
  const table = new Table({
    head: ['suite', 'model', 'level', 'n', 'threshold', 'pass rate', 'cases avg/p90', 'samples avg/p90', 'fixed plan', 'until decided'],
    style: TABLE_STYLE,
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const g of estimate.groups) {
    table.push([
      g.suite,
      g.model,
      g.thinkingLevel,
      String(g.numberResults),
      `${formatExactPercent(g.threshold)}${g.gated ? '' : ' (not gated)'}`,
      g.basis === 'none' ? 'no history' : `${formatPercent(g.historyPassRate)} (${g.basis === 'cases' ? 'by case' : 'rate'})`,
      `${formatCount(g.cases.mean)} / ${formatCount(g.cases.p90)} of ${formatCount(g.plannedCases)}`,
      `${formatCount(g.samples.mean)} / ${formatCount(g.samples.p90)} of ${formatCount(g.plannedSamples)}`,
      formatUsd(g.fixedCostUsd),
      formatUsd(g.expectedCostUsd),
    ]);
  }
  const t = estimate.totals;
  const share = t.plannedSamples > 0 ? formatPercent(t.expectedSamples / t.plannedSamples, 0) : '—';
  const lines = [
    paint('bold', 'Until decided') + paint('dim', ` (the gate's sequential tests run ${estimate.repetitions} times per setting at its pass rate in history, seed ${estimate.seed}, α = ${estimate.alpha}; the threshold question only):`),
    table.toString(),
    paint('bold', `Until decided: expected ${formatUsd(t.expectedCostUsd)} against ${formatUsd(t.fixedCostUsd)} for the fixed plan (${formatCount(t.expectedSamples)} of ${formatCount(t.plannedSamples)} samples, ${share})`),
  ];
  const unknown = estimate.groups.filter((g) => g.basis === 'none');
  if (unknown.length > 0) lines.push(paint('yellow', `No pass rate in history for ${unknown.length} setting${unknown.length === 1 ? '' : 's'}: priced at the fixed plan (run once, or point --history at a run that has them).`));
  lines.push(paint('dim', 'A run with --baseline also waits for the regression question, and trials in flight when a setting stops still land: expect somewhat more.'));
  return lines;
}

function renderGroups(groups: readonly EstimateGroup[]): string {
  const table = new Table({
    head: ['model', 'level', 'n', 'trials', 'samples', 'expected', '95% range', '$/sample', 'prompt tok', 'out tok avg/p95', 'think tok avg/p95', 'basis'],
    style: TABLE_STYLE,
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const g of groups) {
    table.push([
      g.model,
      g.thinkingLevel,
      String(g.numberResults),
      formatCount(g.trials),
      formatCount(g.samples),
      formatUsd(g.expectedCostUsd),
      formatUsdRange(g.lowCostUsd, g.highCostUsd),
      formatUsd(g.samples > 0 ? g.expectedCostUsd / g.samples : null),
      formatCount(g.promptTokensPerSample),
      formatTokens(g.completionTokens),
      formatTokens(g.thinkingTokens),
      describeBasis(g),
    ]);
  }
  return table.toString();
}

function describeBasis(g: EstimateGroup): string {
  if (g.basis === 'maxTokens') return 'maxTokens';
  // historySamples counts the setting's own samples: none when it was learned from the model at that level.
  return g.historySamples > 0 ? `history (${g.historyScope}, ${formatCount(g.historySamples)})` : `history (${g.historyScope})`;
}

function formatTokens(value: MeanAndP95 | null): string {
  return value ? `${formatCount(value.mean)} / ${formatCount(value.p95)}` : '—';
}

/** The projection as a table: per setting, cost per request (mean, p95), per day and per month with 95% intervals. */
export function renderProjection(projection: TrafficProjection, paint: Painter): string {
  const { traffic } = projection;
  const table = new Table({
    head: ['suite', 'model', 'level', '$/request', 'p95', 'per day (95% CI)', 'per month (95% CI)', 'basis'],
    style: TABLE_STYLE,
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const g of projection.groups) {
    table.push([
      g.suite,
      g.model,
      g.thinkingLevel,
      formatUsd(g.costPerRequestUsd.mean),
      formatUsd(g.costPerRequestUsd.p95),
      formatWithCi(g.perDayUsd),
      formatWithCi(g.perMonthUsd),
      g.basis === 'maxTokens' ? 'maxTokens' : `${g.basis} (${formatCount(g.samples)})`,
    ]);
  }
  const rate = `${formatCount(traffic.requests)} requests/${traffic.per}`;
  return `${paint('bold', `Projection at ${rate}`)} ${paint('dim', `(a request is one result; a month is ${traffic.daysPerMonth} days)`)}\n${table.toString()}`;
}

function formatWithCi(value: UsdWithCi): string {
  return `${formatUsd(value.expected)} (${formatUsdRange(value.ci95[0], value.ci95[1])})`;
}
