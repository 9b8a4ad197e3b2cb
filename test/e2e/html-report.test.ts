import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import { renderHtml } from '../../src/reporters/html/render-html.js';
import { buildReportData } from '../../src/reporters/html/report-data.js';
import { collectCaseDetails, detailLimits } from '../../src/results/collect-case-details.js';
import { formatMs } from '../../src/core/format-figures.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { buildRunSummary } from '../../src/run/finish-run.js';
import { makeRecord } from '../support/builders.js';
import { CHROMIUM_PATH, isBrowserRequired, launchChromium } from '../support/browser.js';
import { memoryIo } from '../support/memory-io.js';
import { settingLabel } from '../../src/core/setting.js';

const PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"></script><!-- \u2028 {{x}} ${1}';

/** A run whose model answers with script and markup: the report must show it as text, run none of it. */
// The escaping check needs no browser and always runs; the checks in the page itself need Chromium.
const needsBrowser = !CHROMIUM_PATH && !isBrowserRequired;

describe('report.html of a hostile run', () => {
  let dir: string;
  let report: string;
  let summary: RunSummary;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-html-'));
    mkdirSync(path.join(dir, 'evals'));
    mkdirSync(path.join(dir, 'scenarios'));
    writeFileSync(path.join(dir, 'evalconfig.yaml'), 'provider: simulator\nsimulator: {scenarios: scenarios, latencyScale: 0}\n');
    writeFileSync(
      path.join(dir, 'scenarios', 'xss.yaml'),
      stringify({
        scenario: 'xss',
        match: 'Render',
        levels: { low: { accuracy: 0.5, thinkingTokens: 50, latencyMs: 20 }, high: { accuracy: 0.9, thinkingTokens: 200, latencyMs: 60 } },
        answers: [{ when: 'payload', correct: `fine ${PAYLOAD}`, wrong: PAYLOAD }],
      }),
    );
    writeFileSync(
      path.join(dir, 'evals', 'xss.yaml'),
      stringify({
        suite: 'xss',
        settings: { systemPrompt: 'Render.' },
        sweep: { thinkingLevel: ['low', 'high'], numberResults: [2] },
        assert: [{ type: 'contains', value: 'fine' }],
        cases: [{ id: 'hostile', messages: [{ role: 'user', content: 'payload' }] }, { id: 'also', messages: [{ role: 'user', content: 'payload too' }] }],
      }),
    );
    // A suite with a case that fails every sample and one whose samples disagree (heads or tails, drawn
    // per sample: six samples all alike would be a 1-in-32 draw, and the simulator's seed fixes it).
    writeFileSync(
      path.join(dir, 'scenarios', 'coin.yaml'),
      stringify({ scenario: 'coin', match: 'Toss', levels: { low: { accuracy: 0.5, thinkingTokens: 10, latencyMs: 10 } }, answers: [{ when: 'coin', correct: 'heads', wrong: 'tails' }, { when: 'plain', correct: 'plain', wrong: 'plain' }] }),
    );
    writeFileSync(
      path.join(dir, 'evals', 'flaky.yaml'),
      stringify({
        suite: 'flaky',
        settings: { systemPrompt: 'Toss.' },
        repeats: 2,
        sweep: { thinkingLevel: ['low'], numberResults: [3] },
        cases: [
          { id: 'coin', messages: [{ role: 'user', content: 'coin' }], assert: [{ type: 'contains', value: 'heads' }] },
          { id: 'never', messages: [{ role: 'user', content: 'plain' }], assert: [{ type: 'contains', value: 'unicorn' }] },
        ],
      }),
    );
    // A streamed suite where every sample passes: the cheapest setting is sure to meet its threshold.
    writeFileSync(
      path.join(dir, 'scenarios', 'easy.yaml'),
      stringify({ scenario: 'easy', match: 'Echo', levels: { low: { accuracy: 1, thinkingTokens: 20, latencyMs: 10 }, high: { accuracy: 1, thinkingTokens: 400, latencyMs: 30 } }, answers: [{ when: '.', correct: 'echo', wrong: 'no' }] }),
    );
    writeFileSync(
      path.join(dir, 'evals', 'stream.yaml'),
      stringify({
        suite: 'stream',
        deliveryMethod: 'stream',
        threshold: 0.5,
        settings: { systemPrompt: 'Echo.' },
        sweep: { thinkingLevel: ['low', 'high'], numberResults: [2] },
        assert: [{ type: 'contains', value: 'echo' }],
        cases: ['a', 'b', 'c'].map((id) => ({ id, messages: [{ role: 'user', content: `say ${id}` }] })),
      }),
    );
    // A crowded chart: two models four decades of cost apart, three levels that behave alike, two sample counts.
    writeFileSync(
      path.join(dir, 'scenarios', 'crowd.yaml'),
      stringify({ scenario: 'crowd', match: 'Crowd', levels: { low: { accuracy: 0.8, thinkingTokens: 100, latencyMs: 20 } }, answers: [{ when: '.', correct: 'yes', wrong: 'no' }] }),
    );
    writeFileSync(
      path.join(dir, 'evals', 'crowd.yaml'),
      stringify({
        suite: 'crowd',
        settings: { systemPrompt: 'Crowd.' },
        sweep: { model: ['openai-gpt-5-5', 'deepseek-v4-flash'], thinkingLevel: ['low', 'medium', 'high'], numberResults: [1, 2] },
        assert: [{ type: 'contains', value: 'yes' }],
        cases: ['a', 'b', 'c', 'd'].map((id) => ({ id, messages: [{ role: 'user', content: `case ${id}` }] })),
      }),
    );
    const io = memoryIo({ cwd: dir });
    const code = await runCli(['run', '--out', 'run', '--reporter', 'html', '--reporter', 'json'], io);
    expect([0, 1], io.err()).toContain(code);
    report = path.join(dir, 'run', 'report.html');
    summary = JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one self-contained file that loads nothing from the network', () => {
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<(?:link|script)[^>]+(?:src|href)=/i);
    expect(html).toContain("default-src 'none'");
    // The payload is inside the data only in escaped form.
    expect(html).not.toContain('<script>window.__pwned');
  });

  it('embeds, streamed, exactly the report data, with nothing in it that could end its script element', async () => {
    const html = readFileSync(report, 'utf8');
    const embedded = /<script type="application\/json" id="evalgate-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(embedded).toContain('\\u003cscript>window.__pwned');
    expect(embedded).not.toMatch(/[<\u2028\u2029]/);
    const details = await collectCaseDetails(path.join(dir, 'run', 'results.jsonl'), detailLimits(summary.cases));
    expect(JSON.parse(embedded)).toEqual(JSON.parse(JSON.stringify(buildReportData(summary, details))));
  });

  it.skipIf(needsBrowser)('opens from disk, shows the drill-down of a case, renders model output as text, and runs none of it', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`request to ${r.url()}`);
      });
      await page.goto(pathToFileURL(report).href);
      await expect(page.locator('#verdict h1').textContent()).resolves.toMatch(/Gate (passed|failed)/);
      await expect(page.locator('#verdict p.simulated').textContent()).resolves.toContain('Simulated answers from the built-in simulator');
      expect(await page.locator('section.suite figure svg circle').count()).toBeGreaterThan(0);

      // The failed assertions quoted in the lists of failing and flaky cases are text too.
      const listed = await page.locator('section.suite .case-list li').allTextContents();
      expect(listed.some((t) => t.includes('<script>window.__pwned'))).toBe(true);
      expect(await page.locator('.case-list img, .case-list script').count()).toBe(0);

      await page.locator('button.cell[data-case="xss/hostile"]').first().click();
      const dialog = page.locator('dialog#drilldown');
      await expect(dialog.isVisible()).resolves.toBe(true);
      const texts = await dialog.locator('pre.text').allTextContents();
      expect(texts.some((t) => t.includes('<script>window.__pwned = 1</script>'))).toBe(true);
      expect(await dialog.locator('img, script').count()).toBe(0);
      // What was asked, before the answers: the system prompt and the rendered messages, by role.
      const asked = dialog.locator('details.prompt');
      await expect(asked.locator('p.role').allTextContents()).resolves.toEqual(['system', 'user']);
      await expect(asked.locator('pre.text').allTextContents()).resolves.toEqual(['Render.', 'payload']);
      const shot = path.join(dir, 'drilldown.png');
      await page.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(10_000);

      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it.skipIf(needsBrowser)('never draws a chart label over another (point labels, ticks, the threshold), crowded or not', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(report).href);
      const charts = await page.locator('figure.chart svg').evaluateAll((svgs) =>
        svgs.map((svg) => Array.from(svg.querySelectorAll('text')).map((t) => {
          const b = (t as SVGTextElement).getBBox();
          return { text: t.textContent ?? '', x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height };
        })),
      );
      expect(charts.length).toBeGreaterThan(4);
      const crowded = charts.reduce((most, c) => (c.length > most.length ? c : most), []);
      expect(crowded.length).toBeGreaterThan(12);
      for (const labels of charts) {
        for (const [i, a] of labels.entries()) {
          for (const b of labels.slice(i + 1)) {
            const isOverlapping = a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5;
            expect(isOverlapping, `"${a.text}" and "${b.text}"`).toBe(false);
          }
        }
      }
    } finally {
      await browser.close();
    }
  }, 60_000);

  it.skipIf(needsBrowser)('shows per suite the settings in detail, the failing and flaky lists, whiskers, the cheapest setting and the latency histograms', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(report).href);
      const suite = (name: string) => page.locator('section.suite', { has: page.locator('h2', { hasText: new RegExp(`^${name} `) }) });
      const stream = suite('stream');
      const streamGroups = summary.groups.filter((g) => g.suite === 'stream');
      expect(streamGroups).toHaveLength(2);

      // The details table: the latency tail, tokens by kind, pass@k, waits, total cost; streaming columns here only.
      const head = await stream.locator('table.details th').allTextContents();
      expect(head).toEqual(['setting', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'prompt tok', 'completion tok', 'thinking tok', 'pass@k', 'pass^k', 'queue p95 ms', 'retries', 'backoff ms', 'cost', 'delivery', 'TTFT p50', 'TTFT p95', 'text p50']);
      for (const g of streamGroups) {
        const row = await stream.locator('table.details tbody tr', { hasText: settingLabel(g) }).locator('td').allTextContents();
        expect(row[4]).toBe(formatMs(g.latencyMs.p99));
        expect(row[8]).toBe(g.tokens.thinking.toLocaleString('en-US'));
        expect(row[9]).toBe('100.0% (k=2)');
        expect(row.slice(15)).toEqual(['stream ×2', formatMs(g.timeToFirstTokenMs!.p50), formatMs(g.timeToFirstTokenMs!.p95), formatMs(g.timeToFirstTextMs!.p50)]);
      }
      await expect(stream.locator('.details p.meta').first().textContent()).resolves.toMatch(/^stream ×N: Runware streams one result per task/);
      expect(await suite('xss').locator('table.details th').allTextContents()).not.toContain('TTFT p50');

      // Interval whiskers on both charts, the cheapest setting ringed and named, a latency row per setting with its p95.
      expect(await stream.locator('figure.chart line.whisker').count()).toBe(2 * streamGroups.length);
      expect(await stream.locator('circle.cheapest').count()).toBe(2);
      const cheapest = summary.recommendations.find((r) => r.suite === 'stream')!.cheapest!;
      await expect(stream.locator('figure.chart p.meta').first().textContent()).resolves.toContain(`cheapest setting that meets the threshold with 95% confidence: ${cheapest.model} · ${cheapest.thinkingLevel}`);
      const histogram = stream.locator('figure.wide');
      expect(await histogram.locator('rect.bar').count()).toBeGreaterThan(0);
      expect(await histogram.locator('line.p95').count()).toBe(streamGroups.length);

      // The failing and flaky lists, as summary.json has them; an item opens the case.
      const flaky = suite('flaky');
      expect(summary.cases.filter((c) => c.suite === 'flaky').map((c) => [c.case, c.flaky, c.passed])).toEqual([['coin', true, expect.any(Number)], ['never', false, 0]]);
      await expect(flaky.locator('.case-list.failing h3').textContent()).resolves.toBe('Failing on every sample (1)');
      await expect(flaky.locator('.case-list.failing li').textContent()).resolves.toMatch(/^never · openai-gpt-5-5 · low · n=3 · 0\/6 passed — contains: /);
      await expect(flaky.locator('.case-list.flaky h3').textContent()).resolves.toBe('Flaky (samples disagree) (1)');
      await expect(flaky.locator('.case-list.flaky li').textContent()).resolves.toMatch(/^coin · .* · [1-5]\/6 passed/);
      expect(await stream.locator('.case-list').count()).toBe(0);
      await flaky.locator('.case-list.failing button.case-link').click();
      const dialog = page.locator('dialog#drilldown');
      await expect(dialog.locator('h2').textContent()).resolves.toBe('flaky/never');
      await dialog.locator('button.close').click();

      // The drill-down of a streamed case: finish reason, tokens and cost of each sample.
      await stream.locator('button.cell[data-case="stream/a"]').first().click();
      const heads = await dialog.locator('.sample-head').allTextContents();
      expect(heads).toHaveLength(2);
      for (const h of heads) expect(h).toMatch(/finish stop.*tokens \d+ in · \d+ out · \d+ thinking.*\$0\.\d+/);
      const shot = path.join(dir, 'details.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/** A report of 450 cases: rows are drawn a page at a time, cases with failures first, lists bounded. */
describe.skipIf(needsBrowser)('report.html of a large run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-html-large-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the failing cases first and the rest on request, and lists at most 25 failing cases', async () => {
    const summarizer = new RunSummarizer(() => 0.5);
    const ids = Array.from({ length: 450 }, (_, i) => `case-${String(i).padStart(3, '0')}`);
    // Every 15th case fails, from case-007 on: 30 of them, spread through the alphabet.
    const failing = new Set(ids.filter((_, i) => i % 15 === 7));
    ids.forEach((id, i) => summarizer.add(makeRecord({ case: id, trialId: `t${i}`, pass: !failing.has(id), assertions: failing.has(id) ? [{ type: 'regex', pass: false, message: 'no match' }] : [] })));
    const summary = buildRunSummary(summarizer, {
      runId: 'large', provider: 'simulator', simulated: true, startedAt: new Date(), finishedAt: new Date(), interrupted: false,
      plannedTrials: ids.length, skipped: null, estimate: null, projection: null,
      config: { provider: 'simulator', concurrency: 1, requestTimeoutMs: 1, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, trialDeadlineMs: 1, budget: 1 }, maxErrorRate: 1, suites: [{ name: 's', file: 's.yaml', threshold: 0.5 }], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
    });
    const file = path.join(dir, 'report.html');
    writeFileSync(file, renderHtml(summary, new Map()));

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      const rows = page.locator('table.matrix tbody tr');
      expect(await rows.count()).toBe(200);
      const firstIds = await page.locator('table.matrix tbody th').evaluateAll((cells) => cells.slice(0, 30).map((c) => c.textContent));
      expect(new Set(firstIds)).toEqual(failing);
      const more = page.locator('button.more');
      await expect(more.textContent()).resolves.toBe('Show 250 more of 250 cases');
      // The list of cases failing every sample stays bounded: 25 of the 30, then how many more.
      const listed = await page.locator('.case-list.failing li').allTextContents();
      expect(listed).toHaveLength(26);
      expect(listed.slice(0, 25).map((t) => t.split(' · ')[0])).toEqual([...failing].slice(0, 25));
      expect(listed[25]).toBe('… and 5 more (in the table below)');
      await more.click();
      expect(await rows.count()).toBe(450);
      await expect(more.isVisible()).resolves.toBe(false);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
