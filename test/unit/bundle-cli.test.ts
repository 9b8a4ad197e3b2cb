import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without types
import { bundleCli } from '../../scripts/bundle-cli.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

describe('bundling the CLI (scripts/bundle-cli.mjs)', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('where rolldown cannot load, writes an entry that runs the unbundled CLI, and says so', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-bundle-'));
    const out = path.join(dir, 'bin');
    const { warnings } = (await bundleCli({ outDir: out, loadBundler: () => Promise.reject(new Error('Cannot find native binding')) })) as { warnings: string[] };
    expect(warnings).toEqual([expect.stringContaining('rolldown could not load (Cannot find native binding)')]);
    const entry = path.join(out, 'evalgate.js');
    expect(readFileSync(entry, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(execFileSync(process.execPath, [entry, '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
    expect(execFileSync(process.execPath, [entry, 'validate'], { cwd: root, encoding: 'utf8' })).toMatch(/^OK: \d+ suites/);
  });
});
