import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/projects/sentiment');
const read = (runDir: string) => ({
  summary: JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary,
  records: readFileSync(path.join(runDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord),
});
const withoutWaits = ({ waits: _waits, ...rest }: RunSummary['totals']) => rest;
/** Totals alike but for the run's own waits; the cost to 12 decimals, since trials land (and their costs add up) in whatever order they finish. */
const expectSameTotals = (actual: RunSummary['totals'], expected: RunSummary['totals']) => {
  const { costUsd: actualCost, ...actualRest } = withoutWaits(actual);
  const { costUsd: expectedCost, ...expectedRest } = withoutWaits(expected);
  expect(actualRest).toEqual(expectedRest);
  expect(actualCost).toBeCloseTo(expectedCost, 12);
};
/** A sample as replay must reproduce it, keyed by trial and index (arrival order may differ). */
const bySample = (records: SampleRecord[]) =>
  Object.fromEntries(records.map((r) => [`${r.trialId}/${r.sampleIndex}`, [r.text, r.pass, r.finishReason, r.usage, r.costUsd, r.latencyMs, r.attempts]]));

describe('record and replay', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-replay-'));
    cpSync(fixture, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays a recorded run sample for sample, without the network', async () => {
    expect(await runCli(['run', '--provider', 'simulator', '--record', 'tape', '--out', 'recorded'], memoryIo({ cwd: dir }))).not.toBe(2);
    const io = memoryIo({ cwd: dir });
    await runCli(['run', '--provider', 'replay', '--cassettes', 'tape', '--out', 'replayed'], io);
    const recorded = read(path.join(dir, 'recorded'));
    const replayed = read(path.join(dir, 'replayed'));
    expect(bySample(replayed.records)).toEqual(bySample(recorded.records));
    // Everything the API said is reproduced; only the run's own waits for a queue slot differ.
    expectSameTotals(replayed.summary.totals, recorded.summary.totals);
    // The cassettes say the simulator answered, so the replay's reports say so too.
    expect(replayed.summary).toMatchObject({ provider: 'replay', simulated: true });
    expect(io.out()).toContain('replayed from a simulated recording');
    expect(readFileSync(path.join(dir, 'replayed', 'summary.md'), 'utf8')).toContain('> Answers replayed from a simulated recording');
    expect(readFileSync(path.join(dir, 'replayed', 'junit.xml'), 'utf8')).toContain('<property name="simulated" value="true"/>');
  });

  it('replays cassettes without the simulated flag (older recordings) as not simulated', async () => {
    await runCli(['run', '--provider', 'simulator', '--record', 'tape', '--out', 'recorded'], memoryIo({ cwd: dir }));
    const tape = path.join(dir, 'tape');
    for (const name of readdirSync(tape)) {
      const cassette = JSON.parse(readFileSync(path.join(tape, name), 'utf8')) as { simulated?: boolean };
      expect(cassette.simulated).toBe(true);
      delete cassette.simulated;
      writeFileSync(path.join(tape, name), JSON.stringify(cassette));
    }
    const io = memoryIo({ cwd: dir });
    await runCli(['run', '--provider', 'replay', '--cassettes', 'tape', '--out', 'replayed'], io);
    expect(read(path.join(dir, 'replayed')).summary).toMatchObject({ provider: 'replay', simulated: false });
    expect(io.out()).not.toContain('simulated');
  });

  it('refuses, before anything runs, a trial that has no recording, naming its suite, case and setting', async () => {
    await runCli(['run', '--provider', 'simulator', '--record', 'tape', '--out', 'recorded'], memoryIo({ cwd: dir }));
    const tape = path.join(dir, 'tape');
    const [first] = readdirSync(tape);
    const removed = JSON.parse(readFileSync(path.join(tape, first!), 'utf8')) as { request: { messages: { content: string }[]; thinkingLevel: string; numberResults: number } };
    unlinkSync(path.join(tape, first!));
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--provider', 'replay', '--cassettes', 'tape', '--out', 'replayed'], io)).toBe(2);
    expect(io.err()).toContain('1 of 24 trials have no recording to replay');
    expect(io.err()).toMatch(new RegExp(`sentiment/[\\w-]+ · openai-gpt-5-5 · ${removed.request.thinkingLevel} · n=${removed.request.numberResults}`));
    expect(io.err()).toContain('--record');
  });

  it('replays the cassettes shipped for the example suites', async () => {
    const io = memoryIo({ cwd: root });
    const out = path.join(dir, 'examples');
    // The examples gate the setting each ships (gateOn), and the recorded answers pass there.
    // --no-judge-cache: the release notes' judge is replayed too, never answered from a cache in the repository.
    expect(await runCli(['run', '--provider', 'replay', '--no-judge-cache', '--out', out, '--reporter', 'json'], io)).toBe(0);
    const { summary } = read(out);
    expect(summary.groups.filter((g) => g.gated).map((g) => `${g.suite} ${g.thinkingLevel}`)).toEqual([
      'invoice-extraction high', 'release-notes-summary high', 'support-reply-models high', 'ticket-triage medium',
    ]);
    expect(summary.totals).toMatchObject({ trials: 76, samples: 176, errored: 0 });
    expect(summary.simulated).toBe(true);
    // The judge's calls are replayed like the answers, and counted apart from them.
    expect(summary.totals.judge).toMatchObject({ calls: 24, cachedCalls: 0 });
    expect(summary.totals.judgeCostUsd).toBeGreaterThan(0);
    // The model comparison streams: its recordings carry each sample's time to first token.
    const streamed = summary.groups.filter((g) => g.suite === 'support-reply-models');
    expect(streamed.map((g) => g.model).sort()).toEqual(['deepseek-v4-flash', 'deepseek-v4-flash', 'openai-gpt-5-5', 'openai-gpt-5-5']);
    for (const group of streamed) expect(group.timeToFirstTokenMs?.p50).toBeGreaterThan(0);
    // Replaying is deterministic: the same cassettes give the same verdicts.
    const again = path.join(dir, 'again');
    await runCli(['run', '--provider', 'replay', '--no-judge-cache', '--out', again, '--reporter', 'json'], memoryIo({ cwd: root }));
    expectSameTotals(read(again).summary.totals, summary.totals);
  });
});
