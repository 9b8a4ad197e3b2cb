import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { memoryIo } from '../support/memory-io.js';

let project: string;
beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'evalgate-config-flag-'));
  expect(await runCli(['init'], memoryIo({ cwd: project }))).toBe(0);
  const io = memoryIo({ cwd: project });
  expect([0, 1], io.err()).toContain(await runCli(['run', '--provider', 'simulator', '--out', 'run', '--reporter', 'markdown', '--quiet'], io));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('--config, on every command that reads the configuration', () => {
  const commands: [string, string[]][] = [
    ['run', ['run', '--provider', 'simulator', '--out', 'never']],
    ['validate', ['validate']],
    ['estimate', ['estimate']],
    ['report', ['report', 'run']],
    ['merge', ['merge', 'run', '--out', 'merged']],
    ['compare', ['compare', 'run', 'run']],
    ['advise', ['advise', 'run', '--drop', '0.1']],
    ['baseline save', ['baseline', 'save', 'run']],
    ['simulate', ['simulate', '--port', '0']],
    ['models', ['models']],
  ];

  it.each(commands)('%s reads the file --config names (a missing one is a config error, exit 2)', async (_, args) => {
    const io = memoryIo({ cwd: project });
    expect(await runCli([...args, '--config', 'elsewhere.yaml'], io)).toBe(2);
    expect(io.err()).toContain('config file elsewhere.yaml does not exist');
  });

  it('baseline save keeps the baseline under the outDir of the --config file, not of evalconfig.yaml', async () => {
    writeFileSync(path.join(project, 'other.yaml'), readFileSync(path.join(project, 'evalconfig.yaml'), 'utf8').replace(/^outDir: .*$/m, 'outDir: other-reports'));
    const io = memoryIo({ cwd: project });
    expect(await runCli(['baseline', 'save', 'run', '--config', 'other.yaml'], io), io.err()).toBe(0);
    expect(existsSync(path.join(project, 'other-reports', 'baseline', 'summary.json'))).toBe(true);
  });

  it('writes summary.json whatever --reporter chose', () => {
    expect(existsSync(path.join(project, 'run', 'summary.json'))).toBe(true);
    expect(existsSync(path.join(project, 'run', 'summary.md'))).toBe(true);
    expect(existsSync(path.join(project, 'run', 'junit.xml'))).toBe(false);
  });
});
