import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli, type CommandHandlers } from '../../src/cli/run-cli.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Every `evalgate …` command in a script, with CI variables filled in as a runner would. */
function evalgateCommands(scripts: string[]): string[][] {
  return scripts
    .flatMap((s) => s.split('\n'))
    .filter((line) => line.includes('npx evalgate '))
    .map((line) =>
      line
        .slice(line.indexOf('npx evalgate ') + 'npx evalgate '.length)
        .replace(/\s*\|\|.*$/, '')
        .replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, '2')
        .replace(/\$\{CI_NODE_INDEX\}/g, '2')
        .replace(/\$\{CI_NODE_TOTAL\}/g, '3')
        .replace(/\$baseline|\$BASELINE/g, '--baseline baseline')
        .replace(/\$history/g, '--history baseline')
        .replace(/shards\/\*/g, 'shards/1 shards/2 shards/3')
        .trim()
        .split(/\s+/),
    );
}

/** Parses a command line with handlers that only record: no command runs. */
async function parses(argv: string[]): Promise<{ code: number; command?: string; stderr: string }> {
  let command: string | undefined;
  const record = (name: string) => async (_args: unknown, _io: CliIo) => {
    command = name;
    return 0;
  };
  const handlers = Object.fromEntries(['run', 'validate', 'simulate', 'init', 'report', 'compare', 'merge', 'baseline', 'advise', 'comment', 'estimate', 'scenario'].map((n) => [n, record(n)])) as unknown as CommandHandlers;
  const io = memoryIo({ cwd: root });
  const code = await runCli(argv, io, handlers);
  return { code, ...(command ? { command } : {}), stderr: io.err() };
}

describe('the GitHub Actions workflow in docs/ci', () => {
  const workflow = parse(read('docs/ci/github-actions.yml')) as {
    on: Record<string, unknown>;
    jobs: Record<string, { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: { run?: string; uses?: string; env?: Record<string, string>; with?: Record<string, unknown> }[] }>;
  };

  it('runs on pull requests and main, shards in a matrix, and gates after every shard', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push']);
    expect(workflow.jobs.eval!.strategy!.matrix.shard).toEqual([1, 2, 3]);
    expect(workflow.jobs.gate!.needs).toBe('eval');
    const uses = workflow.jobs.gate!.steps.map((s) => s.uses ?? '');
    expect(uses).toContain('actions/download-artifact@v4');
    expect(workflow.jobs.gate!.steps.some((s) => s.run?.includes('GITHUB_STEP_SUMMARY'))).toBe(true);
  });

  it('takes the API key from a secret, never from the file', () => {
    const step = workflow.jobs.eval!.steps.find((s) => s.run?.includes('evalgate run'))!;
    expect(step.env).toMatchObject({ RUNWARE_API_KEY: '${{ secrets.RUNWARE_API_KEY }}' });
    expect(JSON.stringify(workflow)).not.toMatch(/RUNWARE_API_KEY: (?!\$\{\{ secrets)/);
  });

  it('calls evalgate only with valid command lines', async () => {
    const commands = evalgateCommands(Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')));
    expect(commands.map((c) => c[0])).toEqual(['run', 'merge', 'comment']);
    for (const argv of commands) expect(await parses(argv), argv.join(' ')).toMatchObject({ code: 0, command: argv[0] });
  });
});

describe('the GitLab pipeline in docs/ci', () => {
  const pipeline = parse(read('docs/ci/gitlab-ci.yml')) as Record<string, { stage?: string; parallel?: number; needs?: string[]; script?: string[]; artifacts?: { reports?: { junit?: string } } }> & { stages: string[] };

  it('shards in parallel, then merges and publishes junit.xml', () => {
    expect(pipeline.stages).toEqual(['eval', 'gate']);
    expect(pipeline.eval!.parallel).toBe(3);
    expect(pipeline.gate!.needs).toEqual(['eval']);
    expect(pipeline.gate!.artifacts!.reports!.junit).toBe('merged/junit.xml');
  });

  it('calls evalgate only with valid command lines', async () => {
    const commands = evalgateCommands([...pipeline.eval!.script!, ...pipeline.gate!.script!]);
    expect(commands.map((c) => c[0])).toEqual(['run', 'merge', 'comment']);
    for (const argv of commands) expect(await parses(argv), argv.join(' ')).toMatchObject({ code: 0, command: argv[0] });
  });
});
