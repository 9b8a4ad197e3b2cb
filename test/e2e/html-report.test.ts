import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import { renderHtml } from '../../src/reporters/html/render-html.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import { buildRunSummary } from '../../src/run/finish-run.js';
import { makeRecord } from '../support/builders.js';
import { CHROMIUM_PATH, isBrowserRequired, launchChromium } from '../support/browser.js';
import { memoryIo } from '../support/memory-io.js';

const PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"></script><!-- \u2028 {{x}} ${1}';

/** A run whose model answers with script and markup: the report must show it as text, run none of it. */
describe.skipIf(!CHROMIUM_PATH && !isBrowserRequired)('report.html in headless Chromium', () => {
  let dir: string;
  let report: string;

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
    expect([0, 1]).toContain(await runCli(['run', '--out', 'run', '--reporter', 'html', '--reporter', 'json'], memoryIo({ cwd: dir })));
    report = path.join(dir, 'run', 'report.html');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one self-contained file that loads nothing from the network', () => {
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<(?:link|script)[^>]+(?:src|href)=/i);
    expect(html).toContain("default-src 'none'");
    // The payload is inside the data only in escaped form.
    expect(html).not.toContain('<script>window.__pwned');
  });

  it('opens from disk, shows the drill-down of a case, renders model output as text, and runs none of it', async () => {
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

      await page.locator('button.cell[data-case="xss/hostile"]').first().click();
      const dialog = page.locator('dialog#drilldown');
      await expect(dialog.isVisible()).resolves.toBe(true);
      const texts = await dialog.locator('pre.text').allTextContents();
      expect(texts.some((t) => t.includes('<script>window.__pwned = 1</script>'))).toBe(true);
      expect(await dialog.locator('img, script').count()).toBe(0);
      const shot = path.join(dir, 'drilldown.png');
      await page.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(10_000);

      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/** A report of 450 cases: rows are drawn a page at a time, cases with failures first. */
describe.skipIf(!CHROMIUM_PATH && !isBrowserRequired)('report.html of a large run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-html-large-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the failing cases first and the rest on request', async () => {
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
      await more.click();
      expect(await rows.count()).toBe(450);
      await expect(more.isVisible()).resolves.toBe(false);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
