import { describe, expect, it } from 'vitest';
import { endChoiceLists } from '../../src/cli/end-choice-lists.js';
import { COMMANDS, runCli, type CommandHandlers } from '../../src/cli/run-cli.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { memoryIo } from '../support/memory-io.js';

describe('endChoiceLists', () => {
  it('moves a path-like word after --reporter values before the flag, keeping the positionals in order', () => {
    expect(endChoiceLists(['run', '--reporter', 'json', 'evals/x.yaml'], COMMANDS)).toEqual(['run', 'evals/x.yaml', '--reporter', 'json']);
    expect(endChoiceLists(['run', 'a.yaml', '--reporter', 'json', 'html', 'b.yaml', 'evals/*.yml', '-q'], COMMANDS)).toEqual(['run', 'a.yaml', 'b.yaml', 'evals/*.yml', '--reporter', 'json', 'html', '-q']);
    expect(endChoiceLists(['report', '--reporter', 'console,junit', 'reports/r1'], COMMANDS)).toEqual(['report', 'reports/r1', '--reporter', 'console,junit']);
  });

  it('leaves alone a line without that mistake, a misspelt reporter, a flag with no value, and what follows --', () => {
    for (const argv of [
      ['run', 'evals/x.yaml', '--reporter', 'json'],
      ['run', '--reporter=json', 'evals/x.yaml'],
      ['run', '--reporter', 'json', 'jsn'],
      ['run', '--reporter', 'evals/x.yaml'],
      ['run', '--', '--reporter', 'json', 'evals/x.yaml'],
      ['validate', 'evals/x.yaml'],
      ['compare', 'a', 'b'],
    ]) {
      expect(endChoiceLists(argv, COMMANDS), argv.join(' ')).toEqual(argv);
    }
  });
});

describe('--reporter before the suites', () => {
  const record = () => {
    const calls: Record<string, unknown>[] = [];
    const handler = async (args: unknown, _io: CliIo) => {
      calls.push(args as Record<string, unknown>);
      return 0;
    };
    const handlers = Object.fromEntries(COMMANDS.map((c) => [c.name, handler])) as unknown as CommandHandlers;
    return { calls, handlers };
  };

  it('hands run the suite as its positional and json as the reporter', async () => {
    const { calls, handlers } = record();
    const io = memoryIo({ cwd: '/' });
    expect(await runCli(['run', '--reporter', 'json', 'evals/x.yaml', '--no-color'], io, handlers), io.err()).toBe(0);
    expect(calls[0]).toMatchObject({ suites: ['evals/x.yaml'], reporter: ['json'], color: false });
  });

  it('still refuses a misspelt reporter, listing the choices', async () => {
    const { handlers } = record();
    const io = memoryIo({ cwd: '/' });
    expect(await runCli(['run', '--reporter', 'json', 'jsn'], io, handlers)).toBe(2);
    expect(io.err()).toMatch(/Given: "jsn", Choices: "console", "json"/);
  });
});
