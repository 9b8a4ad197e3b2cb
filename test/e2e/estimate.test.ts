import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import type { EstimateFile } from '../../src/cost/cost-estimate.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { artefactValidator } from '../support/artefact-schema.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/projects/sentiment');
const validEstimate = artefactValidator('estimate.schema.json');
const readEstimate = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'estimate.json'), 'utf8')) as EstimateFile;

describe('evalgate estimate', () => {
  let project: string;
  let simulator: RunningSimulator;
  // Any request would land here: the estimate must send none.
  const env = () => ({ RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'k' });

  beforeAll(async () => {
    project = mkdtempSync(path.join(tmpdir(), 'evalgate-estimate-'));
    cpSync(fixture, project, { recursive: true });
    simulator = await startSimulator({ seed: 1, scenarios: [], models: new ModelTable(DEFAULT_MODELS), latencyScale: 0 });
  });
  afterAll(async () => {
    await simulator.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('without history, bounds every setting by maxTokens, says so, exits 0 and writes a valid estimate.json', async () => {
    const io = memoryIo({ cwd: project, env: env() });
    expect(await runCli(['estimate', '--out', 'first'], io)).toBe(0);
    const estimate = readEstimate(path.join(project, 'first'));
    expect(validEstimate(estimate)).toBe('valid');
    expect(estimate.totals).toMatchObject({ trials: 24, samples: 48 });
    expect(estimate.groups).toHaveLength(6);
    expect(estimate.groups.every((g) => g.basis === 'maxTokens' && g.tokenizer === 'o200k_base')).toBe(true);
    expect(estimate.totals.expectedCostUsd).toBe(estimate.totals.highCostUsd);
    expect(estimate.projection).toBeNull();
    expect(io.out()).toContain('nothing was sent');
    expect(io.out()).toContain('no earlier run in reports');
    expect(io.out()).toMatch(/Total: 24 trials · 48 samples · expected \$[\d.]+ \(95% range \$[\d.]+–\$[\d.]+\)/);
    expect(simulator.stats.requests).toBe(0);
  });

  it('after a run, learns from it: every row says history, the range is narrow, and --traffic projects it', async () => {
    expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--reporter', 'json'], memoryIo({ cwd: project })));
    const io = memoryIo({ cwd: project, env: env() });
    expect(await runCli(['estimate', '--out', 'second', '--traffic', '50000/day'], io)).toBe(0);
    const estimate = readEstimate(path.join(project, 'second'));
    expect(validEstimate(estimate)).toBe('valid');
    expect(estimate.history).toEqual({ runs: 1, samples: 48 });
    expect(estimate.groups.every((g) => g.basis === 'history' && g.historySamples > 0)).toBe(true);
    const bounded = readEstimate(path.join(project, 'first'));
    expect(estimate.totals.expectedCostUsd).toBeLessThan(bounded.totals.expectedCostUsd / 2);
    expect(estimate.totals.lowCostUsd).toBeLessThan(estimate.totals.expectedCostUsd);
    expect(estimate.totals.highCostUsd).toBeGreaterThan(estimate.totals.expectedCostUsd);

    const projection = estimate.projection!;
    expect(projection.traffic).toEqual({ requests: 50_000, per: 'day', requestsPerDay: 50_000, daysPerMonth: 30 });
    expect(projection.groups.map((g) => g.thinkingLevel)).toEqual(['none', 'low', 'high']);
    for (const g of projection.groups) {
      expect(g.basis).toBe('history');
      expect(g.samples).toBe(16);
      expect(g.perDayUsd.expected).toBeCloseTo(g.costPerRequestUsd.mean * 50_000, 9);
      expect(g.perMonthUsd.expected).toBeCloseTo(g.perDayUsd.expected * 30, 9);
      expect(g.perMonthUsd.ci95[0]).toBeLessThanOrEqual(g.perMonthUsd.expected);
      expect(g.perMonthUsd.ci95[1]).toBeGreaterThanOrEqual(g.perMonthUsd.expected);
    }
    // More effort thinks longer: high costs more per request than none.
    expect(projection.groups[2]!.costPerRequestUsd.mean).toBeGreaterThan(projection.groups[0]!.costPerRequestUsd.mean);
    expect(io.out()).toContain('Projection at 50,000 requests/day');
    expect(io.out()).toContain('history (setting, 16)');
    // That run was the built-in simulator's: its figures are illustrative, and the estimate says so.
    expect(io.out()).toContain('History: 1 of 1 run learned from was simulated');
    expect(simulator.stats.requests).toBe(0);
  });

  it('says a setting learned from its model at that level is history (model), not history (model, 0)', async () => {
    const other = path.join(project, 'other');
    mkdirSync(path.join(other, 'evals'), { recursive: true });
    writeFileSync(path.join(other, 'evals', 'renamed.yaml'), readFileSync(path.join(project, 'evals', 'sentiment.yaml'), 'utf8').replace(/^suite: .*$/m, 'suite: renamed'));
    const io = memoryIo({ cwd: other });
    expect(await runCli(['estimate', '--history', path.join(project, 'reports'), '--out', '.'], io), io.err()).toBe(0);
    const estimate = readEstimate(other);
    expect(estimate.groups.every((g) => g.historyScope === 'model' && g.historySamples === 0)).toBe(true);
    expect(io.out()).toContain('│ history (model) │');
    expect(io.out()).not.toContain('history (model, 0)');
  });

  it('learns from the run folder --history names, and refuses one that does not exist', async () => {
    const run = readdirSync(path.join(project, 'reports')).find((n) => n !== 'latest')!;
    const io = memoryIo({ cwd: project });
    expect(await runCli(['estimate', '--history', path.join('reports', run), '--out', 'third', '--levels', 'high'], io)).toBe(0);
    const estimate = readEstimate(path.join(project, 'third'));
    expect(estimate.historyDir).toBe(`reports/${run}`);
    expect(estimate.groups.map((g) => `${g.thinkingLevel}/${g.basis}`)).toEqual(['high/history', 'high/history']);

    const missing = memoryIo({ cwd: project });
    expect(await runCli(['estimate', '--history', 'no-such-dir'], missing)).toBe(2);
    expect(missing.err()).toContain('--history no-such-dir does not exist');
  });

  it('with --exact, prices every distinct request by a dry run the server never runs, and uses that prompt cost', async () => {
    const before = { tasks: simulator.stats.tasks, dryRuns: simulator.stats.dryRuns };
    mkdirSync(path.join(project, 'no-history'), { recursive: true });
    const io = memoryIo({ cwd: project, env: env() });
    expect(await runCli(['estimate', '--exact', '--history', 'no-history', '--out', 'exact'], io)).toBe(0);
    const estimate = readEstimate(path.join(project, 'exact'));
    expect(validEstimate(estimate)).toBe('valid');
    // 24 trials, each a distinct request; none answered.
    expect(simulator.stats.dryRuns - before.dryRuns).toBe(24);
    expect(simulator.stats.tasks).toBe(before.tasks);
    expect(estimate.groups.every((g) => g.promptCostSource === 'dryRun' && g.basis === 'maxTokens')).toBe(true);
    // With no history the low end is the prompts alone: what the server charged for the run's prompts.
    const run = readdirSync(path.join(project, 'reports')).find((n) => n !== 'latest')!;
    const summary = JSON.parse(readFileSync(path.join(project, 'reports', run, 'summary.json'), 'utf8')) as RunSummary;
    expect(estimate.totals.lowCostUsd).toBeCloseTo((summary.totals.tokens.prompt * 5) / 1_000_000, 9);
    expect(io.out()).toContain('prompts priced by Runware dry runs: nothing was run or charged');
  });

  it('with --exact, needs a key and fails whole, without the key in the message, when the dry runs are refused', async () => {
    const noKey = memoryIo({ cwd: project, env: { RUNWARE_API_URL: simulator.url } });
    expect(await runCli(['estimate', '--exact'], noKey)).toBe(2);
    expect(noKey.err()).toContain('MISSING_API_KEY');

    const guarded = await startSimulator({ seed: 1, scenarios: [], models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, apiKey: 'the-right-key' });
    try {
      const io = memoryIo({ cwd: project, env: { RUNWARE_API_URL: guarded.url, RUNWARE_API_KEY: 'canary-wrong-key-91b2' } });
      expect(await runCli(['estimate', '--exact', '--out', 'refused'], io)).toBe(3);
      expect(io.err()).toMatch(/24 of 24 dry runs failed; nothing was run or charged\. First: sentiment\/[\w-]+ · openai-gpt-5-5 · \w+ · n=\d: HTTP 401 invalidApiKey/);
      expect(io.err()).not.toContain('canary-wrong-key-91b2');
      expect(guarded.stats.tasks).toBe(0);
    } finally {
      await guarded.close();
    }
  });

  it('refuses traffic it cannot read before loading anything', async () => {
    const io = memoryIo({ cwd: project });
    expect(await runCli(['estimate', '--traffic', 'a lot'], io)).toBe(2);
    expect(io.err()).toContain('--traffic: expected requests per day or month');
  });
});

describe('evalgate estimate --until-decided', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'evalgate-estimate-sequential-'));
    cpSync(fixture, project, { recursive: true });
    const rows = Array.from({ length: 60 }, (_, i) => `c${i},I love it ${i},positive`);
    writeFileSync(path.join(project, 'reviews.csv'), `id,review,label\n${rows.join('\n')}\n`);
    const suite = readFileSync(path.join(project, 'evals/sentiment.yaml'), 'utf8');
    writeFileSync(path.join(project, 'evals/sentiment.yaml'), suite.replace(/sweep: .*/, 'sweep: {thinkingLevel: [none, high], numberResults: [1]}').replace(/cases:[\s\S]*/, 'cases: {file: ../reviews.csv}\nthreshold: 0.75\n'));
    // An earlier run folder: its summary.json knows high (59 of 60 cases passed) and not none.
    const history = path.join(project, 'history');
    mkdirSync(history);
    writeFileSync(path.join(history, 'results.jsonl'), '');
    const setting = { suite: 'sentiment', model: 'openai-gpt-5-5', thinkingLevel: 'high', numberResults: 1 };
    writeFileSync(
      path.join(history, 'summary.json'),
      JSON.stringify({
        schemaVersion: 1,
        runId: 'earlier',
        groups: [{ ...setting, passed: 59, failed: 1, passRate: 59 / 60 }],
        cases: Array.from({ length: 60 }, (_, i) => ({ ...setting, case: `c${i}`, passed: i === 0 ? 0 : 1, failed: i === 0 ? 1 : 0 })),
      }),
    );
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('expects a setting far from its threshold to cost less than its fixed plan, and prices one without a pass rate at the fixed plan', async () => {
    const io = memoryIo({ cwd: project });
    expect(await runCli(['estimate', '--until-decided', '--history', 'history', '--out', 'out'], io)).toBe(0);
    const estimate = readEstimate(path.join(project, 'out'));
    expect(validEstimate(estimate)).toBe('valid');
    const untilDecided = estimate.untilDecided!;
    const [none, high] = untilDecided.groups;
    expect(high).toMatchObject({ thinkingLevel: 'high', basis: 'cases', historyRunId: 'earlier', plannedCases: 60, plannedSamples: 60 });
    expect(high!.fixedCostUsd).toBe(estimate.groups.find((g) => g.thinkingLevel === 'high')!.expectedCostUsd);
    expect(high!.expectedCostUsd).toBeLessThan(high!.fixedCostUsd / 2);
    expect(none).toMatchObject({ thinkingLevel: 'none', basis: 'none', expectedFraction: 1 });
    expect(none!.expectedCostUsd).toBe(none!.fixedCostUsd);
    expect(untilDecided.totals.expectedCostUsd).toBeCloseTo(none!.expectedCostUsd + high!.expectedCostUsd, 12);
    expect(untilDecided.totals.fixedCostUsd).toBeCloseTo(estimate.totals.expectedCostUsd, 12);
    expect(io.out()).toMatch(/Until decided: expected \$[\d.]+ against \$[\d.]+ for the fixed plan \([\d,]+ of 120 samples, \d+%\)/);
    expect(io.out()).toContain('No pass rate in history for 1 setting: priced at the fixed plan');
    expect(io.out()).toMatch(/high +│ +1 │ +75% │ +98\.3% \(by case\) │/);

    // The same history, the same figures.
    expect(await runCli(['estimate', '--until-decided', '--history', 'history', '--out', 'again'], memoryIo({ cwd: project }))).toBe(0);
    expect(readEstimate(path.join(project, 'again')).untilDecided).toEqual(untilDecided);
  });

  it('says nothing of it without the flag', async () => {
    const io = memoryIo({ cwd: project });
    expect(await runCli(['estimate', '--history', 'history', '--out', 'fixed'], io)).toBe(0);
    expect(readEstimate(path.join(project, 'fixed')).untilDecided).toBeNull();
    expect(io.out()).not.toContain('Until decided');
  });
});
