import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { answerEach, startFakeRunwareServer, type FakeRunwareServer } from '../support/fake-runware-server.js';
import { memoryIo } from '../support/memory-io.js';

/** How long the server takes to answer, and the regex bound: a blocked loop would add the second to the first. */
const SERVER_DELAY_MS = 300;
const ASSERTION_TIMEOUT_MS = 600;

describe('a catastrophic regex against a slow server', () => {
  let dir: string;
  let server: FakeRunwareServer;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-slow-regex-'));
    writeFileSync(
      path.join(dir, 'evalconfig.yaml'),
      `suites: ["evals/*.yaml"]\nprovider: runware\nconcurrency: 4\nrequestTimeoutMs: 1200\nassertionTimeoutMs: ${ASSERTION_TIMEOUT_MS}\nretry: {maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5}\n`,
    );
    mkdirSync(path.join(dir, 'evals'));
    // A backreference keeps the pattern off the linear engine: it runs in the worker, and backtracks for minutes.
    writeFileSync(
      path.join(dir, 'evals', 'slow.yaml'),
      [
        'suite: slow',
        'model: openai-gpt-5-5',
        'settings: {maxTokens: 200}',
        'sweep: {thinkingLevel: [low], numberResults: [1]}',
        'repeats: 8',
        "assert: [{type: regex, pattern: '(a+)+\\1b'}]",
        'cases: [{id: aaa, messages: [{role: user, content: "Say a lot of a"}]}]',
        '',
      ].join('\n'),
    );
    server = await startFakeRunwareServer((tasks) => ({ ...answerEach(tasks, () => ({ text: `${'a'.repeat(40)}!`, cost: 0.0001 })), delayMs: SERVER_DELAY_MS }));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves latency and retries as they would be without it: one attempt each, no sample timed out, every check errored at its bound', { timeout: 30_000 }, async () => {
    const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: server.url } });
    await runCli(['run', '--out', 'run', '--reporter', 'json'], io);
    const records = readFileSync(path.join(dir, 'run', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
    expect(records).toHaveLength(8);
    expect(server.requests).toBe(8);
    expect(records.map((r) => r.attempts)).toEqual(Array(8).fill(1));
    expect(records.every((r) => r.status === 'completed' && r.assertions[0]!.errored === true)).toBe(true);
    // Each request's own time is the server's, not the server's plus another sample's check.
    for (const r of records) expect(r.latencyMs!).toBeLessThan(SERVER_DELAY_MS + ASSERTION_TIMEOUT_MS);
    console.log(`latencies with a catastrophic regex in flight: ${records.map((r) => Math.round(r.latencyMs!)).join(', ')} ms (server ${SERVER_DELAY_MS} ms)`);
  });
});
