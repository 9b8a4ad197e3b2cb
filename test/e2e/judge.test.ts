import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDGE_PROMPT_VERSION, VERDICT_JSON_SCHEMA } from '../../src/assertions/judge-prompt.js';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type AnsweredTask, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { artefactValidator } from '../support/artefact-schema.js';
import { memoryIo } from '../support/memory-io.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/projects/judged');

interface Run {
  exitCode: number;
  stdout: string;
  summary: RunSummary;
  records: SampleRecord[];
  markdown: string;
}

/**
 * Judge assertions end to end: the CLI against a Runware-format server (the simulator, which grades
 * judge requests deterministically), over real HTTP, in a copy of a fixture project.
 */
describe('a suite graded by a judge', () => {
  let root: string;
  const answered: AnsweredTask[] = [];
  let first: Run;
  let second: Run & { tasks: number };
  let uncached: Run;

  /** One run against a fresh simulator of the same seed: the same answers every time, so the cache can serve them. */
  async function run(out: string, ...extra: string[]): Promise<Run & { tasks: number }> {
    const simulator: RunningSimulator = await startSimulator({
      seed: 3, scenarios: await loadScenarios(path.join(root, 'scenarios'), root), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, apiKey: 'test-key',
      onTaskAnswered: (task) => answered.push(task),
    });
    const io = memoryIo({ cwd: root, env: { RUNWARE_API_KEY: 'test-key', RUNWARE_API_URL: simulator.url } });
    const dir = path.join(root, out);
    const exitCode = await runCli(['run', '--provider', 'runware', '--out', dir, '--reporter', 'console,json,markdown', ...extra], io);
    await simulator.close();
    return {
      tasks: simulator.stats.tasks,
      exitCode,
      stdout: io.out(),
      summary: JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as RunSummary,
      records: readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord),
      markdown: readFileSync(path.join(dir, 'summary.md'), 'utf8'),
    };
  }

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'evalgate-judge-'));
    cpSync(FIXTURE, root, { recursive: true });
    first = await run('run1');
    second = await run('run2');
    uncached = await run('run3', '--no-judge-cache');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const notes = (r: Run) => r.records.filter((s) => s.suite === 'notes');

  it('asks the judge with outputFormat JSON, the verdict schema, the rubric, the answer and never the reasoning', () => {
    const judged = answered.filter((t) => t.messages[0]?.content.includes('# Rubric'));
    expect(judged.length).toBeGreaterThan(0);
    const request = judged[0]!;
    expect(request.model).toBe('openai:gpt@5.5');
    expect(request.thinkingLevel).toBe('low');
    expect(request.numberResults).toBe(1);
    expect(request.messages[0]!.content).toContain('Mentions the breaking change and nothing that is not in the notes.');
    expect(request.messages[0]!.content).toContain('# Answer to grade (a JSON string)\n"- ');
    expect(VERDICT_JSON_SCHEMA.schema).toMatchObject({ required: ['pass', 'score', 'reason'] });
  });

  it('asks k verdicts per answer and records them, their agreement and the prompt version with every sample', () => {
    for (const record of notes(first)) {
      if (record.status !== 'completed') continue;
      const judge = record.judge!;
      expect(judge.calls).toBe(3);
      expect(judge.judges).toHaveLength(1);
      const [verdicts] = judge.judges;
      expect(verdicts!.promptVersion).toBe(JUDGE_PROMPT_VERSION);
      expect(verdicts!.verdicts).toHaveLength(3);
      const passes = verdicts!.verdicts.filter((v) => v.pass).length;
      expect(verdicts!.pass).toBe(passes >= 2);
      expect(verdicts!.agreement).toBeCloseTo(Math.max(passes, 3 - passes) / 3);
      expect(verdicts!.isUnsure).toBe(passes === 1 || passes === 2);
    }
  });

  it('keeps the judge’s cost apart: per sample, in totals and per group, out of the candidate’s $/sample', () => {
    const { totals, groups } = first.summary;
    const judged = first.records.reduce((sum, r) => sum + (r.judge?.costUsd ?? 0), 0);
    const candidate = first.records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    expect(totals.judgeCostUsd).toBeGreaterThan(0);
    expect(totals.judgeCostUsd).toBeCloseTo(judged, 10);
    expect(totals.costUsd).toBeCloseTo(candidate, 10);
    expect(groups.reduce((sum, g) => sum + (g.judgeCostUsd ?? 0), 0)).toBeCloseTo(judged, 10);
    const low = groups.find((g) => g.suite === 'notes' && g.thinkingLevel === 'low')!;
    const lowCandidate = first.records.filter((r) => r.suite === 'notes' && r.thinkingLevel === 'low' && r.status === 'completed');
    expect(low.costPerSampleUsd).toBeCloseTo(lowCandidate.reduce((s, r) => s + r.costUsd!, 0) / lowCandidate.length, 10);
    expect(first.stdout).toMatch(/Judge: \d+ calls · \$[\d.]+, apart from the answers' \$[\d.]+ · run total \$[\d.]+/);
    expect(first.markdown).toContain("apart from the answers'");
  });

  it('errors a sample whose judge refused or gave no verdict (JUDGE_ERROR), never a pass or a fail', () => {
    const refusals = first.records.filter((r) => r.suite === 'refusals');
    expect(refusals.map((r) => [r.case, r.status, r.pass, r.error?.code])).toEqual([
      ['refused', 'errored', null, 'JUDGE_ERROR'],
      ['garbled', 'errored', null, 'JUDGE_ERROR'],
    ].sort((a, b) => refusals.findIndex((r) => r.case === a[0]) - refusals.findIndex((r) => r.case === b[0])));
    expect(refusals.find((r) => r.case === 'refused')!.error!.message).toContain('refused');
    expect(refusals.find((r) => r.case === 'garbled')!.error!.message).toContain('did not answer JSON');
    // The answer and both costs are kept: they were paid for.
    for (const r of refusals) {
      expect(r.text).not.toBeNull();
      expect(r.judge?.calls).toBe(1);
    }
    expect(first.summary.totals.errorsByCode.JUDGE_ERROR).toBe(2);
  });

  it('samples until decided on judged verdicts: a case is weighed once judged, one whose judge errored not at all', async () => {
    const seq = await run('seq', '--until-decided', '--order-seed', '3');
    const sequential = seq.summary.sequential!;
    expect(seq.records).toHaveLength(sequential.totals.sentSamples);
    const notesGroups = sequential.groups.filter((g) => g.suite === 'notes');
    expect(notesGroups.length).toBeGreaterThan(0);
    for (const g of notesGroups) {
      // Every case it took was judged before it was weighed: its observations are the cases it recorded.
      const cases = new Set(seq.records.filter((r) => r.suite === 'notes' && r.thinkingLevel === g.thinkingLevel && r.judge).map((r) => r.case));
      expect(g.observedCases).toBe(cases.size);
    }
    // The refusals suite's samples all errored (JUDGE_ERROR): no observation, so no test moved.
    for (const g of sequential.groups.filter((x) => x.suite === 'refusals')) expect(g.thresholdTest.eValues).toEqual({ above: 1, below: 1 });
    expect(seq.summary.totals.judgeCostUsd).toBeGreaterThanOrEqual(0);
  });

  it('answers a rerun from the verdict cache: marked cached, nothing paid again, the same verdicts', () => {
    expect(second.tasks).toBe(6 + 2); // the candidate's 6 trials, and the 2 refusals asked again
    expect(second.summary.totals.judge!.cachedCalls).toBe(second.summary.totals.judge!.calls - 2); // the refusals are never cached
    expect(second.summary.totals.judgeCostUsd).toBeGreaterThan(0);
    expect(second.summary.totals.judgeCostUsd).toBeLessThan(first.summary.totals.judgeCostUsd! / 5);
    expect(second.records.map((r) => r.pass)).toEqual(first.records.map((r) => r.pass));
    for (const record of notes(second)) {
      for (const v of record.judge?.judges[0]?.verdicts ?? []) expect(v).toMatchObject({ cached: true, costUsd: 0 });
    }
    expect(second.stdout).toContain('cached, not paid again');
  });

  it('pays again with --no-judge-cache', () => {
    expect(uncached.summary.totals.judge!.cachedCalls).toBe(0);
    expect(uncached.summary.totals.judgeCostUsd).toBeGreaterThan(0);
  });

  it('under --max-cost --allow-partial with room for the run, grades every answer: a judge call waits for room, never refused while others hold it', async () => {
    const total = uncached.summary.totals.costUsd + uncached.summary.totals.judgeCostUsd!;
    const budgeted = await run('budgeted', '--no-judge-cache', '--max-cost', (total * 1.5).toFixed(4), '--allow-partial', '--concurrency', '4');
    // Before, the trials in flight held their worst cases while their judges asked, and most judge calls were refused.
    expect(budgeted.records.filter((r) => r.error?.message.includes('--max-cost'))).toEqual([]);
    expect(budgeted.summary.totals.judge!.calls).toBe(uncached.summary.totals.judge!.calls);
    expect(budgeted.summary.totals.costUsd + budgeted.summary.totals.judgeCostUsd!).toBeLessThanOrEqual(total * 1.5);
    expect(budgeted.exitCode).toBe(uncached.exitCode);
  });

  it('writes artefacts the published schemas accept', () => {
    const line = artefactValidator('result-line.schema.json');
    for (const record of first.records) expect(line(record)).toBe('valid');
    expect(artefactValidator('summary.schema.json')(first.summary)).toBe('valid');
  });
});
