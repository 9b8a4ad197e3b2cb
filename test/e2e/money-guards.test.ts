import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { answerEach, resultItem, startFakeRunwareServer, type FakeAnswer, type FakeRunwareServer, type WireTask } from '../support/fake-runware-server.js';
import { memoryIo } from '../support/memory-io.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/sentiment');

/** The sentiment project (24 trials, concurrency 4) run with the Runware client against a fake server. */
describe('money guards against a Runware-format server', () => {
  let dir: string;
  let server: FakeRunwareServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-guards-'));
    cpSync(fixture, dir, { recursive: true });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const serve = async (respond: (tasks: WireTask[]) => FakeAnswer) => (server = await startFakeRunwareServer(respond));
  const run = async (args: string[]) => {
    const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'rw_wrong_key', RUNWARE_API_URL: server!.url } });
    const code = await runCli(['run', '--provider', 'runware', '--out', 'run', ...args], io);
    return { code, io };
  };
  const readRecords = () => readFileSync(path.join(dir, 'run', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
  const readSummary = () => JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;

  it.each([
    [401, 'invalidApiKey', 'the API key was refused (HTTP 401 INVALID_API_KEY)'],
    [402, 'insufficientCredits', 'the account has no credit left (HTTP 402 INSUFFICIENT_CREDITS)'],
    [403, 'forbidden', 'the API key may not do this (HTTP 403 FORBIDDEN)'],
  ])('after the first %i sends no new trial and ends with exit 3 and one line', async (status, code, line) => {
    await serve(() => ({ status, body: { errors: [{ code, message: 'no' }] }, delayMs: 5 }));
    const result = await run(['--reporter', 'json']);
    expect(result.code).toBe(3);
    // The four in flight when the first answer came back; none after it.
    expect(server!.requests).toBeLessThanOrEqual(4);
    // One line when it stops; at the end the verdict (no console report was chosen, so on stderr).
    expect(result.io.err().trim().split('\n')).toEqual([
      `stopping: ${line}; no new request is sent (those in flight finish)`,
      'Gate: FAILED (exit 3)',
      `  - ${line}; ${24 - server!.requests} trials were not sent`,
      'Artefacts: run',
    ]);
    expect(result.io.err()).not.toContain('rw_wrong_key');
    // The run's artefacts say the same, in one reason; `evalgate report` rebuilds the same verdict.
    const summary = readSummary();
    expect(summary.skipped).toMatchObject({ trials: 24 - server!.requests, cause: 'refused' });
    expect(summary.gate).toEqual({ passed: false, exitCode: 3, reasons: [{ code: 'ACCESS_REFUSED', message: `${line}; ${24 - server!.requests} trials were not sent` }], notices: [] });
    const rebuilt = memoryIo({ cwd: dir });
    expect(await runCli(['report', 'run'], rebuilt)).toBe(3);
    expect(rebuilt.out()).toContain(`the API refused the run (HTTP ${status} `);
  });

  it('with --max-cost 1 against a server that bills $246,914 a sample, flags the samples, warns, and exits 3 saying the budget was passed', async () => {
    await serve((tasks) => answerEach(tasks, () => ({ cost: 246914, promptTokens: 30, completionTokens: 2 })));
    const { code, io } = await run(['--max-cost', '1', '--reporter', 'json']);
    expect(code).toBe(3);
    const records = readRecords();
    expect(records.length).toBeLessThanOrEqual(4 * 3);
    expect(records.every((r) => r.costFlag?.startsWith("the API's cost, $246914, is "))).toBe(true);
    const summary = readSummary();
    expect(summary.gate.reasons).toContainEqual({ code: 'BUDGET_EXCEEDED', message: expect.stringMatching(/^the run spent \$[\d,.]+, above --max-cost \$1/) });
    expect(io.err().split('\n').filter((l) => l.startsWith('warning: ') && l.includes('price table makes of the usage'))).toHaveLength(1);
  });

  it('estimate --exact against a server that ignores the dry-run header: one probe, recognised as run, its cost said, nothing more sent', async () => {
    await serve((tasks) => answerEach(tasks, () => ({ promptTokens: 40, completionTokens: 300, thinkingTokens: 100, cost: 0.0122 })));
    const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: server!.url } });
    expect(await runCli(['estimate', '--exact', '--out', 'exact'], io)).toBe(3);
    expect(server!.requests).toBe(1);
    expect(io.err()).toMatch(/error INFRASTRUCTURE: the dry run was not honoured: the one request sent \(sentiment\/[\w-]+ · openai-gpt-5-5 · \w+ · n=\d\) was run and answered with text and usage, not priced; it cost \$0\.0(122|244|366)\. The other 23 were not sent\./);
    expect(io.out()).not.toContain('nothing was run or charged');
  });

  it('cuts off a 50 MB answer at the size limit: errored samples, a small journal, nothing retried', async () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, 'a');
    await serve(() => ({ raw: huge }));
    const { code } = await run(['--filter', 'love-it', '--levels', 'none', '--reporter', 'json']);
    expect(code).toBe(3);
    const records = readRecords();
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.status === 'errored' && r.error!.code === 'RESPONSE_TOO_LARGE')).toBe(true);
    expect(records[0]!.error!.message).toContain('maxResultBytes');
    expect(server!.requests).toBe(2);
    expect(statSync(path.join(dir, 'run', 'results.jsonl')).size).toBeLessThan(10_000);
  });

  it('takes maxResultBytes from evalconfig.yaml', async () => {
    appendFileSync(path.join(dir, 'evalconfig.yaml'), 'maxResultBytes: 2048\n');
    await serve((tasks) => answerEach(tasks, () => ({ text: 'Positive '.repeat(300) })));
    await run(['--filter', 'love-it', '--levels', 'none', '--reporter', 'json']);
    const records = readRecords();
    // 2,048 bytes per result: n=1 may hold 2,048, n=3 6,144; answers of 2,700 characters pass both.
    expect(records.map((r) => r.error?.code)).toEqual(Array(4).fill('RESPONSE_TOO_LARGE'));
    expect(records.find((r) => r.numberResults === 1)!.error!.message).toContain('passed 2,048 bytes');
    expect(records.find((r) => r.numberResults === 3)!.error!.message).toContain('passed 6,144 bytes');
    // Under the default of 4 MiB the same answers are read.
    rmSync(path.join(dir, 'run'), { recursive: true });
    writeFileSync(path.join(dir, 'evalconfig.yaml'), readFileSync(path.join(dir, 'evalconfig.yaml'), 'utf8').replace('maxResultBytes: 2048\n', ''));
    await run(['--filter', 'love-it', '--levels', 'none', '--reporter', 'json']);
    expect(readRecords().every((r) => r.status === 'completed')).toBe(true);
  });

  it('counts a negative or overflowing cost at the price table, flagged, never as money given back', async () => {
    let n = 0;
    // JSON has no Infinity: 1e999 is how a number too large to be finite reaches the client.
    await serve((tasks) => {
      const items = tasks.flatMap((t) => Array.from({ length: t.numberResults ?? 1 }, () => resultItem(t, { cost: n++ % 2 ? -3 : 'OVERFLOW', promptTokens: 30, completionTokens: 2 })));
      return { raw: JSON.stringify({ data: items }).replaceAll('"OVERFLOW"', '1e999') };
    });
    const { code, io } = await run(['--max-cost', '5', '--reporter', 'json']);
    expect(code).not.toBe(2);
    const records = readRecords();
    expect(records.length).toBe(48);
    expect(records.every((r) => r.costFlag !== undefined && r.costSource === 'priceTable' && r.costUsd! > 0 && r.costUsd! < 0.01)).toBe(true);
    expect(records.filter((r) => r.costFlag!.includes('negative ($-3)')).length).toBeGreaterThan(0);
    expect(records.filter((r) => r.costFlag!.includes('not a finite number')).length).toBeGreaterThan(0);
    expect(io.err()).toContain('costFlag in results.jsonl');
    expect(existsSync(path.join(dir, 'run', 'summary.json'))).toBe(true);
  });
});
