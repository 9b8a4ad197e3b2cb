import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The estimate's promise, on the simulator over real HTTP: learned from one run of the example
 * suites, it predicts the next run's actual cost (other seed, other draws) within ±15%.
 */
describe('an estimate learned from one run predicts the next', () => {
  let project: string;
  let first: RunSummary;
  let second: RunSummary;

  const run = async (seed: number, out: string): Promise<RunSummary> => {
    const io = memoryIo({ cwd: project });
    expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--seed', String(seed), '--out', out], io));
    return JSON.parse(readFileSync(path.join(project, out, 'summary.json'), 'utf8')) as RunSummary;
  };

  beforeAll(async () => {
    project = mkdtempSync(path.join(tmpdir(), 'evalgate-accuracy-'));
    for (const entry of ['evals', 'fixtures/schemas', 'fixtures/simulator', 'fixtures/data']) cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
    const config = readFileSync(path.join(root, 'evalconfig.yaml'), 'utf8').replace(/latencyScale: [\d.]+/, 'latencyScale: 0');
    writeFileSync(path.join(project, 'evalconfig.yaml'), config);
    first = await run(7, 'reports/first');
    second = await run(8, 'reports/second');
  }, 60_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('records, in a first run without history, a bound by maxTokens that the actual cost stays under', () => {
    const estimate = first.estimate!;
    expect(estimate.history).toEqual({ runs: 0, samples: 0 });
    expect(estimate.groups.every((g) => g.basis === 'maxTokens')).toBe(true);
    expect(first.totals.costUsd).toBeLessThan(estimate.totals.expectedCostUsd);
    expect(first.totals.costUsd).toBeGreaterThan(estimate.totals.lowCostUsd);
  });

  it('records, in the next run, an estimate learned from the first that is within ±15% of what it cost', () => {
    const estimate = second.estimate!;
    expect(estimate.history).toEqual({ runs: 1, samples: first.totals.samples - first.totals.errored });
    expect(estimate.groups.every((g) => g.basis === 'history')).toBe(true);
    expect(estimate.totals).toMatchObject({ trials: second.totals.trials, samples: second.totals.samples });
    const error = estimate.totals.expectedCostUsd / second.totals.costUsd - 1;
    expect(Math.abs(error), `estimate $${estimate.totals.expectedCostUsd.toFixed(4)} vs actual $${second.totals.costUsd.toFixed(4)}`).toBeLessThanOrEqual(0.15);
  });
});
