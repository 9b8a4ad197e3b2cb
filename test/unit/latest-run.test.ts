import { cpSync, mkdtempSync, readlinkSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { memoryIo } from '../support/memory-io.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/sentiment');

describe('reports/latest where symbolic links are not allowed', () => {
  let project: string;
  let runId: string;
  beforeAll(async () => {
    project = mkdtempSync(path.join(tmpdir(), 'evalgate-latest-'));
    cpSync(fixture, project, { recursive: true });
    expect([0, 1]).toContain(await runCli(['run', '--reporter', 'json'], memoryIo({ cwd: project })));
    // What run writes when it cannot make a link: a text file naming the run folder.
    const latest = path.join(project, 'reports', 'latest');
    runId = readlinkSync(latest);
    rmSync(latest);
    writeFileSync(latest, `${runId}\n`);
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('is followed by baseline save, as the link is', async () => {
    const io = memoryIo({ cwd: project });
    expect(await runCli(['baseline', 'save', '--force'], io)).toBe(0);
    expect(existsSync(path.join(project, 'reports', 'baseline', 'summary.json'))).toBe(true);
  });

  it('is followed by advise', async () => {
    const io = memoryIo({ cwd: project });
    expect(await runCli(['advise', '--drop', '0.1'], io)).toBe(0);
    expect(io.out()).toContain(`at the pass rates of run ${runId}`);
  });
});
