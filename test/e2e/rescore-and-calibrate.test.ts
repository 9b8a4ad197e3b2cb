import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type AnsweredTask } from '../../src/simulator/simulator-server.js';
import type { JudgeCalibration } from '../../src/results/judge-calibration.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { artefactValidator } from '../support/artefact-schema.js';
import { memoryIo } from '../support/memory-io.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/projects/judged');

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'evalgate-rescore-'));
  cpSync(FIXTURE, root, { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI against a fresh simulator of seed 3 (the same answers each time); returns what it was asked. */
async function cli(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string; tasks: AnsweredTask[] }> {
  const tasks: AnsweredTask[] = [];
  const simulator = await startSimulator({
    seed: 3, scenarios: await loadScenarios(path.join(root, 'scenarios'), root), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, apiKey: 'k',
    onTaskAnswered: (task) => tasks.push(task),
  });
  const io = memoryIo({ cwd: root, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: simulator.url } });
  const exitCode = await runCli(args, io);
  await simulator.close();
  return { exitCode, stdout: io.out(), stderr: io.err(), tasks };
}
const read = (dir: string) => ({
  summary: JSON.parse(readFileSync(path.join(root, dir, 'summary.json'), 'utf8')) as RunSummary,
  records: readFileSync(path.join(root, dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord),
});
const isJudgeTask = (t: AnsweredTask) => t.messages[0]?.content.startsWith('# Rubric') ?? false;

describe('evalgate rescore', () => {
  let original: ReturnType<typeof read>;
  let rescored: ReturnType<typeof read>;
  let rescore: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    await cli(['run', '--provider', 'runware', '--out', 'runs/original']);
    original = read('runs/original');
    // The regex was too lenient: every answer must now state the breaking change first.
    const suite = path.join(root, 'evals/notes.yaml');
    writeFileSync(suite, readFileSync(suite, 'utf8').replace("pattern: '^- '", "pattern: '^- Breaking'"));
    rescore = await cli(['rescore', 'runs/original', '--out', 'runs/rescored']);
    rescored = read('runs/rescored');
  }, 60_000);

  it('sends no candidate request: only judge verdicts the cache lacked', () => {
    expect(rescore.tasks.every(isJudgeTask)).toBe(true);
    expect(rescore.tasks).toHaveLength(2); // the two refusals, never cached
    expect(rescore.stderr).toContain('(no candidate request sent)');
  });

  it('keeps every stored answer and applies the current assertions to it', () => {
    expect(rescored.records).toHaveLength(original.records.length);
    const byKey = new Map(original.records.map((r) => [`${r.trialId}/${r.sampleIndex}`, r]));
    for (const record of rescored.records) {
      const before = byKey.get(`${record.trialId}/${record.sampleIndex}`)!;
      expect([record.text, record.costUsd, record.usage, record.latencyMs]).toEqual([before.text, before.costUsd, before.usage, before.latencyMs]);
      if (record.suite !== 'notes' || record.status !== 'completed') continue;
      const regex = record.assertions.find((a) => a.type === 'regex')!;
      expect(regex.pass).toBe(record.text!.startsWith('- Breaking'));
      expect(regex.message).toContain('/^- Breaking/');
    }
    const wrong = rescored.records.filter((r) => r.suite === 'notes' && r.text?.startsWith('- New'));
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.every((r) => r.pass === false)).toBe(true);
  });

  it('reuses cached verdicts, marked as such and not paid again', () => {
    const judged = rescored.records.filter((r) => r.suite === 'notes' && r.judge);
    expect(judged.length).toBeGreaterThan(0);
    for (const r of judged) expect(r.judge).toMatchObject({ cachedCalls: r.judge!.calls, costUsd: 0 });
  });

  it('writes a complete run folder, gated, with its exit code', () => {
    for (const file of ['run.json', 'results.jsonl', 'summary.json', 'junit.xml', 'summary.md', 'report.html']) expect(existsSync(path.join(root, 'runs/rescored', file)), file).toBe(true);
    expect(rescored.summary.runId).not.toBe(original.summary.runId);
    expect(rescore.exitCode).toBe(rescored.summary.gate.exitCode);
    const regexFailures = (r: ReturnType<typeof read>) => r.records.filter((s) => s.assertions.some((a) => a.type === 'regex' && !a.pass)).length;
    expect(regexFailures(rescored)).toBeGreaterThan(regexFailures(original));
    expect(artefactValidator('summary.schema.json')(rescored.summary)).toBe('valid');
  });
});

describe('evalgate calibrate', () => {
  let calibration: JudgeCalibration;

  beforeAll(async () => {
    const labels = [
      { case: 'keys', text: '- Breaking: API keys now expire after 90 days; rotate keys before upgrading.', pass: true },
      { case: 'keys', text: '- New dashboard with graphs.', pass: false },
      { case: 'keys-again', text: '- Breaking: API keys now expire after 90 days; rotate keys before upgrading.', pass: true, note: 'same answer' },
      { case: 'keys-again', text: '- New dashboard with graphs.', pass: true, note: 'a lenient labeller' },
    ];
    writeFileSync(path.join(root, 'labels.jsonl'), labels.map((l) => JSON.stringify(l)).join('\n'));
    const { stdout, exitCode } = await cli(['calibrate', 'evals/notes.yaml', '--labels', 'labels.jsonl', '--provider', 'runware', '--json']);
    expect(exitCode).toBe(0);
    calibration = JSON.parse(stdout) as JudgeCalibration;
  }, 60_000);

  it('reports accuracy, kappa and the confusion matrix, listing every miss', () => {
    expect(calibration.n).toBe(4);
    const { truePass, falsePass, falseFail, trueFail } = calibration.confusion;
    expect(truePass + falsePass + falseFail + trueFail).toBe(4);
    expect(calibration.accuracy).toBeCloseTo((truePass + trueFail) / 4, 12);
    expect(calibration.falsePasses).toHaveLength(falsePass);
    expect(calibration.falseFails).toHaveLength(falseFail);
    expect(calibration.falseFails.some((m) => m.note === 'a lenient labeller')).toBe(true);
    expect(calibration.cost.calls).toBe(4 * 3);
  });

  it('keeps the calibration, and later runs with that rubric record it in summary.json', async () => {
    expect(readdirSync(path.join(root, '.evalgate/calibrations'))).toHaveLength(1);
    await cli(['run', '--provider', 'runware', '--out', 'runs/after-calibration', '--reporter', 'json']);
    const { summary } = read('runs/after-calibration');
    expect(summary.judgeCalibrations).toHaveLength(1);
    expect(summary.judgeCalibrations![0]).toMatchObject({ suite: 'notes', n: 4, accuracy: calibration.accuracy, falseFails: calibration.falseFails.length });
    expect(artefactValidator('summary.schema.json')(summary)).toBe('valid');
  });
});
