import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo } from '../support/memory-io.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/sentiment');

describe('--max-cost', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-budget-'));
    cpSync(fixture, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    const io = memoryIo({ cwd: dir });
    const code = await runCli(['run', '--provider', 'simulator', ...args], io);
    return { code, io };
  };
  const readSummary = (runDir: string) => JSON.parse(readFileSync(path.join(dir, runDir, 'summary.json'), 'utf8')) as RunSummary;
  const readRecords = (runDir: string) =>
    readFileSync(path.join(dir, runDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
  const sumCost = (records: readonly SampleRecord[]) => records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);

  it('refuses a run whose worst case is above the budget, naming what weighs most, and sends nothing', async () => {
    const { code, io } = await run(['--max-cost', '0.2', '--out', 'run']);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/the worst case of this run, \$0\.\d+ .* is above --max-cost \$0\.2; nothing was sent\. Most of it: sentiment · openai-gpt-5-5 · \w+ · n=3/);
    expect(io.err()).toContain('--allow-partial');
    // Refused before the provider starts: no run folder holding a lone run.json that reads as a run.
    expect(existsSync(path.join(dir, 'run'))).toBe(false);
    expect(existsSync(path.join(dir, 'reports'))).toBe(false);
  });

  it('with --allow-partial, never spends past the budget, records what it skipped, exits 3; resume finishes it', async () => {
    const { code, io } = await run(['--max-cost', '0.2', '--allow-partial', '--out', 'run']);
    expect(code).toBe(3);
    const summary = readSummary('run');
    const spent = sumCost(readRecords('run'));
    expect(spent).toBeLessThanOrEqual(0.2);
    expect(spent).toBeGreaterThan(0);
    expect(summary.skipped).toMatchObject({ trials: 24 - summary.totals.trials, reason: expect.stringContaining('--max-cost $0.2') });
    // What was spent, to four significant digits at most: not $0.1850 or $10.0000.
    expect(summary.skipped!.reason).toMatch(/\(\$0\.\d{1,4} spent\)$/);
    expect(summary.skipped!.reason).not.toMatch(/\d\.\d*0 spent/);
    expect(summary.skipped!.trialIds).toHaveLength(summary.skipped!.trials);
    expect(summary.gate.reasons).toContainEqual(expect.objectContaining({ code: 'BUDGET_EXHAUSTED' }));
    expect(io.out()).toContain('were not sent');

    // The budget is the whole run's: resumed with the same one, what was spent already leaves no room.
    const same = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--resume', 'run', '--max-cost', '0.2', '--allow-partial'], same)).toBe(3);
    const unchanged = readSummary('run');
    expect(readRecords('run')).toHaveLength(summary.totals.samples);
    expect(unchanged.skipped).toMatchObject({ trials: summary.skipped!.trials, reason: expect.stringContaining('of it before --resume') });
    expect(sumCost(readRecords('run'))).toBeCloseTo(spent, 10);

    const larger = 1;
    const resumed = memoryIo({ cwd: dir });
    expect([0, 1]).toContain(await runCli(['run', '--resume', 'run', '--max-cost', String(larger)], resumed));
    const final = readSummary('run');
    expect(final).toMatchObject({ skipped: null, totals: { trials: 24, samples: 48 } });
    const total = sumCost(readRecords('run'));
    expect(total).toBeLessThanOrEqual(larger);
    expect(final.totals.costUsd).toBeCloseTo(total, 10);
    // A finished run has nothing left to bound: resumed with a budget it already passed, it sends
    // nothing and reports as before, rather than refusing with a usage error.
    const finished = memoryIo({ cwd: dir });
    expect([0, 1]).toContain(await runCli(['run', '--resume', 'run', '--max-cost', '0.01'], finished));
    expect(finished.err()).not.toContain('Most of it');
    expect(sumCost(readRecords('run'))).toBeCloseTo(total, 10);
    console.log(
      `--max-cost 0.2 --allow-partial: spent $${spent.toFixed(4)}, ${summary.skipped!.trials} of 24 trials skipped; ` +
        `--resume --max-cost 0.2: ${unchanged.skipped!.trials} skipped, nothing sent; --resume --max-cost ${larger}: 24 trials, $${total.toFixed(4)} in all`,
    );
  });

  it('refuses a budget that is not a positive number', async () => {
    const { code, io } = await run(['--max-cost', '0']);
    expect(code).toBe(2);
    expect(io.err()).toContain('--max-cost must be a positive number');
  });

  it.each([
    [['--concurrency', '100000'], '--concurrency must be a whole number from 1 to 1024, got 100000'],
    [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 1024, got 0'],
    [['--seed', 'abc'], '--seed takes a number, got "abc"'],
    [['--concurrency', 'abc'], '--concurrency takes a number, got "abc"'],
    [['--max-cost=$5'], '--max-cost takes a number, got "$5"'],
    [['--seed', '1.5'], '--seed must be a whole number, got 1.5'],
  ])('refuses %j before sending anything', async (flags, message) => {
    const { code, io } = await run([...flags, '--out', 'run']);
    expect(code).toBe(2);
    expect(io.err()).toContain(message);
    expect(existsSync(path.join(dir, 'run', 'results.jsonl'))).toBe(false);
  });

  it('learns the expectation from a baseline given with --history, as a CI shard with no local history does', async () => {
    expect([0, 1]).toContain((await run(['--reporter', 'json', '--out', 'downloaded/baseline'])).code);
    const baseline = readSummary('downloaded/baseline');
    const budget = String(Number((baseline.totals.costUsd * 1.5).toPrecision(2)));

    // Without it, nothing in reports/ to learn from: every setting is judged at maxTokens.
    await run(['--max-cost', budget, '--allow-partial', '--out', 'blind', '--reporter', 'json']);
    expect(readSummary('blind').estimate!.groups.every((g) => g.basis === 'maxTokens')).toBe(true);

    const taught = await run(['--max-cost', budget, '--allow-partial', '--history', 'downloaded/baseline', '--out', 'taught', '--reporter', 'json']);
    expect([0, 1, 3]).toContain(taught.code);
    const summary = readSummary('taught');
    expect(summary.estimate!.groups.every((g) => g.basis === 'history')).toBe(true);
    expect(summary.totals.costUsd).toBeLessThanOrEqual(Number(budget));
  });

  it('refuses a --history that does not exist', async () => {
    const { code, io } = await run(['--history', 'nowhere', '--out', 'x']);
    expect(code).toBe(2);
    expect(io.err()).toContain('--history nowhere does not exist');
  });
});

describe('--max-cost and the expected cost', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-expected-'));
    cpSync(fixture, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses, even with --allow-partial, a run expected from an earlier one to cost more than the budget, naming what dominates', async () => {
    expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--reporter', 'json'], memoryIo({ cwd: dir })));
    const earlier = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'summary.json'), 'utf8')) as RunSummary;
    const budget = String(Number((earlier.totals.costUsd / 2).toPrecision(2)));

    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--provider', 'simulator', '--max-cost', budget, '--allow-partial', '--out', 'run'], io)).toBe(2);
    expect(io.err()).toMatch(new RegExp(`this run is expected to cost \\$[\\d.]+ \\(learned from earlier runs; 95% range \\$[\\d.]+–\\$[\\d.]+\\), above --max-cost \\$${budget}; nothing was sent`));
    // The high level thinks most: it dominates, and is named first.
    expect(io.err()).toMatch(/Most of it: sentiment · openai-gpt-5-5 · high · n=3: \$[\d.]+;/);
    expect(existsSync(path.join(dir, 'run'))).toBe(false);
    // The newest run is still the earlier one.
    expect(realpathSync(path.join(dir, 'reports', 'latest'))).toBe(realpathSync(path.join(dir, 'reports', earlier.runId)));
  });

  it('lets a run start whose expected cost fits the budget, though its worst case does not, with --allow-partial', async () => {
    expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--reporter', 'json'], memoryIo({ cwd: dir })));
    const earlier = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'summary.json'), 'utf8')) as RunSummary;
    // Half again what the earlier run cost: above the expectation learned from it, far below the worst case.
    const budget = String(Number((earlier.totals.costUsd * 1.5).toPrecision(2)));
    expect(earlier.estimate!.groups.every((g) => g.basis === 'maxTokens')).toBe(true);
    expect(Number(budget)).toBeLessThan(earlier.estimate!.totals.highCostUsd);

    const io = memoryIo({ cwd: dir });
    const code = await runCli(['run', '--provider', 'simulator', '--max-cost', budget, '--allow-partial', '--out', 'run'], io);
    expect([0, 1, 3]).toContain(code);
    const summary = JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.totals.costUsd).toBeLessThanOrEqual(Number(budget));
    expect(summary.estimate!.groups.every((g) => g.basis === 'history')).toBe(true);
  });
});
