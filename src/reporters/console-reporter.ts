import { displayPath } from '../config/display-path.js';
import { describeJudgeCost, judgeUnsureCases } from './render-judge-notes.js';
import { formatCappedList, formatCount, formatCountOf, formatExactPercent, formatMs, formatPercent, formatUsd } from '../core/format-figures.js';
import { describeGateOn } from '../config/gate-on.js';
import type { Comparison } from '../results/compare-runs.js';
import type { SuiteRecommendation } from '../results/recommend-settings.js';
import type { RunSummary } from '../results/run-summary.js';
import type { CaseSummary } from '../results/group-summary.js';
import { ProgressDisplay, type ProgressDisplayOptions } from './progress-display.js';
import { renderCostNotes } from './render-cost-notes.js';
import { placeholderNote } from './placeholder-note.js';
import { renderSettingsTable } from './render-settings-table.js';
import { belowThreshold } from './threshold-verdict.js';
import { renderSequentialLines, renderSequentialTotals } from './render-sequential-lines.js';
import { deliveryNotes } from './settings-details.js';
import { renderGateLines } from './render-gate-lines.js';
import type { Reporter } from '../run/run-events.js';
import { fitToWidth, makePainter, sanitizeForTerminal, type Painter } from './terminal-text.js';
import { settingLabel } from '../core/setting.js';

/** New or removed case ids named in the baseline comparison before "and N more". */
const NAMED_CASE_IDS = 10;

export interface ConsoleReporterOptions {
  write: (text: string) => void;
  /** A terminal gets a live status line; anything else (CI logs) a plain line every few seconds. */
  isTTY: boolean;
  color: boolean;
  now: () => number;
  /** Paths are shown relative to this folder. */
  cwd: string;
  /** A live status line on a terminal, a plain line every few seconds elsewhere. @default true */
  showProgress?: boolean;
  /** @default 5000 */
  plainProgressEveryMs?: number;
  /** The terminal's width now; the status line is cut to it. */
  columns?: () => number | undefined;
  /** The progress display's periodic redraw (see ProgressDisplayOptions.every); for tests. */
  every?: ProgressDisplayOptions['every'];
  /** Most failing cases listed before "and N more". @default 20 */
  maxFailingCases?: number;
}

/**
 * `console`: a progress display while the run goes, then a table per suite, the failing cases with
 * their first failed assertion, the verdict with its reasons, and where the artefacts are.
 */
export function createConsoleReporter(options: ConsoleReporterOptions): Reporter {
  const paint = makePainter(options.color);
  const progress =
    options.showProgress === false
      ? undefined
      : new ProgressDisplay({
          write: options.write,
          isTTY: options.isTTY,
          paint,
          now: options.now,
          ...(options.columns ? { columns: options.columns } : {}),
          ...(options.plainProgressEveryMs !== undefined ? { plainEveryMs: options.plainProgressEveryMs } : {}),
          ...(options.every ? { every: options.every } : {}),
        });

  return {
    onRunStarted(event) {
      const simulated = !event.simulated ? '' : paint('yellow', event.provider === 'replay' ? ' (replayed from a simulated recording, not a real model)' : ' (simulated answers, not a real model)');
      options.write(`${paint('bold', 'evalgate')} run ${event.runId} · provider ${event.provider}${simulated}\n`);
      options.write(
        `${formatCountOf(event.suites.length, 'suite')} · ${formatCountOf(event.plannedTrials, 'trial')} · ` +
          `${formatCountOf(event.plannedSamples, 'sample')} · concurrency ${event.concurrency}\n`,
      );
      if (event.recordedTrials > 0) {
        options.write(`resuming: ${formatCountOf(event.recordedTrials, 'trial')} already recorded, ${formatCount(event.plannedTrials - event.recordedTrials)} to send\n`);
      }
      progress?.started(event);
    },

    onTrialDecided() {
      progress?.trialDecided();
    },
    onTrialFinished(event) {
      progress?.trialFinished(event);
    },

    onRunFailed() {
      progress?.stop();
    },

    onRunFinished({ summary, runDir }) {
      progress?.stop();
      // A terminal gets tables and lines that fit its width; a log (CI) keeps every column.
      const width = options.isTTY ? options.columns?.() : undefined;
      options.write(renderRunReport(summary, displayPath(runDir, options.cwd), paint, options.maxFailingCases ?? 20, width));
    },
  };
}

/**
 * The end-of-run report as text (exported for tests and `evalgate report`). With `width` (a
 * terminal's columns), each settings table leaves out the columns that do not fit, saying which, and
 * each failing case's line is cut to the width; without it (a CI log), every column and all the text.
 */
export function renderRunReport(summary: RunSummary, runDir: string, paint: Painter, maxFailingCases: number, width?: number): string {
  const out: string[] = [''];
  const omitted = new Set<string>();
  const isBelow = belowThreshold(summary);
  for (const suite of summary.config.suites) {
    const groups = summary.groups.filter((g) => g.suite === suite.name);
    if (groups.length === 0) continue;
    const gated = suite.gateOn ? ` on ${describeGateOn(suite.gateOn)} (the other settings are measured, not gated)` : '';
    out.push(`${paint('bold', suite.name)} ${paint('dim', `(${suite.file})`)} · threshold ${formatExactPercent(suite.threshold)}${gated}`);
    const table = renderSettingsTable(groups, paint, width, isBelow);
    table.omitted.forEach((column) => omitted.add(column));
    out.push(table.text);
    // The notes explain the delivery and stream columns: without them, they explain nothing.
    if (!table.omitted.includes('delivery')) out.push(...deliveryNotes(groups).map((note) => paint('dim', note)));
    if (summary.sequential) out.push(...renderSequentialLines(summary.sequential, suite.name, paint, width));
    const advice = summary.recommendations.find((r) => r.suite === suite.name);
    if (advice) out.push(...describeRecommendation(advice, suite.threshold).map((line) => paint('dim', line)));
    out.push('');
  }
  if (omitted.size > 0) out.push(paint('dim', `Narrow terminal: ${[...omitted].join(', ')} left out; summary.md and report.html have every column.`), '');
  if (summary.baseline) out.push(...describeComparison(summary.baseline, paint), '');

  const failing = summary.cases.filter((c) => c.failed > 0);
  if (failing.length > 0) {
    const isMultiModel = new Set(summary.groups.map((g) => g.model)).size > 1;
    const consistent = failing.filter((c) => !c.flaky);
    const flaky = failing.filter((c) => c.flaky);
    out.push(paint('bold', `Failing cases (${consistent.length} failing every sample, ${flaky.length} flaky)`));
    for (const c of [...consistent, ...flaky].slice(0, maxFailingCases)) {
      if (width === undefined) out.push(`  ${describeFailingCase(c, paint)}`);
      else out.push(...describeFailingCase(c, paint, { showModel: isMultiModel }).split('\n').map((line, i) => fitToWidth(`${i === 0 ? '  ' : '      '}${line}`, width)));
    }
    if (failing.length > maxFailingCases) out.push(paint('dim', `  … and ${failing.length - maxFailingCases} more in summary.json`));
    out.push('');
  }

  const unsure = judgeUnsureCases(summary);
  if (unsure.length > 0) {
    out.push(paint('bold', `Judge unsure (${unsure.length} case${unsure.length === 1 ? '' : 's'} whose judge verdicts split; read them yourself)`));
    for (const c of unsure.slice(0, maxFailingCases)) out.push(`  ${paint('yellow', '?')} ${c.suite}/${c.case} · ${settingLabel(c)} · ${c.judgeUnsure} of ${c.samples} samples`);
    if (unsure.length > maxFailingCases) out.push(paint('dim', `  … and ${unsure.length - maxFailingCases} more in summary.json`));
    out.push('');
  }

  const t = summary.totals;
  out.push(
    `Totals: ${formatCountOf(t.samples, 'sample')} · ${formatCount(t.passed)} passed · ${formatCount(t.failed)} failed · ` +
      `${formatCount(t.errored)} errored · ${formatCount(t.retries)} ${t.retries === 1 ? 'retry' : 'retries'} · pass rate ${formatPercent(t.passRate)} · ${formatUsd(t.costUsd)} · ` +
      `p50 ${formatMs(t.latencyMs.p50)} ms · p95 ${formatMs(t.latencyMs.p95)} ms` +
      (t.timeToFirstTokenMs ? ` · TTFT p50 ${formatMs(t.timeToFirstTokenMs.p50)} ms` : ''),
  );
  if (summary.sequential) out.push(renderSequentialTotals(summary.sequential));
  if (t.waits.backoffMs.total > 0 || (t.waits.queueMs.p95 ?? 0) >= 1) {
    out.push(paint('dim', `Waits, not in latency: queue p95 ${formatMs(t.waits.queueMs.p95)} ms · backoff ${formatMs(t.waits.backoffMs.total)} ms in all (longest ${formatMs(t.waits.backoffMs.max)} ms)`));
  }
  const judgeCost = describeJudgeCost(t);
  if (judgeCost) out.push(judgeCost);
  out.push(...renderCostNotes(summary, paint));
  const errors = Object.entries(t.errorsByCode);
  if (errors.length > 0) out.push(paint('yellow', `Errors: ${errors.map(([code, n]) => `${code} ×${n}`).join(', ')} (not counted as failures)`));
  if (summary.simulated) {
    const source = summary.provider === 'replay' ? 'replayed from a recording of the built-in simulator' : 'simulated by the built-in simulator';
    out.push(paint('yellow', `These answers are ${source}; costs and latencies are illustrative.`));
  }
  const placeholders = placeholderNote(summary);
  if (placeholders) out.push(paint('yellow', `⚠ ${placeholders}`));

  out.push(...renderGateLines(summary, paint));
  out.push(paint('dim', `Artefacts: ${runDir}`), '');
  return out.join('\n');
}

/**
 * A failing case on one line; `short` (a terminal) puts the setting tersely (`low n=2`, with the model
 * only when the run has several) and the first failed assertion on a line of its own.
 */
function describeFailingCase(c: CaseSummary, paint: Painter, short?: { showModel: boolean }): string {
  const isShort = short !== undefined;
  const counts = isShort ? `${c.passed}/${c.passed + c.failed}${c.flaky ? ' flaky' : ''}` : `${c.passed}/${c.passed + c.failed} passed${c.flaky ? ', flaky' : ''}`;
  const first = c.firstFailure ? `${isShort ? '\n' : ' — '}${c.firstFailure.type}: ${sanitizeForTerminal(c.firstFailure.message, { singleLine: true })}` : '';
  const setting = short ? `${short.showModel ? `${c.model} ` : ''}${c.thinkingLevel} n=${c.numberResults}` : settingLabel(c);
  return `${paint(c.flaky ? 'yellow' : 'red', '✗')} ${c.suite}/${c.case} · ${setting} · ${counts}${first}`;
}

/** The recommendation lines of a suite: the cheapest setting that surely passes, and the Pareto front. */
export function describeRecommendation(advice: SuiteRecommendation, threshold: number): string[] {
  // No setting with a completed, costed sample: nothing to recommend from (every sample errored, say).
  if (!advice.cheapest && advice.paretoFront.length === 0) return [];
  const plans = (p: SuiteRecommendation['cheapest'] & object) =>
    p.plans.length > 1 ? `; pooled over numberResults ${p.plans.map((x) => `${x.numberResults} (${formatUsd(x.costPerSampleUsd)} a sample)`).join(', ')}` : '';
  const best = advice.cheapest
    ? `Cheapest setting that meets ${formatExactPercent(threshold)} with 95% confidence: ${advice.cheapest.model} · ${advice.cheapest.thinkingLevel} (${formatUsd(advice.cheapest.costPerSampleUsd)} a sample, lower bound ${formatPercent(advice.cheapest.passRateLowerBound, 0)}${plans(advice.cheapest)})`
    : `No setting meets ${formatExactPercent(threshold)} with 95% confidence yet: more cases (evalgate advise) or more effort`;
  const manyModels = new Set(advice.paretoFront.map((s) => s.model)).size > 1;
  const front = advice.paretoFront.length > 1 ? [`Pareto front, pass rate against cost: ${advice.paretoFront.map((s) => `${s.thinkingLevel}${manyModels ? ` ${s.model}` : ''}`).join(' → ')}`] : [];
  return [best, ...front];
}

function describeComparison(comparison: Comparison, paint: Painter): string[] {
  const count = (v: string) => comparison.groups.filter((g) => g.verdict === v).length;
  const lines = [
    paint('bold', `Against baseline ${comparison.baselineRunId}: `) +
      `${count('worse')} settings significantly worse, ${count('better')} better, ${count('same')} no significant difference` +
      (comparison.regressedCases.length || comparison.fixedCases.length ? `; ${comparison.regressedCases.length} cases newly failing every sample, ${comparison.fixedCases.length} fixed` : ''),
  ];
  const gated = comparison.groups.filter((g) => g.gated);
  lines.push(
    paint('dim', `Compared ${comparison.groups.length} settings (${gated.length} gated) and ${comparison.comparedCases} cases; ${comparison.family.size} tests in one family at α = ${comparison.family.alpha} (Holm)`),
  );
  for (const g of gated) {
    const change = g.drop === null ? 'no pass rate' : `${formatPercent(g.before.passRate)} → ${formatPercent(g.after.passRate)}`;
    const power = g.minDetectableDrop === null ? '' : `; detects drops of ${formatPercent(g.minDetectableDrop, 0)} or more with 80% power`;
    lines.push(`  ${g.suite} · ${settingLabel(g)}: ${change} (p = ${g.pDropAdjusted.toPrecision(2)} adjusted, ${g.verdict})${power}`);
  }
  // The settings not gated are counted in the first line: name the ones that changed, so "1 worse" can be found.
  for (const g of comparison.groups.filter((c) => !c.gated && c.verdict !== 'same')) {
    const change = g.drop === null ? 'no pass rate' : `${formatPercent(g.before.passRate)} → ${formatPercent(g.after.passRate)}`;
    const p = g.verdict === 'worse' ? g.pDropAdjusted : g.pRiseAdjusted;
    lines.push(paint('dim', `  ${g.suite} · ${settingLabel(g)}: ${change} (p = ${p.toPrecision(2)} adjusted, ${g.verdict}; not gated: reported, never failed)`));
  }
  if (comparison.addedGroups.length || comparison.removedGroups.length) {
    lines.push(paint('dim', `New settings: ${comparison.addedGroups.length}; removed: ${comparison.removedGroups.length} (reported, not failed)`));
  }
  const ids = (listed: readonly string[], total: number) => sanitizeForTerminal(formatCappedList(listed, total, NAMED_CASE_IDS), { singleLine: true });
  if (comparison.addedCases) lines.push(paint('dim', `New cases (${comparison.addedCases}, reported, not failed): ${ids(comparison.addedCaseIds, comparison.addedCases)}`));
  if (comparison.removedCases) lines.push(paint('dim', `Removed cases (${comparison.removedCases}, reported, not failed): ${ids(comparison.removedCaseIds, comparison.removedCases)}`));
  return lines;
}
