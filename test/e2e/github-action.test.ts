import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_CLI } from '../support/built-cli.js';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
const action = parse(read('action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; steps: Step[] } };
const step = (id: string) => action.runs.steps.find((s) => s.id === id)!;

/** Runs one step's script as the runner would (bash -e -o pipefail), with GITHUB_OUTPUT and the step summary in files. */
function runStep(script: string, env: Record<string, string>, cwd: string) {
  const output = path.join(cwd, 'github-output');
  const summary = path.join(cwd, 'step-summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
    encoding: 'utf8',
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs, summary: readFileSync(summary, 'utf8') };
}

describe('action.yml and the workflows, checked by a GitHub Actions validator (@action-validator/core)', () => {
  it('action.yml is a valid action', () => {
    expect(validateAction(read('action.yml')).errors).toEqual([]);
  });

  it.each(['docs/ci/github-action.yml', 'docs/ci/github-actions.yml'])('%s is a valid workflow', (file) => {
    expect(validateWorkflow(read(file)).errors).toEqual([]);
  });

  it('the validator does catch a broken action (the check can fail)', () => {
    expect(validateAction(read('action.yml').replace('using: composite', 'using: compost')).errors).not.toEqual([]);
  });

  it('is a composite action with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['config', 'shard', 'baseline-artifact', 'max-cost', 'comment']));
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['passed', 'pass-rate', 'cost', 'run-folder']));
  });

  it('the documented workflow is a few lines: one step uses the action, with the key from a secret', () => {
    const workflow = parse(read('docs/ci/github-action.yml')) as { jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps.length).toBeLessThanOrEqual(5);
    const uses = steps.find((s) => s.uses?.includes('/evalgate@'))!;
    expect(uses.env).toEqual({ RUNWARE_API_KEY: '${{ secrets.RUNWARE_API_KEY }}' });
  });
});

describe("the action on a fork's pull request (no secrets)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-action-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says so and exits 0 before any request: every later step is skipped', () => {
    const result = runStep(step('secrets').run!, { HEAD_REPO: 'stranger/prompts', THIS_REPO: 'acme/prompts', RUNWARE_API_KEY: '' }, dir);
    expect(result.code).toBe(0);
    expect(result.outputs.skipped).toBe('true');
    expect(result.stdout).toContain("::notice title=evalgate skipped::This pull request comes from the fork stranger/prompts, and GitHub gives a fork's pull request no secrets");
    for (const later of action.runs.steps.slice(1)) expect(later.if, later.name).toContain("steps.secrets.outputs.skipped != 'true'");
  });

  it('runs on a pull request from a branch of the repository, and on a fork whose workflow was given the key', () => {
    expect(runStep(step('secrets').run!, { HEAD_REPO: 'acme/prompts', THIS_REPO: 'acme/prompts', RUNWARE_API_KEY: '' }, dir).outputs.skipped).toBe('false');
    expect(runStep(step('secrets').run!, { HEAD_REPO: 'stranger/prompts', THIS_REPO: 'acme/prompts', RUNWARE_API_KEY: 'k' }, dir).outputs.skipped).toBe('false');
    expect(runStep(step('secrets').run!, { HEAD_REPO: '', THIS_REPO: 'acme/prompts', RUNWARE_API_KEY: '' }, dir).outputs.skipped).toBe('false');
  });
});

describe("the action's run step", () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-action-run-'));
    expect(await runCli(['init'], memoryIo({ cwd: dir }))).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs evalgate, and sets passed, pass-rate, cost, run-folder and the job summary from summary.json', () => {
    const runDir = path.join(dir, 'tmp', 'evalgate-run');
    const result = runStep(step('run').run!, {
      EVALGATE: `node ${BUILT_CLI}`,
      CONFIG: '', SUITES: '', SHARD: '', MAX_COST: '', MORE_ARGS: '--provider simulator --seed 3',
      BASELINE_DIR: path.join(dir, 'no-baseline'), RUN_DIR: runDir, REPORT_ARTIFACT: 'evalgate-report',
    }, dir);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as { gate: { passed: boolean; exitCode: number }; totals: { passRate: number; costUsd: number } };
    expect(result.outputs).toMatchObject({
      'exit-code': String(summary.gate.exitCode),
      'run-folder': runDir,
      passed: String(summary.gate.passed),
      'pass-rate': String(summary.totals.passRate),
      cost: String(summary.totals.costUsd),
      artifact: 'evalgate-report',
    });
    expect(result.summary).toContain('evalgate: gate');
  });
});
