import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type AnsweredTask, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo } from '../support/memory-io.js';

const project = path.resolve(import.meta.dirname, '../fixtures/projects/sentiment');
const LABELS: Record<string, string> = { 'I love it': 'positive', 'I hate it': 'negative', 'It is a chair': 'neutral', 'Great, it broke on day one': 'negative' };

/**
 * The whole pipeline over real HTTP: the CLI's `run`, the undici client, a Runware-format server.
 * The server logs what it answered; the test counts passes from that log by its own rule and
 * compares with what evalgate reported.
 */
describe('evalgate run against a Runware-format server', () => {
  let simulator: RunningSimulator;
  const answered: AnsweredTask[] = [];
  let outDir: string;
  let summary: RunSummary;
  let records: SampleRecord[];
  let exitCode: number;
  let stdout: string;

  beforeAll(async () => {
    const scenarios = await loadScenarios(path.join(project, 'scenarios'), project);
    simulator = await startSimulator({
      seed: 5,
      scenarios,
      models: new ModelTable(DEFAULT_MODELS),
      latencyScale: 0,
      apiKey: 'test-key',
      onTaskAnswered: (task) => answered.push(task),
    });
    outDir = mkdtempSync(path.join(tmpdir(), 'evalgate-e2e-'));
    const io = memoryIo({ cwd: project, env: { RUNWARE_API_KEY: 'test-key', RUNWARE_API_URL: simulator.url } });
    exitCode = await runCli(['run', '--provider', 'runware', '--out', outDir], io);
    stdout = io.out();
    summary = JSON.parse(readFileSync(path.join(outDir, 'summary.json'), 'utf8')) as RunSummary;
    records = readFileSync(path.join(outDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
  });

  afterAll(async () => {
    await simulator.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('sends exactly one task per trial', () => {
    // 4 cases × 3 levels × 2 numberResults values.
    expect(summary.plannedTrials).toBe(24);
    expect(simulator.stats.tasks).toBe(24);
    expect(simulator.stats.requests).toBe(24);
    expect(new Set(answered.map((t) => t.taskUUID)).size).toBe(24);
  });

  it('records every result the server sent, once', () => {
    const sent = answered.reduce((n, t) => n + t.results.length, 0);
    expect(sent).toBe(4 * 3 * (1 + 3));
    expect(records).toHaveLength(sent);
    expect(summary.totals.samples).toBe(sent);
    expect(new Set(records.map((r) => `${r.trialId}/${r.sampleIndex}`)).size).toBe(sent);
  });

  it('reports the pass counts the server log implies, group by group', () => {
    const expected = new Map<string, { passed: number; failed: number }>();
    for (const task of answered) {
      const review = task.messages.at(-1)!.content.replace('Review: ', '');
      const label = LABELS[review]!;
      const key = `${task.thinkingLevel}/${task.numberResults}`;
      const tally = expected.get(key) ?? { passed: 0, failed: 0 };
      for (const result of task.results) {
        if (result.finishReason === 'stop' && result.text.toLowerCase().includes(label)) tally.passed++;
        else tally.failed++;
      }
      expected.set(key, tally);
    }
    expect(summary.groups).toHaveLength(6);
    for (const group of summary.groups) {
      expect({ passed: group.passed, failed: group.failed }).toEqual(expected.get(`${group.thinkingLevel}/${group.numberResults}`));
    }
    const totalPassed = [...expected.values()].reduce((n, t) => n + t.passed, 0);
    expect(summary.totals.passed).toBe(totalPassed);
  });

  it('shows the trade-off the scenario encodes: more effort passes more often', () => {
    const rate = (level: string) => {
      const groups = summary.groups.filter((g) => g.thinkingLevel === level);
      const passed = groups.reduce((n, g) => n + g.passed, 0);
      return passed / groups.reduce((n, g) => n + g.passed + g.failed, 0);
    };
    expect(rate('high')).toBeGreaterThan(rate('none'));
  });

  it('exits with the gate verdict and prints the reasons', () => {
    const below = summary.groups.filter((g) => g.passRate !== null && g.passRate < 0.75);
    expect(exitCode).toBe(below.length > 0 ? 1 : 0);
    expect(summary.gate.reasons.filter((r) => r.code === 'BELOW_THRESHOLD')).toHaveLength(below.length);
    for (const group of below) expect(stdout).toContain(`sentiment · openai-gpt-5-5 · ${group.thinkingLevel} · n=${group.numberResults}: pass rate`);
  });

  it('is not marked simulated: as far as evalgate knows, this was the real API', () => {
    expect(summary.provider).toBe('runware');
    expect(summary.simulated).toBe(false);
    expect(summary.config.apiUrl).toBe(simulator.url);
  });
});
