import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { memoryIo } from '../support/memory-io.js';

/**
 * A sweep with a weak level (`none`, about 40% passing) beside the level the product ships (`medium`,
 * about 97%): with gateOn the run can pass; baselines refuse runs that would compare badly; a resumed
 * run refuses rules that changed.
 */
function writeProject(dir: string, suite: Record<string, unknown> = {}): void {
  mkdirSync(path.join(dir, 'evals'), { recursive: true });
  mkdirSync(path.join(dir, 'scenarios'), { recursive: true });
  writeFileSync(path.join(dir, 'evalconfig.yaml'), stringify({ provider: 'simulator', concurrency: 8, simulator: { seed: 3, scenarios: 'scenarios', latencyScale: 0 } }));
  writeFileSync(path.join(dir, 'scenarios', 'facts.yaml'), stringify({
    scenario: 'facts', match: 'Answer the question',
    levels: { none: { accuracy: 0.4, thinkingTokens: 0, latencyMs: 5 }, medium: { accuracy: 0.97, thinkingTokens: 80, latencyMs: 5 } },
    answers: [{ correct: 'right', wrong: 'wrong' }],
  }));
  writeFileSync(path.join(dir, 'evals', 'facts.yaml'), stringify({
    suite: 'facts', settings: { systemPrompt: 'Answer the question.' },
    sweep: { thinkingLevel: ['none', 'medium'], numberResults: [2] },
    threshold: 0.85,
    messages: [{ role: 'user', content: 'Question {{n}}?' }],
    assert: [{ type: 'contains', value: 'right' }],
    cases: Array.from({ length: 16 }, (_, i) => ({ id: `q${i}`, vars: { n: i } })),
    ...suite,
  }));
}

const readSummary = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as RunSummary;

describe('gateOn: a sweep with a weak level can pass', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-gateon-'));
    writeProject(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails on the weak level without gateOn, passes with it, and measures the weak level all the same', async () => {
    expect(await runCli(['run', '--out', 'all', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(1);
    expect(readSummary(path.join(dir, 'all')).gate.reasons.map((r) => `${r.code} ${r.thinkingLevel}`)).toEqual(['BELOW_THRESHOLD none']);

    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--out', 'gated', '--gate-on', 'thinkingLevel=medium', '--no-color'], io)).toBe(0);
    const summary = readSummary(path.join(dir, 'gated'));
    expect(summary.groups.map((g) => [g.thinkingLevel, g.gated])).toEqual([['none', false], ['medium', true]]);
    expect(summary.groups[0]!.passRate!).toBeLessThan(0.85);
    expect(summary.config.suites[0]!.gateOn).toEqual({ thinkingLevel: ['medium'] });
    expect(io.out()).toContain('threshold 85% on thinkingLevel medium (the other settings are measured, not gated)');
    expect(readFileSync(path.join(dir, 'gated', 'summary.md'), 'utf8')).toContain('measured, not gated');
  });

  it('takes gateOn from the suite, and says which key of the flag is wrong', async () => {
    writeProject(dir, { gateOn: { thinkingLevel: ['medium'] } });
    expect(await runCli(['run', '--out', 'suite-key', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--gate-on', 'level=medium'], io)).toBe(2);
    expect(io.err()).toContain('--gate-on: "level=medium" is not KEY=VALUE[,VALUE]');
    writeProject(dir);
  });

  it('compares the weak level with the baseline without failing on it', async () => {
    expect(await runCli(['baseline', 'save', 'gated'], memoryIo({ cwd: dir }))).toBe(0);
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--seed', '9', '--out', 'rerun', '--gate-on', 'thinkingLevel=medium', '--baseline', 'reports/baseline', '--reporter', 'json'], io)).toBe(0);
    const comparison = readSummary(path.join(dir, 'rerun')).baseline!;
    expect(comparison.groups.map((g) => [g.thinkingLevel, g.gated])).toEqual([['none', false], ['medium', true]]);
    // Only the gated setting's tests are in the family: its pass rate and its cost.
    expect(comparison.family).toMatchObject({ size: 2, tests: { passRate: 1, cost: 1 } });
    expect(comparison.groups[1]!.minDetectableDrop).toBeGreaterThan(0);
  });
});

describe('baselines that mean something', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-baseline-'));
    writeProject(dir, { gateOn: { thinkingLevel: ['medium'] } });
    expect(await runCli(['run', '--out', 'filtered', '--filter', 'facts/q1*', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    expect(await runCli(['run', '--out', 'shard', '--shard', '1/2', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    expect(await runCli(['run', '--out', 'whole', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a filtered run or one shard (exit 2, saying why), and keeps it with --force, caveats recorded', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['baseline', 'save', 'filtered'], io)).toBe(2);
    expect(io.err()).toContain('filtered would make a poor baseline: it ran part of the suites (--filter facts/q1*)');
    const shard = memoryIo({ cwd: dir });
    expect(await runCli(['baseline', 'save', 'shard'], shard)).toBe(2);
    expect(shard.err()).toContain('it is shard 1/2 of a run');
    expect(await runCli(['baseline', 'save', 'filtered', '--force', '--to', 'forced'], memoryIo({ cwd: dir }))).toBe(0);
    const coverage = JSON.parse(readFileSync(path.join(dir, 'forced', 'baseline.json'), 'utf8')) as { caveats: string[]; cases: number };
    expect(coverage.caveats).toEqual(['it ran part of the suites (--filter facts/q1*)']);
    expect(coverage.cases).toBeLessThan(16);
  });

  it('refuses an interrupted run and one the budget cut short', async () => {
    for (const [field, value, words] of [['interrupted', true, 'it was interrupted'], ['skipped', { trials: 3, samples: 6, reason: 'budget', trialIds: [] }, 'the budget left 3 trials unsent']] as const) {
      const copy = path.join(dir, `copy-${field}`);
      mkdirSync(copy);
      writeFileSync(path.join(copy, 'summary.json'), JSON.stringify({ ...readSummary(path.join(dir, 'whole')), [field]: value }));
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['baseline', 'save', `copy-${field}`], io)).toBe(2);
      expect(io.err()).toContain(words);
    }
  });

  it('saves a whole run, recording what it covers', async () => {
    expect(await runCli(['baseline', 'save', 'whole'], memoryIo({ cwd: dir }))).toBe(0);
    const coverage = JSON.parse(readFileSync(path.join(dir, 'reports', 'baseline', 'baseline.json'), 'utf8')) as Record<string, unknown>;
    expect(coverage).toMatchObject({ suites: ['facts'], settings: 2, cases: 16, samples: 64, caveats: [] });
  });
});

describe('--resume refuses rules that changed', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-resume-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['an assertion', { assert: [{ type: 'contains', value: 'righ' }] }, {}, "suite facts's assertions, threshold or gateOn"],
    ['the threshold', { threshold: 0.5 }, {}, "suite facts's assertions, threshold or gateOn"],
    ['gateOn', { gateOn: { thinkingLevel: ['none'] } }, {}, "suite facts's assertions, threshold or gateOn"],
    ['the gate policy', {}, { gate: { alpha: 0.01 } }, 'the gate settings'],
  ])('refuses when %s changed since the run started', async (_what, suiteChange, configChange, words) => {
    const project = mkdtempSync(path.join(dir, 'p-'));
    writeProject(project);
    expect(await runCli(['run', '--out', 'run', '--reporter', 'json'], memoryIo({ cwd: project }))).toBeLessThan(2);
    writeProject(project, suiteChange);
    if (Object.keys(configChange).length > 0) {
      writeFileSync(path.join(project, 'evalconfig.yaml'), stringify({ provider: 'simulator', concurrency: 8, simulator: { seed: 3, scenarios: 'scenarios', latencyScale: 0 }, ...configChange }));
    }
    const io = memoryIo({ cwd: project });
    expect(await runCli(['run', '--resume', 'run'], io)).toBe(2);
    expect(io.err()).toContain(words);
    expect(io.err()).toContain('changed since it started');
  });
});

describe("design.md's example suite", () => {
  it('loads key for key, gateOn included, and gates only medium', async () => {
    const { loadProject } = await import('../../src/config/load-project.js');
    const project = await loadProject({ cwd: path.resolve(import.meta.dirname, '../fixtures/projects/design-example') });
    const [suite] = project.suites;
    expect(suite).toMatchObject({ name: 'invoice-extraction', threshold: 0.9, gateOn: { thinkingLevel: ['medium'] }, numberResults: [4], outputFormat: 'JSON' });
    expect(suite!.cases[0]!.thinkingLevels).toEqual(['low', 'medium', 'high']);
  });
});
