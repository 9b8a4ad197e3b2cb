import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_CLI } from '../support/built-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { compileScenario, ScenarioSchema } from '../../src/simulator/scenario.js';
import { startSimulator, type AnsweredTask, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';

const CLI = BUILT_CLI;
const CASES = 30;

/** A project of 30 cases × 3 levels × numberResults 1 and 2: 180 trials, each answered in ~40 ms. */
function writeProject(dir: string): void {
  mkdirSync(path.join(dir, 'evals'));
  writeFileSync(path.join(dir, 'evalconfig.yaml'), 'concurrency: 4\nrequestTimeoutMs: 5000\nretry: {baseDelayMs: 5, maxDelayMs: 20}\nthreshold: 0\n');
  const cases = Array.from({ length: CASES }, (_, i) => `  - {id: q${i}, vars: {n: ${i}}}`).join('\n');
  writeFileSync(
    path.join(dir, 'evals', 'count.yaml'),
    `suite: count\nsettings: {systemPrompt: "Count."}\nsweep: {thinkingLevel: [none, low, high], numberResults: [1, 2]}\nmessages: [{role: user, content: "question {{n}}"}]\nassert: [{type: contains, value: "ok"}]\ncases:\n${cases}\n`,
  );
}

const scenario = compileScenario(
  ScenarioSchema.parse({
    scenario: 'count',
    match: 'Count',
    levels: { none: { accuracy: 0.5, thinkingTokens: 0, latencyMs: 40 }, low: { accuracy: 0.8, thinkingTokens: 50, latencyMs: 40 }, high: { accuracy: 0.95, thinkingTokens: 100, latencyMs: 40 } },
    answers: [{ correct: 'ok', wrong: 'nope' }],
  }),
);

/** What identifies a trial's content at the server: the question, the level, numberResults. */
const contentOfTask = (t: AnsweredTask) => `${t.messages.at(-1)!.content}|${t.thinkingLevel}|${t.numberResults}`;
const contentOfRecord = (r: SampleRecord) => `question ${r.case.slice(1)}|${r.thinkingLevel}|${r.numberResults}`;

function readRecords(runDir: string): SampleRecord[] {
  return readFileSync(path.join(runDir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as SampleRecord];
      } catch {
        return []; // a torn last line
      }
    });
}

/** Trials whose every sample is in the journal. */
function completeTrials(records: readonly SampleRecord[]): Map<string, SampleRecord> {
  const counts = new Map<string, { record: SampleRecord; n: number }>();
  for (const r of records) counts.set(r.trialId, { record: r, n: (counts.get(r.trialId)?.n ?? 0) + 1 });
  return new Map([...counts].filter(([, c]) => c.n === c.record.numberResults).map(([id, c]) => [id, c.record]));
}

describe('a run killed or interrupted mid-way, then resumed', () => {
  let dir: string;
  let simulator: RunningSimulator;
  let answered: AnsweredTask[];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-resume-'));
    writeProject(dir);
    answered = [];
    simulator = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale: 1, onTaskAnswered: (t) => answered.push(t) });
  });
  afterEach(async () => {
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const spawnRun = (args: string[]): ChildProcess =>
    spawn(process.execPath, [CLI, 'run', '--no-color', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'k' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const whenAnswered = (count: number) =>
    new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (answered.length >= count) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });

  it('after SIGKILL, resumes without asking again for any trial it had recorded, and ends with every trial once', async () => {
    const first = spawnRun(['--provider', 'runware', '--out', 'run']);
    await whenAnswered(40);
    first.kill('SIGKILL');
    await exitOf(first);
    const runDir = path.join(dir, 'run');
    const beforeResume = completeTrials(readRecords(runDir));
    expect(beforeResume.size).toBeGreaterThan(20);
    expect(beforeResume.size).toBeLessThan(180);

    const second = spawnRun(['--resume', 'run']);
    expect(await exitOf(second)).toBe(0);

    // At the server: a trial recorded before the kill was asked exactly once, ever.
    const asked = new Map<string, number>();
    for (const task of answered) asked.set(contentOfTask(task), (asked.get(contentOfTask(task)) ?? 0) + 1);
    for (const record of beforeResume.values()) expect(asked.get(contentOfRecord(record))).toBe(1);
    // Only those in flight at the kill may have been asked twice: at most the concurrency.
    const askedTwice = [...asked.values()].filter((n) => n > 1).length;
    expect(askedTwice).toBeLessThanOrEqual(4);
    console.log(`SIGKILL: ${beforeResume.size} of 180 trials recorded before the kill, none asked again; ${askedTwice} in flight asked twice`);

    // The final artefacts count what an uninterrupted run would: every trial once, whole.
    const records = readRecords(runDir);
    expect(records).toHaveLength(CASES * 3 * (1 + 2));
    expect(new Set(records.map((r) => `${r.trialId}/${r.sampleIndex}`)).size).toBe(records.length);
    const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.totals).toMatchObject({ trials: 180, samples: 270 });
    expect(summary.plannedTrials).toBe(180);
    expect(summary.interrupted).toBe(false);
  });

  it('after SIGKILL mid async run, resumes by polling the tasks it had sent: the server accepts one task per trial, no more', async () => {
    const suite = path.join(dir, 'evals', 'count.yaml');
    writeFileSync(suite, readFileSync(suite, 'utf8').replace('suite: count\n', 'suite: count\ndeliveryMethod: async\n'));
    writeFileSync(path.join(dir, 'evalconfig.yaml'), `${readFileSync(path.join(dir, 'evalconfig.yaml'), 'utf8')}polling: {firstDelayMs: 5, factor: 1.5, maxDelayMs: 20, deadlineMs: 20000}\n`);
    const first = spawnRun(['--provider', 'runware', '--out', 'run']);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (simulator.stats.tasks >= 40) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    first.kill('SIGKILL');
    await exitOf(first);
    const runDir = path.join(dir, 'run');
    const recordedBefore = completeTrials(readRecords(runDir)).size;
    const journaled = readFileSync(path.join(runDir, 'async-tasks.jsonl'), 'utf8').trim().split('\n').length;
    // Some trials were sent and not yet recorded when the run was killed: those are what resume must not pay for again.
    expect(journaled).toBeGreaterThan(recordedBefore);

    const second = spawnRun(['--resume', 'run']);
    expect(await exitOf(second)).toBe(0);
    expect(simulator.stats.tasks).toBe(CASES * 3 * 2);
    const records = readRecords(runDir);
    expect(records).toHaveLength(CASES * 3 * (1 + 2));
    expect(new Set(records.map((r) => `${r.trialId}/${r.sampleIndex}`)).size).toBe(records.length);
    console.log(`async SIGKILL: ${recordedBefore} trials recorded, ${journaled} tasks journaled before the kill; ${simulator.stats.tasks} tasks accepted in all for ${CASES * 3 * 2} trials`);
  });

  it('on Ctrl-C, lets in-flight requests finish, writes the artefacts and exits 130; resume completes it', async () => {
    const child = spawnRun(['--provider', 'runware', '--out', 'run']);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    await whenAnswered(30);
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(stderr).toContain('Stopping: no new requests');
    const runDir = path.join(dir, 'run');
    const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.interrupted).toBe(true);
    expect(summary.gate).toMatchObject({ exitCode: 130, reasons: [expect.objectContaining({ code: 'INTERRUPTED' })] });
    // Every trial sent finished and was recorded whole: no torn or partial trial.
    const records = readRecords(runDir);
    const whole = [...completeTrials(records).values()].reduce((n, r) => n + r.numberResults, 0);
    expect(whole).toBe(records.length);
    expect(summary.totals.samples).toBe(records.length);

    const resumed = spawnRun(['--resume', 'run']);
    expect(await exitOf(resumed)).toBe(0);
    expect(readRecords(runDir)).toHaveLength(270);
  });

  it('on a second Ctrl-C, abandons the requests in flight at once', async () => {
    await simulator.close();
    // A server that takes 10 s per request: only abandoning them ends the run quickly.
    simulator = await startSimulator({ seed: 1, scenarios: [scenario], models: new ModelTable(DEFAULT_MODELS), latencyScale: 250, onTaskAnswered: (t) => answered.push(t) });
    const child = spawnRun(['--provider', 'runware', '--out', 'run']);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (simulator.stats.requests >= 4) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    const started = performance.now();
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(stderr).toContain('Ctrl-C again');
    const summary = JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ interrupted: true, totals: { samples: 0 } });
  });
});
