import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import { cell } from '../../src/reporters/render-markdown.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { memoryIo } from '../support/memory-io.js';

const CASES = 40;

/** A project whose simulated model can be made worse: same suites, a scenario folder per quality. */
function writeProject(dir: string): void {
  for (const folder of ['evals', 'good', 'bad']) mkdirSync(path.join(dir, folder));
  const config = (scenarios: string) => ({ provider: 'simulator', concurrency: 8, threshold: 0, simulator: { seed: 4, scenarios, latencyScale: 0 } });
  writeFileSync(path.join(dir, 'evalconfig.yaml'), stringify(config('good')));
  writeFileSync(path.join(dir, 'degraded.yaml'), stringify({ ...config('bad'), suites: ['evals/*.yaml'] }));
  const scenario = (accuracy: number) => stringify({
    scenario: 'facts', match: 'Answer the question',
    levels: { low: { accuracy, thinkingTokens: 50, latencyMs: 5 } },
    answers: [{ correct: 'right', wrong: 'wrong' }],
  });
  writeFileSync(path.join(dir, 'good', 'facts.yaml'), scenario(0.92));
  writeFileSync(path.join(dir, 'bad', 'facts.yaml'), scenario(0.6));
  writeFileSync(path.join(dir, 'evals', 'facts.yaml'), stringify({
    suite: 'facts', settings: { systemPrompt: 'Answer the question.', thinkingLevel: 'low' },
    messages: [{ role: 'user', content: 'Question {{n}}?' }],
    assert: [{ type: 'contains', value: 'right' }],
    cases: Array.from({ length: CASES }, (_, i) => ({ id: `q${i}`, vars: { n: i } })),
  }));
}

const readSummary = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as RunSummary;

describe('the CI gate against a baseline', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-gate-'));
    writeProject(dir);
    expect(await runCli(['run', '--out', 'main-run', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
    expect(await runCli(['baseline', 'save', 'main-run'], memoryIo({ cwd: dir }))).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes an unchanged rerun with other draws (exit 0), finding no difference', async () => {
    const io = memoryIo({ cwd: dir });
    // Another seed: the same model, a noisy rerun whose answers differ case by case from the baseline's.
    // Every check is a test in one family at 5%, so a rerun passes unless it lands in that 5%: against
    // this baseline (seed 4, whose cost per sample came out 2.3 standard deviations low), seeds 5, 15
    // and 24 do, on cost; seed 6 does not. The gate's false-alarm rate over pairs is test/gate-sim's.
    expect(await runCli(['run', '--seed', '6', '--out', 'rerun', '--baseline', 'reports/baseline'], io)).toBe(0);
    const summary = readSummary(path.join(dir, 'rerun'));
    const baseline = readSummary(path.join(dir, 'main-run'));
    expect(summary.cases.map((c) => c.passed)).not.toEqual(baseline.cases.map((c) => c.passed));
    expect(summary.baseline!.groups[0]).toMatchObject({ verdict: 'same', regressions: [] });
    expect(io.out()).toContain('Against baseline');
  });

  it('fails a run of a worse model (exit 1), naming the suite, setting, before → after and the p-value', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--config', 'degraded.yaml', '--out', 'degraded', '--baseline', 'reports/baseline'], io)).toBe(1);
    const summary = readSummary(path.join(dir, 'degraded'));
    const reason = summary.gate.reasons.find((r) => r.code === 'REGRESSION')!;
    expect(reason.message).toMatch(/^facts · openai-gpt-5-5 · low · n=1: pass rate \d+\.\d% → \d+\.\d% \(−\d+\.\d points; mcnemar-exact on 40 paired cases, one-sided p = [\d.e-]+, Holm-adjusted over \d+ tests [\d.e-]+\) against baseline /);
    expect(io.out()).toContain(reason.message);
    const md = readFileSync(path.join(dir, 'degraded', 'summary.md'), 'utf8');
    expect(md).toContain('### Against baseline');
    expect(md).toContain(`- ${cell(reason.message, 400)}`);
  });

  it('compares two runs side by side', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['compare', 'main-run', 'degraded'], io)).toBe(0);
    expect(io.out()).toMatch(/facts\s+│\s+openai-gpt-5-5 · low · n=1.*worse/);
    // Then the 40 shared cases side by side, changed first, 20 rows before "and N more".
    expect(io.out()).toMatch(/Cases in both runs: 40, \d+ with a different pass rate/);
    expect(io.out()).toMatch(/│ facts\/q\d+ +│ openai-gpt-5-5 · low · n=1 │ 1\/1 +│ 0\/1 +│/);
    expect(io.out().match(/│ facts\/q\d+ /g)).toHaveLength(20);
    expect(io.out()).toContain('… and 20 more');
    const all = memoryIo({ cwd: dir });
    expect(await runCli(['compare', 'main-run', 'degraded', '--all-cases'], all)).toBe(0);
    expect(all.out().match(/│ facts\/q\d+ /g)).toHaveLength(40);
  });

  it('advises how many cases a drop needs', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['advise', 'main-run', '--drop', '0.1'], io)).toBe(0);
    expect(io.out()).toMatch(/│ facts │ openai-gpt-5-5 · low · n=1 │ yes\s+│ \d+\.\d%\s+│ \d+\.\d%\s+│ \d+\s+│ 40\s+│ (yes|no)\s+│/);
    const rate = memoryIo({ cwd: dir });
    await runCli(['advise', '--drop', '0.1', '--rate', '0.9'], rate);
    // The gate's family under the defaults: pass rate and cost, each at α / 2.
    expect(rate.out()).toContain('To detect 90.0% → 80.0%: 199 cases per run');
  });

  it('shows a perfect pass rate less the drop, not the rate the formula clamps it to', async () => {
    const summary = JSON.parse(readFileSync(path.join(dir, 'main-run', 'summary.json'), 'utf8')) as RunSummary;
    summary.groups = summary.groups.map((g) => ({ ...g, passRate: 1 }));
    mkdirSync(path.join(dir, 'perfect'), { recursive: true });
    writeFileSync(path.join(dir, 'perfect', 'summary.json'), JSON.stringify(summary));
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['advise', 'perfect', '--drop', '0.1'], io), io.err()).toBe(0);
    expect(io.out()).toMatch(/│ 100\.0%\s+│ 90\.0%\s+│/);
    expect(io.out()).not.toContain('89.9%');
  });
});

describe('shards', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-shards-'));
    writeProject(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits a run into 3 shards whose merge equals the unsharded run of the same samples', async () => {
    // The shards replay what the whole run recorded: the same samples, to the millisecond.
    expect(await runCli(['run', '--out', 'whole', '--reporter', 'json', '--record', 'tape'], memoryIo({ cwd: dir }))).toBe(0);
    const sizes: number[] = [];
    for (const i of [1, 2, 3]) {
      expect(await runCli(['run', '--provider', 'replay', '--cassettes', 'tape', '--shard', `${i}/3`, '--out', `shard-${i}`, '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
      sizes.push(readSummary(path.join(dir, `shard-${i}`)).totals.trials);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(CASES);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);

    const io = memoryIo({ cwd: dir });
    expect(await runCli(['merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'merged', '--reporter', 'json'], io)).toBe(0);
    const merged = readSummary(path.join(dir, 'merged'));
    const whole = readSummary(path.join(dir, 'whole'));
    // Everything but the run's own waits for a queue slot (which depend on how it was scheduled).
    const { waits: _w1, ...mergedTotals } = merged.totals;
    const { waits: _w2, ...wholeTotals } = whole.totals;
    expect(mergedTotals).toEqual(wholeTotals);
    expect(merged.cases).toEqual(whole.cases);
    expect(merged.groups.map(({ waits: _w, ...g }) => g)).toEqual(whole.groups.map(({ waits: _w, ...g }) => g));
    expect(merged.recommendations).toEqual(whole.recommendations);
    expect(merged).toMatchObject({ interrupted: false, plannedTrials: CASES, gate: whole.gate });
  });

  it('gates a merged run against a baseline: the shards of a worse model merge into a regression (exit 1)', async () => {
    for (const i of [1, 2, 3]) {
      await runCli(['run', '--config', 'degraded.yaml', '--shard', `${i}/3`, '--out', `worse-${i}`, '--reporter', 'json'], memoryIo({ cwd: dir }));
    }
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['merge', 'worse-1', 'worse-2', 'worse-3', '--out', 'worse-merged', '--baseline', 'whole', '--reporter', 'console,json,markdown'], io)).toBe(1);
    const merged = readSummary(path.join(dir, 'worse-merged'));
    expect(merged.baseline).toMatchObject({ baselineRunId: readSummary(path.join(dir, 'whole')).runId, groups: [{ pairedCases: CASES, verdict: 'worse' }] });
    const reason = merged.gate.reasons.find((r) => r.code === 'REGRESSION')!;
    expect(io.out()).toContain(reason.message);
    expect(readFileSync(path.join(dir, 'worse-merged', 'summary.md'), 'utf8')).toContain(`- ${cell(reason.message, 400)}`);
    // The unchanged shards merged against the same baseline pass.
    expect(await runCli(['merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'merged-again', '--baseline', 'whole', '--reporter', 'json'], memoryIo({ cwd: dir }))).toBe(0);
  });

  it('refuses to merge with a shard missing, or shards of another plan', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['merge', 'shard-1', 'shard-2', '--out', 'partial'], io)).toBe(2);
    expect(io.err()).toContain('shard 3/3 missing');
    const other = memoryIo({ cwd: dir });
    await runCli(['run', '--levels', 'none', '--shard', '1/3', '--out', 'other-1', '--reporter', 'json'], memoryIo({ cwd: dir }));
    expect(await runCli(['merge', 'shard-1', 'other-1', '--out', 'mixed'], other)).toBe(2);
    expect(other.err()).toContain('is a run of another plan');
  });
});
