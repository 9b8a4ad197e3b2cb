import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import type { Faults } from '../../src/config/simulator-faults.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type AnsweredTask, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo, type MemoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/projects/sentiment');
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }).default;

/** Checks values against one of the artefact schemas in schemas/; returns 'valid' or the first errors. */
function validator(schemaFile: string): (value: unknown) => string {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schemas', schemaFile), 'utf8')) as object);
  return (value) => (validate(value) ? 'valid' : JSON.stringify(validate.errors?.slice(0, 3)));
}

/** A copy of the sentiment project whose suite uses `deliveryMethod`, and whose config polls fast. */
function projectWith(deliveryMethod: string, configExtra = ''): string {
  const dir = mkdtempSync(path.join(tmpdir(), `evalgate-${deliveryMethod}-`));
  cpSync(fixture, dir, { recursive: true });
  const suite = path.join(dir, 'evals/sentiment.yaml');
  writeFileSync(suite, readFileSync(suite, 'utf8').replace('suite: sentiment\n', `suite: sentiment\ndeliveryMethod: ${deliveryMethod}\n`));
  const config = path.join(dir, 'evalconfig.yaml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}polling: {firstDelayMs: 5, factor: 1.5, maxDelayMs: 20, deadlineMs: 2000}\n${configExtra}`);
  return dir;
}

interface Run {
  code: number;
  io: MemoryIo;
  summary: RunSummary;
  records: SampleRecord[];
  answered: AnsweredTask[];
  simulator: RunningSimulator;
}

/** Runs the project against a simulator this test controls (so it can count what the server did). */
async function runAgainstSimulator(dir: string, faults: Partial<Faults> = {}, args: string[] = []): Promise<Run> {
  const answered: AnsweredTask[] = [];
  const simulator = await startSimulator({
    seed: 5, scenarios: await loadScenarios(path.join(dir, 'scenarios'), dir), models: new ModelTable(DEFAULT_MODELS), latencyScale: 1, faults,
    onTaskAnswered: (t) => answered.push(t),
  });
  const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: simulator.url } });
  try {
    const code = await runCli(['run', '--provider', 'runware', '--out', 'out', ...args], io);
    const summary = JSON.parse(readFileSync(path.join(dir, 'out/summary.json'), 'utf8')) as RunSummary;
    const records = readFileSync(path.join(dir, 'out/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
    return { code, io, summary, records, answered, simulator };
  } finally {
    await simulator.close();
  }
}

describe('async delivery, end to end: evalgate run against the simulator, polling getResponse', () => {
  let dir: string;
  let run: Run;
  beforeAll(async () => {
    dir = projectWith('async');
    run = await runAgainstSimulator(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends one async task per trial and collects every result by polling', () => {
    expect(run.summary.plannedTrials).toBe(24);
    expect(run.simulator.stats.tasks).toBe(24);
    expect(run.simulator.stats.polls).toBeGreaterThanOrEqual(24);
    expect(run.records).toHaveLength(4 * 3 * (1 + 3));
    expect(run.summary.totals.errored).toBe(0);
  });

  it('records what the server delivered, result for result', () => {
    const delivered = run.answered.flatMap((t) => t.results.map((r) => r.text)).sort();
    expect(run.records.map((r) => r.text).sort()).toEqual(delivered);
  });

  it('exits with the gate verdict, as a sync run does', () => {
    expect([0, 1]).toContain(run.code);
  });
});

describe('async delivery by webhook, end to end: evalgate run --webhook-listen against the simulator', () => {
  let dir: string;
  let run: Run;
  beforeAll(async () => {
    dir = projectWith('async', 'webhook: {fallbackAfterMs: 5000}\n');
    run = await runAgainstSimulator(dir, {}, ['--webhook-listen', '127.0.0.1:0']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('receives every result by webhook, polling only where two results of a task are identical', () => {
    expect(run.records).toHaveLength(48);
    expect(run.summary.totals.errored).toBe(0);
    expect(run.simulator.stats.webhooks.delivered).toBe(48);
    // Identical results look like a retried delivery: only getResponse can tell them apart.
    const identical = run.answered.filter((t) => new Set(t.results.map((r) => JSON.stringify(r))).size < t.results.length);
    expect(identical.length).toBeGreaterThan(0);
    expect(run.simulator.stats.polls).toBeGreaterThanOrEqual(identical.length);
    expect(run.simulator.stats.polls).toBeLessThan(run.summary.plannedTrials);
    // Every delivery is accounted for: filed, dropped as a repeat, or ignored as late (its task already settled by a poll).
    const [, accepted, duplicates, refused, ignored] = /webhook: (\d+) results received, (\d+) duplicates dropped, (\d+) requests refused, (\d+) ignored/.exec(run.io.err())!.map(Number);
    expect(accepted! + duplicates! + ignored!).toBe(48);
    expect(refused).toBe(0);
    expect(duplicates).toBeGreaterThan(0);
  });

  it('sends a webhookURL with a per-run token, and writes that token nowhere', () => {
    const urls = new Set(run.answered.map((t) => t.webhookURL));
    expect(urls.size).toBe(1);
    const [url] = [...urls];
    const token = url!.split('/').pop()!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const written = [run.io.out(), run.io.err(), ...['summary.json', 'results.jsonl', 'run.json'].map((f) => readFileSync(path.join(dir, 'out', f), 'utf8'))];
    for (const text of written) expect(text).not.toContain(token);
  });
});

describe('webhook deliveries that are lost or repeated', () => {
  it('polls getResponse for what the webhook did not bring by the fallback deadline, and counts a repeated result once', async () => {
    const dir = projectWith('async', 'webhook: {fallbackAfterMs: 30}\n');
    try {
      const run = await runAgainstSimulator(dir, { webhookLost: 0.25, webhookDuplicate: 0.25 }, ['--webhook-listen', '127.0.0.1:0']);
      expect(run.simulator.stats.webhooks.lost).toBeGreaterThan(0);
      expect(run.simulator.stats.webhooks.duplicated).toBeGreaterThan(0);
      expect(run.simulator.stats.polls).toBeGreaterThan(0);
      expect(run.records).toHaveLength(48);
      expect(run.summary.totals.errored).toBe(0);
      expect(new Set(run.records.map((r) => `${r.trialId}/${r.sampleIndex}`)).size).toBe(48);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stream delivery, end to end: evalgate run against the simulator, reading server-sent events', () => {
  let dir: string;
  let run: Run;
  beforeAll(async () => {
    dir = projectWith('stream');
    run = await runAgainstSimulator(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends a trial of numberResults N as N one-result tasks, and records every result once', () => {
    // 4 cases × 3 levels × (1 + 3) results: one task, and one request, per result.
    expect(run.simulator.stats.tasks).toBe(48);
    expect(run.simulator.stats.requests).toBe(48);
    expect(run.records).toHaveLength(48);
    expect(new Set(run.records.map((r) => `${r.trialId}/${r.sampleIndex}`)).size).toBe(48);
    expect(run.summary.totals.errored).toBe(0);
  });

  it('records time to first token and to first text on every streamed sample, first token first', () => {
    for (const record of run.records) {
      expect(record.deliveryMethod).toBe('stream');
      expect(record.timeToFirstTokenMs).toBeGreaterThan(0);
      if (record.text) expect(record.timeToFirstTextMs!).toBeGreaterThanOrEqual(record.timeToFirstTokenMs!);
      expect(record.latencyMs!).toBeGreaterThanOrEqual(record.timeToFirstTokenMs!);
    }
  });

  it('summarizes TTFT percentiles per group, says a stream of 3 is 3 tasks, and shows both on the console', () => {
    for (const group of run.summary.groups) {
      expect(group.deliveryMethods).toEqual(['stream']);
      expect(group.tasksPerTrial).toBe(group.numberResults);
      expect(group.timeToFirstTokenMs!.p50).toBeGreaterThan(0);
    }
    // More thinking means a later first visible text.
    const text = (level: string) => run.summary.groups.find((g) => g.thinkingLevel === level && g.numberResults === 1)!.timeToFirstTextMs!.p50!;
    expect(text('high')).toBeGreaterThan(text('none'));
    expect(run.io.out()).toContain('TTFT p50');
    expect(run.io.out()).toContain('stream ×3');
    expect(run.io.out()).toMatch(/Totals: .* · TTFT p50 [\d,]+ ms/);
  });

  it('writes artefacts their JSON Schemas accept, time to first token included', () => {
    const validLine = validator('result-line.schema.json');
    for (const record of run.records) expect(validLine(record)).toBe('valid');
    expect(validator('summary.schema.json')(run.summary)).toBe('valid');
  });
});

describe('batching, end to end: several tasks in one request against the simulator', () => {
  it.each(['sync', 'async'])('sends %s tasks in batches of up to batchSize, and records every result with its own trial', async (method) => {
    const dir = projectWith(method, 'batchSize: 4\n');
    try {
      const run = await runAgainstSimulator(dir);
      expect(run.simulator.stats.tasks).toBe(24);
      const submissions = run.simulator.stats.requests - run.simulator.stats.polls;
      expect(submissions).toBeLessThan(24);
      expect(submissions).toBeGreaterThanOrEqual(6);
      expect(run.records).toHaveLength(48);
      expect(run.summary.totals.errored).toBe(0);
      // Each trial got its own task's results: the texts line up with what the server sent, task by task.
      const sent = run.answered.flatMap((t) => t.results.map((r) => `${t.messages.at(-1)!.content}|${t.thinkingLevel}|${t.numberResults}|${r.text}`)).sort();
      const byCase: Record<string, string> = { 'love-it': 'I love it', 'hate-it': 'I hate it', meh: 'It is a chair', sarcasm: 'Great, it broke on day one' };
      const recorded = run.records.map((r) => `Review: ${byCase[r.case]}|${r.thinkingLevel}|${r.numberResults}|${r.text}`).sort();
      expect(recorded).toEqual(sent);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('async results that never arrive', () => {
  it('are errored samples with ASYNC_TIMEOUT, never failures, and the run goes on', async () => {
    const dir = projectWith('async', '');
    try {
      writeFileSync(path.join(dir, 'evalconfig.yaml'), readFileSync(path.join(dir, 'evalconfig.yaml'), 'utf8').replace('deadlineMs: 2000', 'deadlineMs: 150'));
      const run = await runAgainstSimulator(dir, { asyncStuck: 0.3 }, ['--filter', 'love-it']);
      const stuck = run.records.filter((r) => r.status === 'errored');
      expect(stuck.length).toBeGreaterThan(0);
      for (const record of stuck) {
        expect(record.error).toMatchObject({ code: 'ASYNC_TIMEOUT' });
        expect(record.pass).toBeNull();
      }
      expect(run.summary.totals.errorsByCode).toEqual({ ASYNC_TIMEOUT: stuck.length });
      expect(run.records.filter((r) => r.status === 'completed').length).toBe(run.records.length - stuck.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('async chosen for xhigh', () => {
  it('sends xhigh async, saying so, when a worst-case sync request would outlive requestTimeoutMs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-xhigh-'));
    try {
      cpSync(fixture, dir, { recursive: true });
      // 400 tokens at GPT-5.5's ~60 tokens/s is ~7 s, above this project's requestTimeoutMs of 5 s.
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['validate', '--levels', 'low,xhigh'], io)).toBe(0);
      expect(io.err()).toContain('notice: sentiment: openai-gpt-5-5 at xhigh with maxTokens 400 may take up to ~7 s');
      expect(io.err()).toContain('sent async (set deliveryMethod to choose)');
      expect(io.out()).toContain('delivery sync, async');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--webhook-listen on the command line', () => {
  it('receives async results from the built-in simulator too (--provider simulator)', async () => {
    const dir = projectWith('async', 'webhook: {fallbackAfterMs: 5000}\n');
    try {
      const io = memoryIo({ cwd: dir });
      expect([0, 1]).toContain(await runCli(['run', '--provider', 'simulator', '--webhook-listen', '127.0.0.1:0', '--out', 'out', '--filter', 'love-it'], io));
      expect(io.err()).toMatch(/webhook: listening on 127\.0\.0\.1:\d+; async results are POSTed to http:\/\/127\.0\.0\.1:\d+\/webhook\/<per-run token>/);
      expect(io.err()).toMatch(/webhook: \d+ results received/);
      const records = readFileSync(path.join(dir, 'out/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
      expect(records).toHaveLength(12);
      expect(records.every((r) => r.status === 'completed' && r.deliveryMethod === 'async')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts no receiver when no trial is async, and says so', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-no-async-'));
    try {
      cpSync(fixture, dir, { recursive: true });
      const io = memoryIo({ cwd: dir });
      expect([0, 1]).toContain(await runCli(['run', '--webhook-listen', '127.0.0.1:0', '--out', 'out', '--filter', 'love-it'], io));
      expect(io.err()).toContain('notice: --webhook-listen: no trial of this run is async, so no receiver was started');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--webhook-listen', 'localhost'], '--webhook-listen takes HOST:PORT, got "localhost"'],
    [['--webhook-listen', '127.0.0.1:0', '--webhook-public-url', 'ftp://x'], '--webhook-public-url must be an http(s) URL'],
    [['--webhook-public-url', 'https://tunnel.example.com'], '--webhook-public-url needs --webhook-listen'],
  ])('refuses %j before sending anything (exit 2)', async (flags, message) => {
    const dir = projectWith('async');
    try {
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['run', ...flags, '--out', 'out'], io)).toBe(2);
      expect(io.err()).toContain(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
