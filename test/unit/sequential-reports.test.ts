import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, isBrowserRequired, launchChromium } from '../support/browser.js';
import { renderRunReport } from '../../src/reporters/console-reporter.js';
import { buildReportData } from '../../src/reporters/html/report-data.js';
import { renderHtml } from '../../src/reporters/html/render-html.js';
import { renderJunit } from '../../src/reporters/render-junit.js';
import { renderMarkdown } from '../../src/reporters/render-markdown.js';
import { GITHUB_COMMENT_MAX_CHARS, renderPrComment } from '../../src/reporters/render-pr-comment.js';
import { makePainter, visibleLength } from '../../src/reporters/terminal-text.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SequentialSummary } from '../../src/results/sequential-summary.js';
import { buildRunSummary } from '../../src/run/finish-run.js';
import { makeRecord, makeSequentialGroup, makeSequentialSummary } from '../support/builders.js';
import { validateJunit } from '../support/junit-schemas.js';

const plain = makePainter(false);

/** Three settings of suite `s`, one case each; with `sequential`, as a run with --until-decided recorded it. */
function summaryOf(sequential?: SequentialSummary): RunSummary {
  const summary = fixedPlanSummary();
  return sequential ? { ...summary, sequential } : summary;
}

function fixedPlanSummary(): RunSummary {
  const summarizer = new RunSummarizer(() => 0.8);
  for (const level of ['none', 'low', 'medium'] as const) summarizer.add(makeRecord({ case: 'a', thinkingLevel: level, trialId: `a-${level}` }));
  return buildRunSummary(summarizer, {
    runId: 'r1', provider: 'simulator', simulated: true, startedAt: new Date('2026-12-06T10:00:00Z'), finishedAt: new Date('2026-12-06T10:01:00Z'),
    interrupted: false, plannedTrials: 3, skipped: null, estimate: null, projection: null,
    config: { provider: 'simulator', concurrency: 1, requestTimeoutMs: 1, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, trialDeadlineMs: 1, budget: 1 }, maxErrorRate: 1, suites: [{ name: 's', file: 's.yaml', threshold: 0.8 }], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
  });
}

const fails = makeSequentialGroup({
  thinkingLevel: 'none', gated: false, observedCases: 9, stoppedAtCase: 8, verdict: 'fails',
  thresholdTest: { decision: 'below', decidedAtCase: 8, level: 40, eValues: { above: 1, below: 81.1 }, pValues: { above: 1, below: 1 / 81.1 } },
  savedSamples: 141, savedCostUsd: 0.0402,
});
const undecided = makeSequentialGroup({
  observedCases: 150, stoppedAtCase: null, verdict: 'undecided',
  thresholdTest: { decision: null, decidedAtCase: null, level: 20, eValues: { above: 1, below: 3 }, pValues: { above: 1, below: 1 / 3 } },
  savedSamples: 0, savedCostUsd: 0,
});
const passes = makeSequentialGroup({ thinkingLevel: 'medium', savedSamples: 104, savedCostUsd: 1.25 });
const notRegressed = {
  ...passes,
  stoppedAtCase: 60,
  regressionTest: { decision: 'not-regressed' as const, decidedAtCase: 60, level: 40, eValues: { regressed: 1, 'not-regressed': 45.1 }, pValues: { regressed: 1, 'not-regressed': 1 / 45.1 }, futilityDrop: 0.08, meanDrop: 0.01, pairedCases: 60 },
};
const sequential = makeSequentialSummary([fails, undecided, passes]);
const withSequential = summaryOf(sequential);
const withRegression = summaryOf(makeSequentialSummary([fails, undecided, notRegressed]));
const without = summaryOf();

describe('the console report of a run sampled until decided', () => {
  const text = renderRunReport(withSequential, 'reports/r1', plain, 20);

  it("shows each setting's verdict, when its threshold question was decided, the e-value against the level it needed, and what stopping saved", () => {
    expect(text).toContain('Until decided (order seed 3, α = 0.05):');
    expect(text).toContain('  · none n=1 · fails, not gated · saved 141 of 150 samples, $0.0402\n      below 80% after 8 of 150 cases (e = 81.1 ≥ 40.0)');
    expect(text).toContain('  ? low n=1 · undecided · saved none\n      undecided after 150 of 150 cases (e = 3.0 toward below, 20.0 needed)');
    expect(text).toContain('  ✓ medium n=1 · passes · saved 104 of 150 samples, $1.25\n      above 80% after 46 of 150 cases (e = 22.4 ≥ 20.0)');
  });

  it('says, with a baseline, when the regression question was decided', () => {
    expect(renderRunReport(withRegression, 'reports/r1', plain, 20)).toContain('      not regressed after 60 cases (drop under 8.0 points; e = 45.1 ≥ 40.0)');
  });

  it('adds a totals line: samples sent of those planned, and the samples and dollars saved', () => {
    expect(text).toContain('Until decided: sent 205 of 450 planned samples; saved 245 (54%), $1.29');
  });

  it('fits every line it adds in 80 columns on a terminal', () => {
    const narrow = renderRunReport(withRegression, 'reports/r1', makePainter(true), 20, 80).split('\n');
    const start = narrow.findIndex((l) => l.startsWith('\u001b[1mUntil decided'));
    const block = narrow.slice(start, start + 8);
    expect(block.join('\n')).toContain('not regressed after 60 cases');
    for (const line of block) expect(visibleLength(line)).toBeLessThanOrEqual(80);
  });

  it('adds nothing to the report of a run with a fixed plan', () => {
    expect(renderRunReport(without, 'reports/r1', plain, 20)).not.toMatch(/until decided/i);
  });
});

describe('summary.md and the pull-request comment of a run sampled until decided', () => {
  const md = renderMarkdown(withSequential);

  it('have a section with the totals, how the run sampled, and a row per setting', () => {
    expect(md).toContain('### Sampled until decided');
    expect(md).toContain('Sent 205 of 450 planned samples; saved 245 (54%), $1.29. Cases in a seeded random order (seed 3); each setting stopped once anytime-valid tests decided its verdict at α = 0.05; a gated setting still undecided after its last case is judged by its pass rate.');
    expect(md).toContain('| suite | setting | verdict | threshold | saved |');
    expect(md).toContain('| s | openai-gpt-5-5 · none · n=1 | fails, not gated | below 80% after 8 of 150 cases (e = 81.1 ≥ 40.0) | 141 of 150 samples, $0.0402 |');
    expect(md).toContain('| s | openai-gpt-5-5 · low · n=1 | ❔ undecided | undecided after 150 of 150 cases (e = 3.0 toward below, 20.0 needed) | none |');
    expect(md).toContain('| s | openai-gpt-5-5 · medium · n=1 | ✅ passes | above 80% after 46 of 150 cases (e = 22.4 ≥ 20.0) | 104 of 150 samples, $1.25 |');
  });

  it('add a regression column only when a setting asked the question', () => {
    const regression = renderMarkdown(withRegression);
    expect(regression).toContain('| suite | setting | verdict | threshold | regression | saved |');
    expect(regression).toContain('| not regressed after 60 cases (drop under 8.0 points; e = 45.1 ≥ 40.0) |');
    expect(regression).toMatch(/\| undecided after 150 of 150 cases [^|]+ \| — \| none \|/);
  });

  it('put the section in the pull-request comment, before the cases', () => {
    const comment = renderPrComment(withSequential, { maxChars: GITHUB_COMMENT_MAX_CHARS, reportPointer: 'Full report: report.html' });
    expect(comment).toContain('### Sampled until decided');
    expect(comment).toContain('| s | openai-gpt-5-5 · medium · n=1 | ✅ passes | above 80% after 46 of 150 cases (e = 22.4 ≥ 20.0) | 104 of 150 samples, $1.25 |');
  });

  it('say how many shards decided and against which baseline, when there were', () => {
    const merged = renderMarkdown(summaryOf(makeSequentialSummary([notRegressed], { shards: 4, baselineRunId: 'main-1' })));
    expect(merged).toContain('at α = 0.05 (4 shards, each deciding for its own cases at α ÷ 4), regressions against baseline main-1;');
  });

  it('say nothing of it for a run with a fixed plan', () => {
    expect(renderMarkdown(without)).not.toMatch(/until decided/i);
    expect(renderPrComment(without, { maxChars: GITHUB_COMMENT_MAX_CHARS, reportPointer: 'x' })).not.toMatch(/until decided/i);
  });
});

describe('junit.xml of a run sampled until decided', () => {
  const xml = renderJunit(withRegression, new Map(), 'ci');

  it('carries the totals and a property per setting of the suite, and stays valid', async () => {
    expect(xml).toContain('<property name="untilDecided" value="sent 205 of 450 planned samples; saved 245 (54%), $1.29; cases in a seeded random order (seed 3);');
    expect(xml).toContain('<property name="untilDecided.openai-gpt-5-5.none.n1" value="fails, not gated: below 80% after 8 of 150 cases (e = 81.1 ≥ 40.0); saved 141 of 150 samples, $0.0402"/>');
    expect(xml).toContain(
      '<property name="untilDecided.openai-gpt-5-5.medium.n1" value="passes: above 80% after 46 of 150 cases (e = 22.4 ≥ 20.0); not regressed after 60 cases (drop under 8.0 points; e = 45.1 ≥ 40.0); saved 104 of 150 samples, $1.25"/>',
    );
    const { jenkins, windyroadWithoutSummary } = await validateJunit(xml);
    expect(jenkins).toEqual([]);
    expect(windyroadWithoutSummary).toEqual([]);
  });

  it('has no such property for a run with a fixed plan', () => {
    expect(renderJunit(without, new Map(), 'ci')).not.toContain('untilDecided');
  });
});

describe('report.html of a run sampled until decided', () => {
  it('embeds the totals, how the run sampled and a row per setting, worded as in the other reports', () => {
    const data = buildReportData(withRegression, new Map());
    expect(data.sequential).toMatchObject({ totals: 'sent 205 of 450 planned samples; saved 245 (54%), $1.29', head: ['suite', 'setting', 'verdict', 'threshold', 'regression', 'saved'] });
    expect(data.sequential!.rows).toEqual([
      { verdict: 'fails', gated: false, cells: ['s', 'openai-gpt-5-5 · none · n=1', 'fails, not gated', 'below 80% after 8 of 150 cases (e = 81.1 ≥ 40.0)', '—', '141 of 150 samples, $0.0402'] },
      { verdict: 'undecided', gated: true, cells: ['s', 'openai-gpt-5-5 · low · n=1', 'undecided', 'undecided after 150 of 150 cases (e = 3.0 toward below, 20.0 needed)', '—', 'none'] },
      {
        verdict: 'passes', gated: true,
        cells: ['s', 'openai-gpt-5-5 · medium · n=1', 'passes', 'above 80% after 46 of 150 cases (e = 22.4 ≥ 20.0)', 'not regressed after 60 cases (drop under 8.0 points; e = 45.1 ≥ 40.0)', '104 of 150 samples, $1.25'],
      },
    ]);
    expect(renderHtml(withRegression, new Map())).toContain('Sampled until decided');
  });

  it.skipIf(!CHROMIUM_PATH && !isBrowserRequired)('draws the section in the page: the totals and a row per setting, a failing gated one marked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-sequential-html-'));
    const browser = await launchChromium();
    try {
      const file = path.join(dir, 'report.html');
      const failing = makeSequentialSummary([{ ...fails, gated: true }, undecided, notRegressed]);
      writeFileSync(file, renderHtml(summaryOf(failing), new Map()));
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      await expect(page.locator('#sequential h2').textContent()).resolves.toBe('Sampled until decided');
      await expect(page.locator('#sequential p').first().textContent()).resolves.toBe('Sent 205 of 450 planned samples; saved 245 (54%), $1.29.');
      expect(await page.locator('#sequential thead th').allTextContents()).toEqual(['suite', 'setting', 'verdict', 'threshold', 'regression', 'saved']);
      const rows = await page.locator('#sequential tbody tr').allTextContents();
      expect(rows).toHaveLength(3);
      expect(rows[2]).toContain('not regressed after 60 cases (drop under 8.0 points; e = 45.1 ≥ 40.0)');
      expect(await page.locator('#sequential tbody tr.below').count()).toBe(1);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('embeds none for a run with a fixed plan', () => {
    expect(buildReportData(without, new Map()).sequential).toBeNull();
  });
});

describe('the settings tables follow the gate for a setting sampled until decided', () => {
  // Every sample passed (a point estimate of 100%), yet the test decided medium below: the gate fails it.
  const decidedBelow = makeSequentialGroup({ thinkingLevel: 'medium', gated: true, verdict: 'fails', thresholdTest: { decision: 'below', decidedAtCase: 9, level: 20, eValues: { above: 1, below: 25 }, pValues: { above: 1, below: 0.04 } } });
  const summary = (() => {
    const base = summaryOf(makeSequentialSummary([decidedBelow]));
    const medium = base.groups.find((g) => g.thinkingLevel === 'medium')!;
    const reason = { code: 'BELOW_THRESHOLD' as const, message: 'decided below', suite: 's', model: medium.model, thinkingLevel: medium.thinkingLevel, numberResults: medium.numberResults };
    return { ...base, gate: { ...base.gate, passed: false, exitCode: 1 as const, reasons: [reason] } };
  })();

  it('console, summary.md and report.html mark it below, not ✓', () => {
    const console = renderRunReport(summary, '/r', plain, 10, 200);
    const mediumRow = console.split('\n').find((l) => l.includes('medium') && l.includes('100.0%'))!;
    expect(mediumRow).toContain('✗');
    const markdown = renderMarkdown(summary);
    expect(markdown).toContain('**1 of 3 settings below threshold**');
    expect(markdown).toMatch(/\| medium \|[^\n]*❌ below 80%/);
    const data = buildReportData(summary, new Map());
    expect(data.groups.map((g) => [g.thinkingLevel, g.isBelow])).toEqual([['none', false], ['low', false], ['medium', true]]);
  });

  it('a fixed-plan setting is still marked by its pass rate against the threshold', () => {
    const fixed = summaryOf();
    expect(buildReportData(fixed, new Map()).groups.every((g) => !g.isBelow)).toBe(true);
  });
});
