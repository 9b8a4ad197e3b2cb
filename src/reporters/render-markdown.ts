import { formatCappedList, formatCount, formatExactPercent, formatInterval, formatMs, formatPercent, formatUsd } from '../core/format-figures.js';
import { describeJudgeCost, judgeUnsureCases } from './render-judge-notes.js';
import type { RunSummary } from '../results/run-summary.js';
import type { CaseSummary, GroupSummary } from '../results/group-summary.js';
import { describeRecommendation } from './console-reporter.js';
import { costNotes, projectionTitle } from './render-cost-notes.js';
import { PLACEHOLDER_WARNING, placeholderNote } from './placeholder-note.js';
import { settingsDetails } from './settings-details.js';
import { belowThreshold } from './threshold-verdict.js';
import { sequentialFacts } from './sequential-facts.js';
import { sanitizeForTerminal } from './terminal-text.js';
import { settingLabel } from '../core/setting.js';

/** Failing cases shown before the rest fold into a <details>. */
const SHOWN_FAILURES = 25;
const CELL_CHARS = 160;
/**
 * A failed assertion's message is cut where it is made (an 80-character excerpt of the output, a
 * 200-character parser detail, with its pattern or schema path before them): summary.md shows it
 * whole up to this, so the text is cut once, not a second time in the middle of the first cut.
 */
const ASSERTION_MESSAGE_CHARS = 600;

/**
 * summary.md, for `$GITHUB_STEP_SUMMARY` and pull-request comments: the verdict first, then the
 * settings, then what failed, then what is flaky (folded). Stays readable at hundreds of cases:
 * long lists are cut and folded into <details>. Untrusted text is escaped for Markdown and HTML.
 */
export function renderMarkdown(summary: RunSummary): string {
  const { gate, totals } = summary;
  const out: string[] = [];
  const verdict = gate.passed ? '✅ evalgate: gate passed' : summary.interrupted ? '⏹️ evalgate: run interrupted' : '❌ evalgate: gate failed';
  out.push(`## ${verdict} (exit ${gate.exitCode})`, '');
  if (summary.simulated) {
    const source = summary.provider === 'replay' ? 'replayed from a simulated recording (the built-in simulator)' : 'from the built-in simulator';
    out.push(`> Answers ${source}, not a real model: figures are illustrative.`, '');
  }
  const placeholders = placeholderNote(summary);
  if (placeholders) out.push(`> ⚠️ **${cell(PLACEHOLDER_WARNING, 200)}**. ${cell(placeholders.slice(PLACEHOLDER_WARNING.length + 2), 600)}`, '');
  const isBelow = belowThreshold(summary);
  const below = summary.groups.filter(isBelow).length;
  // Settings not gated are never counted below (gateOn): the count is of the gated ones, and says so.
  const gated = summary.groups.filter((g) => g.gated !== false).length;
  const of = gated === summary.groups.length ? `${gated} settings` : `${gated} gated settings (of ${summary.groups.length})`;
  out.push(
    `**${below} of ${of} below threshold** · ${formatCount(totals.samples)} samples · ${formatCount(totals.passed)} passed · ` +
      `${formatCount(totals.failed)} failed · ${formatCount(totals.errored)} errored · ${formatUsd(totals.costUsd)} · p95 ${formatMs(totals.latencyMs.p95)} ms`,
    '',
  );
  const judgeCost = describeJudgeCost(totals);
  if (judgeCost) out.push(cell(judgeCost, 400), '');
  for (const reason of gate.reasons) out.push(`- ${cell(reason.message, 400)}`);
  if (gate.reasons.length) out.push('');
  const notices = gate.notices ?? [];
  if (notices.length) {
    out.push('<details><summary>Notices (said, not failed): ' + notices.length + '</summary>', '');
    for (const notice of notices) out.push(`- ${cell(notice.message, 400)}`);
    out.push('', '</details>', '');
  }

  out.push('### Settings', '', settingsTable(summary.groups, isBelow), '');
  let advised = 0;
  for (const advice of summary.recommendations) {
    const threshold = summary.config.suites.find((s) => s.name === advice.suite)?.threshold ?? 0;
    const lines = describeRecommendation(advice, threshold);
    if (lines.length === 0) continue;
    out.push(`- **${cell(advice.suite)}**: ${lines.map((l) => cell(l, 300)).join(' · ')}`);
    advised++;
  }
  if (advised > 0) out.push('');
  out.push(...sequentialSection(summary));
  out.push(...detailsSections(summary));
  out.push(...costSection(summary));
  if (summary.baseline) out.push(...comparisonSection(summary));

  const failing = summary.cases.filter((c) => c.failed > 0 && !c.flaky);
  const flaky = summary.cases.filter((c) => c.flaky);
  const erroredOnly = summary.cases.filter((c) => c.passed + c.failed === 0 && c.errored > 0);
  if (failing.length > 0) {
    out.push(`### Failing cases (${failing.length})`, '', 'Every completed sample failed.', '');
    out.push(...foldAfter(SHOWN_FAILURES, failing, 'more failing cases'));
  }
  if (erroredOnly.length > 0) {
    out.push(`### Cases with no answer (${erroredOnly.length})`, '', 'Every sample errored (not counted as failures).', '');
    out.push(...foldAfter(0, erroredOnly, 'cases with no answer'));
  }
  if (flaky.length > 0) {
    out.push(`### Flaky cases (${flaky.length})`, '', 'Some samples passed and some failed.', '');
    out.push(...foldAfter(0, flaky, 'flaky cases'));
  }
  const unsure = judgeUnsureCases(summary);
  if (unsure.length > 0) {
    out.push(`### Judge unsure (${unsure.length})`, '', "Cases with samples whose judge verdicts split: the judge's call is not to be trusted there.", '');
    out.push(...foldAfter(0, unsure, 'judge-unsure cases'));
  }
  out.push(`<sub>run ${cell(summary.runId)} · provider ${cell(summary.provider)} · every sample is in results.jsonl, the full figures in summary.json</sub>`, '');
  return out.join('\n');
}

function settingsTable(groups: readonly GroupSummary[], isBelow: (g: GroupSummary) => boolean): string {
  const rows = groups.map((g) => {
    const verdict = g.passRate === null ? '⚠️ no answers' : g.gated === false ? 'measured, not gated' : isBelow(g) ? `❌ below ${formatExactPercent(g.threshold)}` : '✅';
    return `| ${cell(g.suite)} | ${cell(g.model)} | ${g.thinkingLevel} | ${g.numberResults} | ${formatPercent(g.passRate)} | ${formatInterval(g.passRateCi95)} | ${g.errored} | ${formatUsd(g.costPerSampleUsd)} | ${formatUsd(g.costPer1kRequestsUsd)} | ${formatMs(g.latencyMs.p50)} | ${formatMs(g.latencyMs.p95)} | ${verdict} |`;
  });
  return [
    '| suite | model | level | n | pass rate | 95% CI | errored | $/sample | $/1k requests | p50 ms | p95 ms | verdict |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    ...rows,
  ].join('\n');
}

/** With `--until-decided`: per setting its verdict, when and on what evidence it was decided, and what stopping saved. */
function sequentialSection(summary: RunSummary): string[] {
  if (!summary.sequential) return [];
  const facts = sequentialFacts(summary.sequential);
  const head = ['suite', 'setting', 'verdict', 'threshold', ...(facts.hasRegression ? ['regression'] : []), 'saved'];
  const mark = { passes: '✅', fails: '❌', undecided: '❔' } as const;
  const rows = facts.settings.map((s) => {
    const verdict = `${s.gated ? `${mark[s.verdict]} ` : ''}${s.verdictText}`;
    const cells = [cell(s.suite), cell(settingLabel(s)), verdict, cell(s.threshold, 300), ...(facts.hasRegression ? [cell(s.regression ?? '—', 300)] : []), cell(s.saved)];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    '### Sampled until decided',
    '',
    `${cell(sentence(facts.totals), 300)}. ${cell(sentence(facts.about), 600)}.`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map((h) => (h === 'saved' ? '--:' : '---')).join('|')}|`,
    ...rows,
    '',
  ];
}

/**
 * Per suite, folded so the main table stays narrow: the latency tail, tokens by kind, pass@k and
 * pass^k, waits (apart from latency), total cost, and for streamed groups the time to first token.
 */
function detailsSections(summary: RunSummary): string[] {
  const out: string[] = [];
  for (const suite of summary.config.suites) {
    const groups = summary.groups.filter((g) => g.suite === suite.name);
    if (groups.length === 0) continue;
    const { head, rows, notes } = settingsDetails(groups);
    out.push(
      `<details><summary>Settings in detail: ${cell(suite.name)}</summary>`,
      '',
      `| ${head.join(' | ')} |`,
      `|${head.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`,
      ...rows.map((row) => `| ${row.map((c) => cell(c)).join(' | ')} |`),
      '',
      ...notes.flatMap((note) => [cell(note, 300), '']),
      '</details>',
      '',
    );
  }
  return out;
}

/** A table of cases: the first `shown` in the open, the rest folded into a <details>. */
function foldAfter(shown: number, cases: readonly CaseSummary[], what: string): string[] {
  const table = (list: readonly CaseSummary[]) => [
    '| case | setting | passed | first failed assertion |',
    '|---|---|--:|---|',
    ...list.map((c) => {
      const problem = c.firstFailure ? `${c.firstFailure.type}: ${c.firstFailure.message}` : c.errored > 0 ? `${c.errored} errored` : '';
      return `| ${cell(`${c.suite}/${c.case}`)} | ${cell(settingLabel(c))} | ${c.passed}/${c.passed + c.failed} | ${cell(problem, ASSERTION_MESSAGE_CHARS)} |`;
    }),
  ];
  const out: string[] = [];
  if (shown > 0) out.push(...table(cases.slice(0, shown)), '');
  const rest = cases.slice(shown);
  if (rest.length > 0) out.push(`<details><summary>${shown > 0 ? `${rest.length} ${what}` : `Show ${rest.length} ${what}`}</summary>`, '', ...table(rest), '', '</details>', '');
  return out;
}

/** `sent 4 of 9` → `Sent 4 of 9`. */
function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Untrusted text made safe for a Markdown table cell (and for the HTML GitHub allows in Markdown). */
export function cell(text: string, max = CELL_CHARS): string {
  const flat = sanitizeForTerminal(text, { singleLine: true });
  const cut = flat.length > max ? `${flat.slice(0, max)}…` : flat;
  return cut
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]|#!~])/g, '\\$1')
    // A zero-width space after the @ keeps `@user` in model output from notifying anyone in a comment.
    .replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, '$1@&#8203;');
}

/** Regressions against the baseline: what got worse, with its test, before failures of this run alone. */
function comparisonSection(summary: RunSummary): string[] {
  const comparison = summary.baseline!;
  const out = [`### Against baseline ${cell(comparison.baselineRunId)}`, ''];
  const ids = (listed: readonly string[], total: number) => formatCappedList(listed.map((id) => cell(id)), total, 20);
  const caseChanges = [
    ...(comparison.addedCases ? [`New cases (${comparison.addedCases}): ${ids(comparison.addedCaseIds, comparison.addedCases)}`] : []),
    ...(comparison.removedCases ? [`Removed cases (${comparison.removedCases}): ${ids(comparison.removedCaseIds, comparison.removedCases)}`] : []),
  ];
  if (caseChanges.length) out.push(`${caseChanges.join(' · ')} (reported, not failed)`, '');
  const gated = comparison.groups.filter((g) => g.gated);
  out.push(
    `Compared ${comparison.groups.length} settings (${gated.length} gated) and ${comparison.comparedCases} cases; ${comparison.family.size} tests in one family at α = ${comparison.family.alpha} (Holm–Bonferroni).`,
    '',
  );
  const shown = comparison.groups.filter((g) => g.gated || g.verdict !== 'same' || g.regressions.length > 0);
  if (shown.length === 0 && comparison.regressedCases.length === 0) {
    out.push(`No significant change in ${comparison.groups.length} settings.`, '');
    return out;
  }
  out.push('| suite | setting | gated | before | after | p (Holm) | test | detects drops of (80% power) | verdict |', '|---|---|---|--:|--:|--:|---|--:|---|');
  for (const g of shown) {
    const verdict = g.regressions.length ? `❌ ${g.regressions.join(', ')}` : g.verdict === 'better' ? '✅ better' : g.verdict;
    const power = g.minDetectableDrop === null ? '–' : `≥ ${formatPercent(g.minDetectableDrop, 0)}`;
    out.push(
      `| ${cell(g.suite)} | ${cell(settingLabel(g))} | ${g.gated ? 'yes' : 'no'} | ${formatPercent(g.before.passRate)} | ${formatPercent(g.after.passRate)} | ${(g.verdict === 'better' ? g.pRiseAdjusted : g.pDropAdjusted).toPrecision(2)} | ${g.test} | ${power} | ${verdict} |`,
    );
  }
  out.push('');
  if (comparison.regressedCases.length) {
    out.push(`Newly failing every sample: ${comparison.regressedCases.slice(0, 20).map((c) => `${cell(`${c.suite}/${c.case}`)} (${cell(settingLabel(c))})`).join(', ')}${comparison.regressedCases.length > 20 ? ', …' : ''}`, '');
  }
  return out;
}

/** Spent against expected, price-table disagreements, and with `--traffic` the projection as a table. */
function costSection(summary: RunSummary): string[] {
  const notes = costNotes(summary);
  const projection = summary.projection;
  if (notes.length === 0 && !projection) return [];
  const out = ['### Cost', ''];
  for (const note of notes) out.push(`${note.warn ? '⚠️ ' : ''}${cell(note.text, 600)}`, '');
  if (projection) {
    out.push(`${projectionTitle(projection)}:`, '');
    if (projection.groups.length === 0) out.push('No setting has two samples with a cost to project from.', '');
    else {
      out.push('| suite | model | level | samples | $/request | p95 $/request | per day | per month |', '|---|---|---|--:|--:|--:|--:|--:|');
      for (const g of projection.groups) {
        const range = (v: { expected: number; ci95: [number, number] }) => `${formatUsd(v.expected)} (${formatUsd(v.ci95[0])}–${formatUsd(v.ci95[1])})`;
        out.push(`| ${cell(g.suite)} | ${cell(g.model)} | ${g.thinkingLevel} | ${g.samples} | ${formatUsd(g.costPerRequestUsd.mean)} | ${formatUsd(g.costPerRequestUsd.p95)} | ${range(g.perDayUsd)} | ${range(g.perMonthUsd)} |`);
      }
      out.push('');
    }
  }
  return out;
}
