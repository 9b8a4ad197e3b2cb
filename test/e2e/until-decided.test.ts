import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { artefactValidator } from '../support/artefact-schema.js';
import { memoryIo } from '../support/memory-io.js';

/** Runs `body` with the project changed, and puts it back however `body` ends, so one failure does not spread to the next test. */
async function withProject(dir: string, change: Parameters<typeof writeProject> extends [string, ...infer Rest] ? Rest : never, body: () => Promise<void>): Promise<void> {
  writeProject(dir, ...change);
  try {
    await body();
  } finally {
    writeProject(dir);
  }
}

/**
 * `run --until-decided` end to end, through the CLI, the real client and the simulator over HTTP: a
 * weak level (`none`, ~40%) beside the shipped one (`medium`, ~97%), threshold 85%, 120 cases.
 */
function writeProject(dir: string, mediumAccuracy = 0.97, suite: Record<string, unknown> = {}, config: Record<string, unknown> = {}): void {
  mkdirSync(path.join(dir, 'evals'), { recursive: true });
  mkdirSync(path.join(dir, 'scenarios'), { recursive: true });
  writeFileSync(path.join(dir, 'evalconfig.yaml'), stringify({ provider: 'simulator', concurrency: 8, simulator: { seed: 3, scenarios: 'scenarios', latencyScale: 0 }, ...config }));
  writeFileSync(path.join(dir, 'scenarios', 'facts.yaml'), stringify({
    scenario: 'facts', match: 'Answer the question',
    levels: { none: { accuracy: 0.4, thinkingTokens: 0, latencyMs: 5 }, medium: { accuracy: mediumAccuracy, thinkingTokens: 80, latencyMs: 5 } },
    answers: [{ correct: 'right', wrong: 'wrong' }],
  }));
  writeFileSync(path.join(dir, 'evals', 'facts.yaml'), stringify({
    suite: 'facts', settings: { systemPrompt: 'Answer the question.' },
    sweep: { thinkingLevel: ['none', 'medium'], numberResults: [2] },
    threshold: 0.85,
    gateOn: { thinkingLevel: ['medium'] },
    messages: [{ role: 'user', content: 'Question {{n}}?' }],
    assert: [{ type: 'contains', value: 'right' }],
    cases: Array.from({ length: 120 }, (_, i) => ({ id: `q${i}`, vars: { n: i } })),
    ...suite,
  }));
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const readSummary = (dir: string) => readJson<RunSummary>(path.join(dir, 'summary.json'));
const resultLines = (dir: string) => readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
const validSummary = artefactValidator('summary.schema.json');

describe('run --until-decided', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-sequential-'));
    writeProject(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops each setting once it is decided, records every sample it paid for, and says what it saved', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--until-decided', '--order-seed', '11', '--out', 'seq', '--reporter', 'json'], io)).toBe(0);
    const summary = readSummary(path.join(dir, 'seq'));
    expect(validSummary(summary)).toBe('valid');
    const sequential = summary.sequential!;
    expect(sequential.orderSeed).toBe(11);
    const [none, medium] = sequential.groups;
    expect([none!.thinkingLevel, none!.verdict, none!.thresholdTest.decision]).toEqual(['none', 'fails', 'below']);
    expect([medium!.thinkingLevel, medium!.verdict, medium!.thresholdTest.decision]).toEqual(['medium', 'passes', 'above']);
    expect(none!.stoppedAtCase).toBeLessThan(30);
    expect(medium!.stoppedAtCase).toBeLessThan(100);
    // Everything sent is recorded: the trials in flight when a setting was decided landed too.
    expect(resultLines(path.join(dir, 'seq'))).toHaveLength(sequential.totals.sentSamples);
    expect(summary.totals.samples).toBe(sequential.totals.sentSamples);
    expect(sequential.totals.savedSamples).toBe(240 * 2 - sequential.totals.sentSamples);
    expect(sequential.totals.savedSamples).toBeGreaterThan(240);
    expect(sequential.totals.savedCostUsd).toBeGreaterThan(0);
    // The weak level is not gated: decided below, it stops, and the run passes.
    expect(summary.gate.reasons).toEqual([]);
    const manifest = readJson<{ invocation: { orderSeed: number; untilDecided: boolean } }>(path.join(dir, 'seq', 'run.json'));
    expect(manifest.invocation).toMatchObject({ orderSeed: 11, untilDecided: true });
  });

  it('draws the same cases in the same order for the same seed', async () => {
    expect(await runCli(['run', '--until-decided', '--order-seed', '11', '--out', 'seq-again', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const firstCases = (d: string) => [...new Set(resultLines(path.join(dir, d)).map((l) => (JSON.parse(l) as { case: string }).case))].slice(0, 5);
    // Results land in completion order; the first cases drawn are among the first recorded either way.
    expect(new Set(firstCases('seq-again'))).toEqual(new Set(firstCases('seq')));
  });

  it('fails a gated setting decided below its threshold, naming the test that decided it', async () => {
    await withProject(dir, [0.5], async () => {
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['run', '--until-decided', '--order-seed', '1', '--out', 'weak', '--reporter', 'json'], io)).toBe(1);
      const summary = readSummary(path.join(dir, 'weak'));
      const reason = summary.gate.reasons.find((r) => r.code === 'BELOW_THRESHOLD')!;
      expect(reason.message).toMatch(/medium · n=2: its pass rate is below the threshold 85%, decided after \d+ of 120 cases \(e-value [\d.,]+ ≥ 20\.0/);
    });
  });

  it('sequential.undecided: fail fails a setting that ran out of cases undecided', async () => {
    await withProject(dir, [0.85, {}, { sequential: { undecided: 'fail' } }], async () => {
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['run', '--until-decided', '--max-cases', '12', '--order-seed', '1', '--out', 'undecided', '--reporter', 'json'], io)).toBe(1);
      const summary = readSummary(path.join(dir, 'undecided'));
      expect(summary.sequential!.maxCases).toBe(12);
      expect(summary.sequential!.groups[1]!).toMatchObject({ verdict: 'undecided', plannedCases: 12, observedCases: 12, savedSamples: 0 });
      expect(summary.gate.reasons.map((r) => r.code)).toEqual(['UNDECIDED']);
      // Said before the first request: 12 cases can never show a setting meets 85%.
      expect(io.err()).toMatch(/note: facts: 12 cases are too few to decide that a setting meets its threshold of 85% \(that takes \d+ cases even if every one passes\)/);
    });
  });

  it('against a baseline: a drop is decided regressed, an unchanged rerun is not failed', async () => {
    expect(await runCli(['run', '--no-until-decided', '--out', 'base', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    expect(await runCli(['baseline', 'save', 'base'], memoryIo({ cwd: dir }))).toBe(0);
    // A sequential run is no baseline: its decided settings did not see every case.
    const refused = memoryIo({ cwd: dir });
    expect(await runCli(['baseline', 'save', 'seq'], refused)).toBe(2);
    expect(refused.err()).toContain('sampled until decided');

    expect(await runCli(['run', '--until-decided', '--seed', '5', '--order-seed', '1', '--out', 'same', '--baseline', 'reports/baseline', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const same = readSummary(path.join(dir, 'same'));
    expect(same.sequential!.groups[1]!.regressionTest).not.toBeNull();
    expect(same.baseline!.groups[1]!.test).toBe('anytime-betting');

    // Cut short and resumed without --baseline: it keeps asking the baseline it started with.
    const lines = resultLines(path.join(dir, 'same'));
    writeFileSync(path.join(dir, 'same', 'results.jsonl'), `${lines.slice(0, 40).join('\n')}\n`);
    const other = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--resume', 'same', '--baseline', 'seq-again'], other)).toBe(2);
    expect(other.err()).toContain('samples until decided against baseline');
    expect(await runCli(['run', '--resume', 'same', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const resumed = readSummary(path.join(dir, 'same'));
    expect(resumed.baseline!.baselineRunId).toBe(readSummary(path.join(dir, 'base')).runId);
    expect(resumed.sequential!.baselineRunId).toBe(resumed.baseline!.baselineRunId);
    expect(resumed.sequential!.groups[1]!.regressionTest).not.toBeNull();

    await withProject(dir, [0.75, { threshold: 0.5 }], async () => {
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['run', '--until-decided', '--seed', '5', '--order-seed', '1', '--out', 'worse', '--baseline', 'reports/baseline', '--reporter', 'json'], io)).toBe(1);
      const worse = readSummary(path.join(dir, 'worse'));
      const medium = worse.sequential!.groups[1]!;
      expect(medium.regressionTest!.decision).toBe('regressed');
      expect(medium.verdict).toBe('fails');
      expect(medium.stoppedAtCase).toBeLessThan(120);
      expect(worse.gate.reasons.map((r) => r.code)).toContain('REGRESSION');
      expect(worse.baseline!.groups[1]!.pDropAdjusted).toBeLessThanOrEqual(0.05);
    });
  });

  it('beside a suite with a fixed plan: the regression test is held to the whole family, and what it decides fails the gate', async () => {
    // A second gated suite, on the fixed plan: the gate's family holds its tests too.
    const other = (accuracyNote: string) =>
      writeFileSync(path.join(dir, 'evals', 'other.yaml'), stringify({
        suite: 'other', settings: { systemPrompt: 'Answer the question.' }, sweep: { thinkingLevel: ['medium'], numberResults: [2] }, threshold: 0.5,
        messages: [{ role: 'user', content: `Question {{n}}? ${accuracyNote}` }], assert: [{ type: 'contains', value: 'right' }],
        cases: Array.from({ length: 20 }, (_, i) => ({ id: `o${i}`, vars: { n: i } })),
      }));
    try {
      other('');
      expect(await runCli(['run', '--no-until-decided', '--out', 'mixed-base', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
      await withProject(dir, [0.75, { threshold: 0.5, untilDecided: true }], async () => {
        const io = memoryIo({ cwd: dir });
        expect(await runCli(['run', '--seed', '5', '--order-seed', '1', '--out', 'mixed', '--baseline', 'mixed-base', '--reporter', 'json'], io)).toBe(1);
        const summary = readSummary(path.join(dir, 'mixed'));
        // Only the facts suite samples until decided; its regression test counts both gated settings' pass-rate and cost tests.
        expect(summary.sequential!.groups.map((g) => g.suite)).toEqual(['facts', 'facts']);
        const medium = summary.sequential!.groups[1]!;
        expect(medium.regressionTest!.level).toBeCloseTo(4 / 0.05, 10);
        expect(summary.baseline!.family.size).toBeLessThanOrEqual(4);
        expect(medium.regressionTest!.decision).toBe('regressed');
        expect(summary.gate.reasons.some((r) => r.code === 'REGRESSION' && r.suite === 'facts')).toBe(true);
      });
    } finally {
      rmSync(path.join(dir, 'evals', 'other.yaml'), { force: true });
    }
  });

  it('each shard decides for its own cases, at alpha ÷ shards, and merge combines their decisions', async () => {
    for (const shard of ['1/2', '2/2']) {
      expect(await runCli(['run', '--until-decided', '--order-seed', '8', '--shard', shard, '--out', `shard${shard[0]}`, '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    }
    const one = readSummary(path.join(dir, 'shard1'));
    expect(one.sequential!.alpha).toBeCloseTo(0.025, 10);
    expect(one.sequential!.groups.every((g) => g.plannedCases <= 120 && g.plannedCases >= 50)).toBe(true);
    expect(one.sequential!.groups[1]!.thresholdTest.level).toBeCloseTo(40, 10);

    expect(await runCli(['merge', 'shard1', 'shard2', '--out', 'merged', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const merged = readSummary(path.join(dir, 'merged'));
    expect(validSummary(merged)).toBe('valid');
    const two = readSummary(path.join(dir, 'shard2'));
    expect(merged.sequential).toMatchObject({ alpha: 0.05, shards: 2, orderSeed: 8 });
    expect(merged.sequential!.groups.map((g) => [g.thinkingLevel, g.verdict, g.plannedCases])).toEqual([['none', 'fails', 120], ['medium', 'passes', 120]]);
    expect(merged.sequential!.totals.sentSamples).toBe(one.sequential!.totals.sentSamples + two.sequential!.totals.sentSamples);
    expect(merged.sequential!.groups[1]!.thresholdTest.level).toBeCloseTo(20, 10);
    expect(merged.gate.reasons).toEqual([]);
  });

  it('report rebuilds a sequential run with the decisions it recorded, not a fixed plan\'s', async () => {
    const before = readSummary(path.join(dir, 'weak'));
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['report', 'weak', '--reporter', 'json'], io)).toBe(1);
    const after = readSummary(path.join(dir, 'weak'));
    expect(after.sequential!.groups).toEqual(before.sequential!.groups);
    expect(after.gate.reasons.map((r) => r.message)).toEqual(before.gate.reasons.map((r) => r.message));
    // Against a baseline it did not sample against, its stopped settings are compared by fixed tests, and the gate says so.
    expect(await runCli(['report', 'seq', '--baseline', 'base', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const against = readSummary(path.join(dir, 'seq'));
    expect(against.gate.notices!.filter((n) => n.code === 'FIXED_TEST_AFTER_STOP').map((n) => n.thinkingLevel)).toEqual(['none', 'medium']);
    // Without its summary.json the decisions are gone: it is judged as a fixed plan, and says so.
    rmSync(path.join(dir, 'weak', 'summary.json'));
    const bare = memoryIo({ cwd: dir });
    await runCli(['report', 'weak', '--reporter', 'json'], bare);
    expect(bare.err()).toContain('recorded no sequential decisions');
    expect(readSummary(path.join(dir, 'weak')).sequential).toBeUndefined();
  });

  it('with --max-cost, never spends past the budget; the budget can stop it before it decides, and --resume finishes', async () => {
    const io = memoryIo({ cwd: dir });
    // A trial's worst case is about $0.25 here: $0.30 lets one in flight at a time, and stops after a few.
    // (No history: the earlier runs here would make the expected cost refuse $0.30 outright.)
    mkdirSync(path.join(dir, 'no-history'), { recursive: true });
    expect(await runCli(['run', '--until-decided', '--order-seed', '11', '--max-cost', '0.3', '--allow-partial', '--history', 'no-history', '--out', 'budget', '--reporter', 'json'], io)).toBe(3);
    const cut = readSummary(path.join(dir, 'budget'));
    expect(cut.totals.costUsd).toBeLessThanOrEqual(0.3);
    expect(cut.skipped!.cause).toBe('budget');
    // What the budget left unsent is not what the decisions saved: those settings are undecided.
    expect(cut.sequential!.groups[1]!.verdict).toBe('undecided');
    expect(resultLines(path.join(dir, 'budget'))).toHaveLength(cut.sequential!.totals.sentSamples);
    expect(await runCli(['run', '--resume', 'budget', '--max-cost', '5', '--allow-partial', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const done = readSummary(path.join(dir, 'budget'));
    expect(done.sequential!.groups.map((g) => g.verdict)).toEqual(['fails', 'passes']);
    expect(done.totals.costUsd).toBeLessThanOrEqual(5);
  });

  it('--resume takes its order from run.json, refuses the flags, and sends only what its decisions still need', async () => {
    expect(await runCli(['run', '--until-decided', '--order-seed', '4', '--out', 'cut', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const run = path.join(dir, 'cut');
    const lines = resultLines(run);
    // As if killed a third of the way through.
    writeFileSync(path.join(run, 'results.jsonl'), `${lines.slice(0, Math.floor(lines.length / 3)).join('\n')}\n`);
    rmSync(path.join(run, 'summary.json'));
    const refused = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--resume', 'cut', '--until-decided'], refused)).toBe(2);
    expect(refused.err()).toContain('--until-decided');
    expect(await runCli(['run', '--resume', 'cut', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    const summary = readSummary(run);
    expect(summary.sequential!.orderSeed).toBe(4);
    expect(summary.sequential!.groups.map((g) => g.verdict)).toEqual(['fails', 'passes']);
    expect(resultLines(run)).toHaveLength(summary.sequential!.totals.sentSamples);
    expect(summary.sequential!.totals.sentSamples).toBeLessThan(480);
  });
});
