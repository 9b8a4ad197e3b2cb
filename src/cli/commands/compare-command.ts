import Table from 'cli-table3';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { sanitizeForTerminal } from '../../reporters/terminal-text.js';
import { compareCases, type CaseComparison } from '../../results/compare-cases.js';
import { compareRuns } from '../../gate/judge-comparison.js';
import type { Comparison } from '../../results/compare-runs.js';
import { formatCappedList, formatMs, formatPercent, formatUsd } from '../../core/format-figures.js';
import type { RunSummary } from '../../results/run-summary.js';
import { readRunSummary } from '../../run/read-baseline.js';
import type { CliIo } from '../cli-io.js';
import { loadCommandConfig } from './load-command-config.js';
import type { CompareArgs } from '../cli-options.js';
import { MATCH_BY_SETTING, MATCH_BY_SUITE, settingLabel } from '../../core/setting.js';

/** Case rows shown before "and N more" without --all-cases. */
const SHOWN_CASES = 20;

/**
 * `evalgate compare <run A> <run B>`: B against A, setting by setting, with a paired test on their
 * shared cases and a verdict per row: better, worse, or no significant difference. Informational:
 * exits 0 (the gate is `evalgate run --baseline`).
 */
export async function compareCommand(args: CompareArgs, io: CliIo): Promise<number> {
  const config = await loadCommandConfig(args, io);
  const a = readRunSummary(args.runA, io.cwd, 'run A');
  const b = readRunSummary(args.runB, io.cwd, 'run B');
  const labels = new Map<string, string>();
  if (args.by === 'suite') for (const [summary, side] of [[a, 'A'], [b, 'B']] as const) labelSuites(summary, side, labels);
  const match = args.by === 'suite' ? MATCH_BY_SUITE : MATCH_BY_SETTING;
  const comparison = compareRuns(a, b, config.gate, match);
  const cases = compareCases(a.cases, b.cases, config.gate.alpha, match);
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ ...comparison, cases }, null, 2)}\n`);
    return ExitCode.ok;
  }
  io.stdout.write(renderComparison(comparison, a.runId, b.runId, labels));
  io.stdout.write(renderCaseComparison(cases, labels, args.allCases ? Infinity : SHOWN_CASES));
  return ExitCode.ok;
}

/** Renders a comparison as a table and the cases that changed. */
export function renderComparison(comparison: Comparison, runA: string, runB: string, labels: ReadonlyMap<string, string>): string {
  const table = new Table({
    head: ['suite', 'setting', `pass A`, `pass B`, 'Δ points', 'p (one-sided, Holm)', 'test', '$/sample A → B', 'p95 A → B', 'verdict'],
    style: { head: [], border: [], compact: true },
  });
  for (const g of comparison.groups) {
    const delta = g.drop === null ? '—' : `${g.drop > 0 ? '−' : '+'}${Math.abs(g.drop * 100).toFixed(1)}`;
    // The p of the direction the pass rate moved, adjusted as the verdict is.
    const p = g.drop !== null && g.drop < 0 ? g.pRiseAdjusted : g.pDropAdjusted;
    const setting = labels.get(`${g.suite}`) ?? settingLabel(g);
    const verdict = g.verdict === 'worse' ? 'worse' : g.verdict === 'better' ? 'better' : 'no significant difference';
    table.push([g.suite, setting, formatPercent(g.before.passRate), formatPercent(g.after.passRate), delta, p.toPrecision(2), g.test,
      `${formatUsd(g.before.costPerSampleUsd)} → ${formatUsd(g.after.costPerSampleUsd)}`, `${formatMs(g.before.p95LatencyMs)} → ${formatMs(g.after.p95LatencyMs)} ms`,
      g.regressions.length ? `${verdict} (${g.regressions.join(', ')})` : verdict]);
  }
  const lines = [`B = ${runB} against A = ${runA}`, table.toString()];
  for (const [title, list] of [['Cases that passed every sample in A and failed every one in B', comparison.regressedCases], ['Cases that failed every sample in A and passed every one in B', comparison.fixedCases]] as const) {
    if (list.length === 0) continue;
    lines.push(`${title}:`, ...list.map((c) => `  ${sanitizeForTerminal(`${c.suite}/${c.case}`, { singleLine: true })} · ${settingLabel(c)}: ${c.before.passed}/${c.before.completed} → ${c.after.passed}/${c.after.completed}`));
  }
  if (comparison.addedGroups.length) lines.push(`Only in B: ${comparison.addedGroups.join('; ')}`);
  if (comparison.removedGroups.length) lines.push(`Only in A: ${comparison.removedGroups.join('; ')}`);
  const ids = (listed: readonly string[], total: number) => sanitizeForTerminal(formatCappedList(listed, total, 10), { singleLine: true });
  if (comparison.addedCases) lines.push(`Cases only in B (${comparison.addedCases}): ${ids(comparison.addedCaseIds, comparison.addedCases)}`);
  if (comparison.removedCases) lines.push(`Cases only in A (${comparison.removedCases}): ${ids(comparison.removedCaseIds, comparison.removedCases)}`);
  return `${lines.join('\n')}\n`;
}

/** The shared cases side by side, changed first, at most `shown` rows before "and N more". */
export function renderCaseComparison(cases: readonly CaseComparison[], labels: ReadonlyMap<string, string>, shown: number): string {
  if (cases.length === 0) return '';
  const changed = cases.filter((c) => c.before.passed / c.before.completed !== c.after.passed / c.after.completed).length;
  const table = new Table({ head: ['case', 'setting', 'passed A', 'passed B', 'p (one-sided, Holm)', 'verdict'], style: { head: [], border: [], compact: true } });
  for (const c of cases.slice(0, shown)) {
    const verdict = c.verdict === 'same' ? 'no significant difference' : c.verdict;
    table.push([sanitizeForTerminal(`${c.suite}/${c.case}`, { singleLine: true }), labels.get(c.suite) ?? settingLabel(c), `${c.before.passed}/${c.before.completed}`, `${c.after.passed}/${c.after.completed}`, c.pAdjusted.toPrecision(2), verdict]);
  }
  const lines = [`Cases in both runs: ${cases.length}, ${changed} with a different pass rate (Fisher's exact test per case, Holm-adjusted within each setting)`, table.toString()];
  if (cases.length > shown) lines.push(`… and ${cases.length - shown} more (${Math.max(0, changed - shown)} of them changed); --all-cases lists every one`);
  return `${lines.join('\n')}\n`;
}

/** `--by suite`: checks each suite has one setting in the run, and names it in `labels` (`A's setting vs B's`). */
function labelSuites(summary: RunSummary, side: 'A' | 'B', labels: Map<string, string>): void {
  const counts = new Map<string, number>();
  for (const g of summary.groups) counts.set(g.suite, (counts.get(g.suite) ?? 0) + 1);
  const many = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
  if (many.length > 0) {
    throw new EvalgateError('USAGE', `--by suite needs one setting per suite in each run; run ${side} has several for ${many.join(', ')}`, {
      hint: 'compare with --by setting, or run each setting on its own (--levels, --samples)',
    });
  }
  for (const g of summary.groups) labels.set(g.suite, `${labels.get(g.suite) ?? ''}${side === 'A' ? '' : ' vs '}${settingLabel(g)}`);
}
