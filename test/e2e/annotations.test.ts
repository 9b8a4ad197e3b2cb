import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { workflowCommand } from '../../src/reporters/workflow-annotations.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { memoryIo } from '../support/memory-io.js';

/** init's suite gates medium only; gating every level makes its weak `none` fail, which these tests need. */
const EVERY_LEVEL = ['--gate-on', 'thinkingLevel=none,low,medium'];

describe('workflow annotations (GITHUB_ACTIONS=true)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-annotations-'));
    expect(await runCli(['init'], memoryIo({ cwd: dir }))).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lineOfCase = (id: string) => readFileSync(path.join(dir, 'evals/sentiment.yaml'), 'utf8').split('\n').findIndex((l) => l.includes(`id: ${id}`)) + 1;

  it('puts each failing case of a failed setting at its line in its suite, and the gate reasons at the suite', async () => {
    const io = memoryIo({ cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(await runCli(['run', '--provider', 'simulator', ...EVERY_LEVEL, '--out', 'run', '--quiet'], io)).toBe(1);
    const summary = JSON.parse(readFileSync(path.join(dir, 'run/summary.json'), 'utf8')) as RunSummary;
    const failedLevels = new Set(summary.gate.reasons.map((r) => r.thinkingLevel));
    const failing = summary.cases.filter((c) => c.failed > 0 && failedLevels.has(c.thinkingLevel));
    expect(failing.length).toBeGreaterThan(0);
    const errors = io.out().split('\n').filter((l) => l.startsWith('::error '));
    for (const c of failing) {
      expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^::error file=evals/sentiment\\.yaml,line=${lineOfCase(c.case)},title=evalgate%3A sentiment/${c.case} failed::openai-gpt-5-5 · ${c.thinkingLevel} · n=2: ${c.passed}/${c.passed + c.failed} samples passed`)));
    }
    expect(lineOfCase(failing[0]!.case)).toBeGreaterThan(10);
    expect(errors).toContainEqual(expect.stringMatching(/^::error file=evals\/sentiment\.yaml,line=1,title=evalgate BELOW_THRESHOLD::sentiment · openai-gpt-5-5 · \w+ · n=2: pass rate/));
  });

  it('prints none for one shard of a run (its verdict is partial; the merge annotates)', async () => {
    const io = memoryIo({ cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(await runCli(['run', '--provider', 'simulator', ...EVERY_LEVEL, '--shard', '1/2', '--out', 'shard-1', '--quiet'], io)).toBe(1);
    expect((JSON.parse(readFileSync(path.join(dir, 'shard-1/summary.json'), 'utf8')) as RunSummary).gate.passed).toBe(false);
    expect(io.out()).not.toContain('::error');
  });

  it('prints none outside GitHub Actions', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--provider', 'simulator', ...EVERY_LEVEL, '--out', 'run', '--quiet'], io)).toBe(1);
    expect(io.out()).not.toContain('::error');
  });

  it('puts config errors at their file:line:col', async () => {
    writeFileSync(path.join(dir, 'evals/bad.yaml'), 'suite: bad\ncases:\n  - id: a\n    mesages: []\n');
    const io = memoryIo({ cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(await runCli(['validate'], io)).toBe(2);
    expect(io.out()).toMatch(/^::error file=evals\/bad\.yaml,line=4,col=5,title=UNKNOWN_KEY::unknown key "mesages"/m);
    expect(io.err()).toContain('evals/bad.yaml:4:5');
  });
});

describe('workflowCommand', () => {
  it('escapes what the runner would read as the end of a property or of the message', () => {
    expect(workflowCommand('error', '50% done\nnext line', { file: 'a,b:c.yaml', line: 3, title: 'x: y' })).toBe('::error file=a%2Cb%3Ac.yaml,line=3,title=x%3A y::50%25 done%0Anext line');
  });
});
