import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { memoryIo } from '../support/memory-io.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/sentiment');
const REPORTS = ['summary.json', 'junit.xml', 'summary.md', 'report.html'];

describe('evalgate report', () => {
  let dir: string;
  let runDir: string;
  let original: RunSummary;
  let runCode: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-report-'));
    cpSync(fixture, dir, { recursive: true });
    runDir = path.join(dir, 'run');
    runCode = await runCli(['run', '--out', 'run', '--reporter', 'json,junit,markdown,html'], memoryIo({ cwd: dir }));
    original = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds every report from results.jsonl, with the same figures and verdict, sending nothing', async () => {
    for (const file of REPORTS) unlinkSync(path.join(runDir, file));
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['report', 'run'], io)).toBe(runCode);
    for (const file of REPORTS) expect(existsSync(path.join(runDir, file)), file).toBe(true);
    const rebuilt = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(rebuilt.totals).toEqual(original.totals);
    expect(rebuilt.groups).toEqual(original.groups);
    expect(rebuilt.cases).toEqual(original.cases);
    expect(rebuilt.gate).toEqual(original.gate);
    expect(io.out()).toContain('Gate:');
  });

  it('says plainly when the folder is not a run', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['report', 'evals'], io)).toBe(2);
    expect(io.err()).toContain('holds no results.jsonl');
  });

  it('rebuilds without run.json, with the config default threshold, and says so', async () => {
    unlinkSync(path.join(runDir, 'run.json'));
    const io = memoryIo({ cwd: dir });
    await runCli(['report', 'run', '--reporter', 'json'], io);
    expect(io.err()).toContain('has no run.json; thresholds are the config\'s default (0.5)');
    const rebuilt = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(rebuilt.totals.samples).toBe(original.totals.samples);
    expect(rebuilt.groups.every((g) => g.threshold === 0.5)).toBe(true);
  });
});

describe('evalgate report of a run sampled until decided', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-report-sequential-'));
    cpSync(fixture, dir, { recursive: true });
    // 60 cases, so that the tests decide well before the last, high far above the threshold of 30%.
    const rows = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? `love-${i},I love it ${i},positive` : `hate-${i},I hate it ${i},negative`));
    writeFileSync(path.join(dir, 'reviews.csv'), `id,review,label\n${rows.join('\n')}\n`);
    const suite = readFileSync(path.join(dir, 'evals/sentiment.yaml'), 'utf8');
    writeFileSync(
      path.join(dir, 'evals/sentiment.yaml'),
      suite.replace(/sweep: .*/, 'sweep: {thinkingLevel: [none, high], numberResults: [1]}').replace(/cases:[\s\S]*/, 'cases: {file: ../reviews.csv}\nthreshold: 0.3\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("shows the run's recorded decisions, with the same verdict, and does not call the trials it never needed missing", async () => {
    const runCode = await runCli(['run', '--until-decided', '--order-seed', '3', '--out', 'run', '--reporter', 'json'], memoryIo({ cwd: dir }));
    const original = JSON.parse(readFileSync(path.join(dir, 'run/summary.json'), 'utf8')) as RunSummary;
    expect(original.sequential!.totals.savedSamples).toBeGreaterThan(0);
    expect(original.interrupted).toBe(false);

    const io = memoryIo({ cwd: dir });
    expect(await runCli(['report', 'run', '--reporter', 'console,json,markdown'], io)).toBe(runCode);
    const rebuilt = JSON.parse(readFileSync(path.join(dir, 'run/summary.json'), 'utf8')) as RunSummary;
    expect(rebuilt.sequential).toEqual(original.sequential);
    expect(rebuilt.interrupted).toBe(false);
    expect(rebuilt.gate).toEqual(original.gate);
    expect(io.out()).toContain(`Until decided: sent ${original.sequential!.totals.sentSamples} of ${original.sequential!.totals.plannedSamples} planned samples`);
    expect(io.out()).toMatch(/✓ high n=1 · passes · saved \d+ of 60 samples, \$[\d.]+\n {6}above 30% after \d+ of 60 cases \(e = [\d.]+ ≥ 40\.0\)/);
    expect(readFileSync(path.join(dir, 'run/summary.md'), 'utf8')).toContain('### Sampled until decided');
  });
});
