import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { answerEach, startFakeRunwareServer, type FakeRunwareServer } from '../support/fake-runware-server.js';
import { memoryIo } from '../support/memory-io.js';

/** GPT-5.5's price, USD per 1M tokens (the model table's). */
const INPUT = 5;
const OUTPUT = 30;

/**
 * A project of 200 trials of 2 samples at `high` with maxTokens 120, run at concurrency 16 against a
 * Runware-format server that bills thinking past maxTokens.
 */
function writeProject(dir: string): void {
  writeFileSync(path.join(dir, 'evalconfig.yaml'), 'suites: ["evals/*.yaml"]\nprovider: runware\nconcurrency: 16\nrequestTimeoutMs: 10000\nretry: {maxAttempts: 1}\n');
  mkdirSync(path.join(dir, 'evals'));
  writeFileSync(
    path.join(dir, 'evals', 'overrun.yaml'),
    [
      'suite: overrun',
      'model: openai-gpt-5-5',
      'settings: {maxTokens: 120}',
      'sweep: {thinkingLevel: [high], numberResults: [2]}',
      'repeats: 200',
      'assert: [{type: contains, value: positive, ignoreCase: true}]',
      'cases: [{id: love-it, messages: [{role: user, content: "Review: I love it"}]}]',
      '',
    ].join('\n'),
  );
}

describe('--max-cost against a server that bills thinking past maxTokens', () => {
  let dir: string;
  let server: FakeRunwareServer;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-overrun-'));
    writeProject(dir);
    let drawn = 0;
    // Thinking of 400 to 799 tokens per result (deterministic), billed on top of 5 tokens of text:
    // four to seven times maxTokens.
    server = await startFakeRunwareServer((tasks) => ({
      ...answerEach(tasks, () => {
        const thinkingTokens = 400 + ((drawn++ * 137) % 400);
        return { thinkingTokens, completionTokens: 5, promptTokens: 20, cost: (20 * INPUT + (5 + thinkingTokens) * OUTPUT) / 1e6 };
      }),
      delayMs: 5,
    }));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends below $0.70 on a $0.50 budget, says once that the model bills past maxTokens, and exits 3 saying the budget was passed', async () => {
    const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: server.url } });
    const code = await runCli(['run', '--max-cost', '0.5', '--allow-partial', '--out', 'run', '--reporter', 'json'], io);
    const records = readFileSync(path.join(dir, 'run', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
    const spent = records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    const summary = JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;

    // The bound of docs/cost.md: the budget, plus what the trials in flight when the first overrun
    // landed (at most --concurrency of them) cost beyond their reservations.
    expect(spent).toBeLessThan(0.7);
    expect(server.tasks).toBeLessThanOrEqual(16 + 1);
    expect(code).toBe(3);
    expect(summary.gate.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['BUDGET_EXHAUSTED', 'BUDGET_EXCEEDED']));
    expect(summary.gate.reasons.find((r) => r.code === 'BUDGET_EXCEEDED')!.message).toMatch(/the run spent \$0\.\d+, above --max-cost \$0\.5/);
    const warnings = io.err().split('\n').filter((l) => l.includes('past its maxTokens'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: openai-gpt-5-5: a result was billed \d+ output tokens \(completion \+ thinking\), past its maxTokens of 120; --max-cost now reserves \d+ per sample/);
    console.log(`--max-cost 0.5 --allow-partial against thinking billed past maxTokens 120: spent $${spent.toFixed(4)} on ${server.tasks} tasks of 200`);
  });

  it('with a budget that covers what was observed, goes on sending at the observed worst case and never passes the budget again', async () => {
    const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: server.url } });
    await runCli(['run', '--max-cost', '3', '--allow-partial', '--out', 'run', '--reporter', 'json'], io);
    const records = readFileSync(path.join(dir, 'run', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
    const spent = records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    // The first 16 trials go out on maxTokens, the rest on 1.5× the largest output seen: those never
    // pass what is left, so the run ends within its budget, having sent more than the first wave.
    expect(spent).toBeLessThanOrEqual(3);
    expect(server.tasks).toBeGreaterThan(32);
    expect(io.err().split('\n').filter((l) => l.includes('past its maxTokens'))).toHaveLength(1);
  });
});

describe('--max-cost against a server whose cost is 20 times the price table, usage within maxTokens', () => {
  let dir: string;
  let server: FakeRunwareServer;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-overbill-'));
    writeProject(dir);
    // 30 thinking and 5 text tokens of 120: within maxTokens, but billed 20 times their price (six worst cases a trial).
    server = await startFakeRunwareServer((tasks) => ({
      ...answerEach(tasks, () => ({ thinkingTokens: 30, completionTokens: 5, promptTokens: 20, cost: (20 * (20 * INPUT + 35 * OUTPUT)) / 1e6 })),
      delayMs: 5,
    }));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends nothing after the first wave once the first answer shows it, says so once, and exits 3 saying the budget was passed', async () => {
    const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: server.url } });
    const code = await runCli(['run', '--max-cost', '0.5', '--allow-partial', '--out', 'run', '--reporter', 'json'], io);
    const summary = JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;
    // Before, the run learned only from output past maxTokens: it went on sending at the table's worst
    // case until spending reached the budget, then the wave in flight landed on top of it.
    expect(server.tasks).toBeLessThanOrEqual(16 + 1);
    expect(code).toBe(3);
    expect(summary.gate.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['BUDGET_EXHAUSTED', 'BUDGET_EXCEEDED']));
    const warnings = io.err().split('\n').filter((l) => l.includes('the price table makes of it'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: openai-gpt-5-5: a trial was billed \$[\d.]+, 20× the \$[\d.]+ the price table makes of it; --max-cost now reserves 30× the price table's worst case/);
  });
});
