// Renders report.html for the example suites (replayed from their cassettes, so the figures are the
// same every time) and writes docs/report.png and docs/report-drilldown.png. Needs a build and Chromium.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(path.join(tmpdir(), 'evalgate-shot-'));
try {
  const runDir = path.join(out, 'run');
  try {
    execFileSync(process.execPath, ['dist/bin/evalgate.js', 'run', '--provider', 'replay', '--out', runDir, '--quiet', '--no-color'], { cwd: root, stdio: 'inherit' });
  } catch (error) {
    if (error.status !== 1) throw error; // the examples' gate fails on purpose
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(path.join(runDir, 'report.html')).href);
  // The verdict and the first suite: the whole page of four suites is too tall to read as an image.
  await page.screenshot({ path: path.join(root, 'docs/report.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1900 } });
  await page.locator('button.cell[data-case="invoice-extraction/acme-basic"]').first().click();
  await page.screenshot({ path: path.join(root, 'docs/report-drilldown.png') });
  await browser.close();
  console.log('wrote docs/report.png and docs/report-drilldown.png');
} finally {
  rmSync(out, { recursive: true, force: true });
}
