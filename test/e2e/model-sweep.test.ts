import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type AnsweredTask } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { memoryIo, type MemoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The example comparing GPT-5.5 at two levels with a cheaper model, run against the simulator. */
describe('a sweep over models, end to end: the support-reply-models example', () => {
  let out: string;
  let io: MemoryIo;
  let summary: RunSummary;
  const answered: AnsweredTask[] = [];

  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'evalgate-models-'));
    const simulator = await startSimulator({
      seed: 7, scenarios: await loadScenarios(path.join(root, 'fixtures/simulator'), root), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0.02,
      onTaskAnswered: (t) => answered.push(t),
    });
    try {
      io = memoryIo({ cwd: root, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: simulator.url } });
      await runCli(['run', 'evals/support-reply-models.yaml', '--provider', 'runware', '--out', out, '--reporter', 'console,json'], io);
    } finally {
      await simulator.close();
    }
    summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("sends each model its AIR, at each level, as one-result stream tasks", () => {
    const perModel = (air: string) => answered.filter((t) => t.model === air);
    expect(perModel('openai:gpt@5.5')).toHaveLength(20);
    expect(perModel('deepseek:v4@flash')).toHaveLength(20);
    expect(new Set(answered.map((t) => t.thinkingLevel))).toEqual(new Set(['low', 'high']));
    expect(answered.every((t) => t.numberResults === 1)).toBe(true);
  });

  it('reports one group per model and level, the cheap model far cheaper per sample, with time to first token', () => {
    expect(summary.groups.map((g) => `${g.model}/${g.thinkingLevel}`)).toEqual(['deepseek-v4-flash/low', 'deepseek-v4-flash/high', 'openai-gpt-5-5/low', 'openai-gpt-5-5/high']);
    const cost = (model: string, level: string) => summary.groups.find((g) => g.model === model && g.thinkingLevel === level)!.costPerSampleUsd!;
    expect(cost('deepseek-v4-flash', 'high')).toBeLessThan(cost('openai-gpt-5-5', 'low') / 10);
    expect(cost('openai-gpt-5-5', 'high')).toBeGreaterThan(cost('openai-gpt-5-5', 'low'));
    for (const group of summary.groups) expect(group.timeToFirstTokenMs!.p50).toBeGreaterThan(0);
    expect(io.out()).toMatch(/deepseek-v4-flash │ low .*stream ×2/);
  });
});
