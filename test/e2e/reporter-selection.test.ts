import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_CLI } from '../support/built-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const CLI = BUILT_CLI;
const fixture = path.join(root, 'test/fixtures/projects/sentiment');
/** Written by every run, whatever the reporters: the samples, what the run was (for resume and `report`) and its summary (for --baseline, compare, advise). */
const ALWAYS = ['results.jsonl', 'run.json', 'summary.json'];

let project: string;
beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'evalgate-reporters-'));
  cpSync(fixture, project, { recursive: true });
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

/** Runs the built CLI against the built-in simulator in the project; returns the run folder's files and stdout. */
function run(...args: string[]): { files: string[]; stdout: string; stderr: string; status: number | null } {
  const child = spawnSync(process.execPath, [CLI, 'run', '--no-color', '--out', 'run', ...args], { cwd: project, encoding: 'utf8' });
  expect([0, 1], child.stderr).toContain(child.status);
  return { files: readdirSync(path.join(project, 'run')).sort(), stdout: child.stdout, stderr: child.stderr, status: child.status };
}

const withReporters = (line: string) => writeFileSync(path.join(project, 'evalconfig.yaml'), `${readFileSync(path.join(project, 'evalconfig.yaml'), 'utf8')}${line}\n`);

describe('choosing reports (built CLI, simulator)', () => {
  it('writes only summary.json besides the run files when evalconfig.yaml says reporters: [json], and no console report', () => {
    withReporters('reporters: [json]');
    const { files, stdout } = run();
    expect(files).toEqual([...ALWAYS].sort());
    expect(stdout).toBe('');
  });

  it('without the console report, still says the verdict and its reasons, on stderr', () => {
    // Every level gated at 100%: the simulator's answers fail some, so the gate fails, with reasons.
    const suite = path.join(project, 'evals', 'sentiment.yaml');
    writeFileSync(suite, readFileSync(suite, 'utf8').replace('threshold: 0.75', 'threshold: 1'));
    const { stdout, stderr, status } = run('--reporter', 'json');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Gate: FAILED \(exit 1\)\n {2}- .+\n/m);
    expect(stderr).toContain('Artefacts: run');
    const summary = JSON.parse(readFileSync(path.join(project, 'run', 'summary.json'), 'utf8')) as { gate: { reasons: { message: string }[] } };
    for (const reason of summary.gate.reasons) expect(stderr).toContain(reason.message);
  });

  it('lets --reporter override the config: markdown alone writes summary.md, and summary.json still', () => {
    withReporters('reporters: [json]');
    const { files } = run('--reporter', 'markdown');
    expect(files).toEqual([...ALWAYS, 'summary.md'].sort());
  });

  it('writes exactly the set given by repeated --reporter flags', () => {
    const { files, stdout } = run('--reporter', 'junit', '--reporter', 'html');
    expect(files).toEqual([...ALWAYS, 'junit.xml', 'report.html'].sort());
    expect(stdout).not.toContain('Gate:');
  });

});
