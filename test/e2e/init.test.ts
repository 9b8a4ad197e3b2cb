import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import { ConfigSpecSchema } from '../../src/config/config-schema.js';
import { memoryIo } from '../support/memory-io.js';

describe('evalgate init', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a project that validates and runs offline on the simulator', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['init'], io)).toBe(0);
    expect(io.out()).toContain('wrote evals/sentiment.yaml\n');
    for (const file of ['evalconfig.yaml', 'evals/sentiment.yaml', 'fixtures/simulator/sentiment.yaml']) expect(existsSync(path.join(dir, file))).toBe(true);

    const validate = memoryIo({ cwd: dir });
    expect(await runCli(['validate'], validate)).toBe(0);
    expect(validate.out()).toContain('OK: 1 suite, 3 cases, 3 settings, 9 trials, 18 samples');

    const run = memoryIo({ cwd: dir });
    const out = path.join(dir, 'run');
    // docs/install.md: only the shipped level (gateOn: medium) is gated, so the example passes.
    expect(await runCli(['run', '--provider', 'simulator', '--seed', '3', '--out', out], run)).toBe(0);
    expect(run.out()).toContain('Gate: PASSED (exit 0)');
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { totals: { passed: number; samples: number } };
    // The scenario written by init answers the sentiment cases, so most samples pass.
    expect(summary.totals.passed / summary.totals.samples).toBeGreaterThan(0.5);
  });

  it('writes in evalconfig.yaml exactly the defaults it says it writes, all five reports among them', async () => {
    expect(await runCli(['init'], memoryIo({ cwd: dir }))).toBe(0);
    const text = readFileSync(path.join(dir, 'evalconfig.yaml'), 'utf8');
    expect(text).toContain('each value below is its default');
    const written = parse(text) as Record<string, unknown>;
    const defaults = ConfigSpecSchema.parse({}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(written)) {
      if (typeof value === 'object' && !Array.isArray(value)) expect(defaults[key], key).toMatchObject(value as object);
      else expect(value, key).toEqual(defaults[key]);
    }
    expect(written.reporters).toEqual(['console', 'json', 'junit', 'markdown', 'html']);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    expect(await runCli(['init'], memoryIo({ cwd: dir }))).toBe(0);
    const again = memoryIo({ cwd: dir });
    expect(await runCli(['init'], again)).toBe(2);
    expect(again.err()).toContain('already exist; nothing was written');
    expect(await runCli(['init', '--force'], memoryIo({ cwd: dir }))).toBe(0);
  });
});
