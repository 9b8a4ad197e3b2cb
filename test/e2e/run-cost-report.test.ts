import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { artefactValidator } from '../support/artefact-schema.js';
import { memoryIo } from '../support/memory-io.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/sentiment');
const validSummary = artefactValidator('summary.schema.json');

/** summary.json of a run folder, checked against its schema. */
function readSummary(dir: string): RunSummary {
  const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as RunSummary;
  expect(validSummary(summary)).toBe('valid');
  return summary;
}

describe('a run reports on its cost', () => {
  let project: string;
  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'evalgate-run-cost-'));
    cpSync(fixture, project, { recursive: true });
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('with --traffic, projects its measured cost per request per day and month into summary.json and the console', async () => {
    const io = memoryIo({ cwd: project });
    expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--traffic', '1.5M/month', '--out', 'traffic'], io));
    const summary = readSummary(path.join(project, 'traffic'));
    const projection = summary.projection!;
    expect(projection.traffic).toEqual({ requests: 1_500_000, per: 'month', requestsPerDay: 50_000, daysPerMonth: 30 });
    expect(projection.groups.map((g) => g.thinkingLevel)).toEqual(['none', 'low', 'high']);
    for (const g of projection.groups) {
      // n=1 and n=3 samples of one level are one setting: 4 cases × (1 + 3) results.
      expect(g).toMatchObject({ suite: 'sentiment', basis: 'run', samples: 16 });
      const groups = summary.groups.filter((s) => s.thinkingLevel === g.thinkingLevel);
      const meanCost = groups.reduce((sum, s) => sum + s.costUsd, 0) / groups.reduce((n, s) => n + s.samples, 0);
      expect(g.costPerRequestUsd.mean).toBeCloseTo(meanCost, 12);
      expect(g.costPerRequestUsd.meanCi95[0]).toBeLessThan(meanCost);
      expect(g.perMonthUsd.expected).toBeCloseTo(meanCost * 1_500_000, 6);
    }
    expect(io.out()).toContain('Projection at 1,500,000 requests/month, per 30-day month (95% CI; a request is one result):');
    expect(io.out()).toMatch(/ {2}sentiment · openai-gpt-5-5: none \$[\d,.]+ \(\$[\d,.]+–\$[\d,.]+\) · low /);
    // No earlier run in this project: the estimate is the maxTokens bound, and says so.
    expect(io.out()).toMatch(/Cost: \$[\d.]+ spent · at most \$[\d.]+ before the run \(no earlier run to learn from: every result at maxTokens, none billed past it\)/);
    expect(summary.groups.every((g) => g.costMismatchSamples === 0)).toBe(true);
    expect(io.out()).not.toContain('Prices:');

    // The Markdown and HTML reports carry the same projection, one row per setting.
    const md = readFileSync(path.join(project, 'traffic', 'summary.md'), 'utf8');
    expect(md).toContain('### Cost');
    expect(md).toContain('Projection at 1,500,000 requests/month, per 30-day month (95% CI; a request is one result):');
    const low = projection.groups.find((g) => g.thinkingLevel === 'low')!;
    expect(md).toMatch(new RegExp(`\\| sentiment \\| openai-gpt-5-5 \\| low \\| 16 \\| \\$[\\d.]+ \\| \\$[\\d.]+ \\| \\$[\\d,.]+ \\(.+\\) \\| \\$[\\d,.]+ \\(.+\\) \\|`));
    expect(md).toMatch(/Cost: \$[\d.]+ spent · at most/);
    const html = readFileSync(path.join(project, 'traffic', 'report.html'), 'utf8');
    expect(html).toContain('Projection at 1,500,000 requests/month');
    expect(html).toContain(JSON.stringify(low.perMonthUsd.expected));
  });

  it('a run against the API learns its expected cost from real runs only, never from the simulator\'s', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'evalgate-run-cost-sim-'));
    const simulator = await startSimulator({ seed: 5, scenarios: await loadScenarios(path.join(fixture, 'scenarios'), fixture), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0 });
    try {
      cpSync(fixture, own, { recursive: true });
      // An earlier run on the built-in simulator, in reports/ where the history is read from.
      expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--levels', 'low'], memoryIo({ cwd: own })));
      const simulated = memoryIo({ cwd: own });
      expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--levels', 'low'], simulated));
      expect(simulated.out()).toMatch(/Cost: \$[\d.]+ spent · \$[\d.]+ expected before the run \(95% range .+, learned from 1 earlier run\)/);
      // The same plan against the API (here the simulator's server, reached as Runware is): nothing learned.
      const real = memoryIo({ cwd: own, env: { RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'k' } });
      expect([0, 1]).toContain(await runCli(['run', '--provider', 'runware', '--levels', 'low', '--out', 'real'], real));
      expect(real.out()).toContain('(no earlier run to learn from: every result at maxTokens, none billed past it)');
      expect(readSummary(path.join(own, 'real')).estimate!.groups.every((g) => g.basis === 'maxTokens')).toBe(true);
    } finally {
      await simulator.close();
      rmSync(own, { recursive: true, force: true });
    }
  });

  describe('when the API bills other than the price table says', () => {
    let simulator: RunningSimulator;
    beforeAll(async () => {
      // The server prices with the built-in table; the project's table says output costs $40, not $30.
      simulator = await startSimulator({ seed: 3, scenarios: await loadScenarios(path.join(fixture, 'scenarios'), fixture), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0 });
      const config = readFileSync(path.join(fixture, 'evalconfig.yaml'), 'utf8');
      writeFileSync(path.join(project, 'evalconfig.yaml'), `${config}models:\n  openai-gpt-5-5: {price: {input: 5, output: 40}}\n`);
    });
    afterAll(() => simulator.close());

    it("uses the API's cost, counts the samples that disagree per group and says so", async () => {
      const io = memoryIo({ cwd: project, env: { RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'k' } });
      expect([0, 1]).toContain(await runCli(['run', '--provider', 'runware', '--levels', 'low', '--out', 'mismatch'], io));
      const summary = readSummary(path.join(project, 'mismatch'));
      expect(summary.groups.map((g) => g.costMismatchSamples)).toEqual([4, 12]);
      const lines = readFileSync(path.join(project, 'mismatch', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { costUsd: number; costSource: string });
      expect(lines.every((l) => l.costSource === 'api')).toBe(true);
      expect(summary.totals.costUsd).toBeCloseTo(lines.reduce((sum, l) => sum + l.costUsd, 0), 12);
      expect(io.out()).toContain("Prices: the API's cost of 16 samples differs from the price table by more than 1% (sentiment · openai-gpt-5-5 · low · n=1 ×4, sentiment · openai-gpt-5-5 · low · n=3 ×12); the API's figure is used.");
      expect(readFileSync(path.join(project, 'mismatch', 'summary.md'), 'utf8')).toContain("⚠️ Prices: the API's cost of 16 samples differs");
    });
  });
});
