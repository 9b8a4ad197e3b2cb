import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { defaultHandlers, runCli, type CommandHandlers } from '../../src/cli/run-cli.js';
import { packageVersion } from '../../src/cli/package-version.js';
import { skipHelpCache } from '../../src/cli/skip-help-cache.js';
import yargs from 'yargs';
import { EvalgateError } from '../../src/core/evalgate-error.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Handlers that record what they were called with and do nothing else. */
function recordingHandlers(result = 0) {
  const calls: { command: keyof CommandHandlers; args: Record<string, unknown> }[] = [];
  const record = (command: keyof CommandHandlers) => async (args: unknown, _io: CliIo) => {
    calls.push({ command, args: args as Record<string, unknown> });
    return result;
  };
  const handlers: CommandHandlers = {
    run: record('run'), validate: record('validate'), estimate: record('estimate'), simulate: record('simulate'), init: record('init'), report: record('report'),
    compare: record('compare'), merge: record('merge'), baseline: record('baseline'), advise: record('advise'), models: record('models'), rescore: record('rescore'), calibrate: record('calibrate'), comment: record('comment'), scenario: record('scenario'),
  };
  return { handlers, calls };
}

describe('command line parsing', () => {
  it('parses rescore and calibrate, with --no-judge-cache', async () => {
    const { handlers, calls } = recordingHandlers();
    await runCli(['rescore', 'reports/r1', '--out', 'r2', '--no-judge-cache'], memoryIo({ cwd: root }), handlers);
    await runCli(['calibrate', 'evals/x.yaml', '--labels', 'labels.csv'], memoryIo({ cwd: root }), handlers);
    expect(calls[0]).toMatchObject({ command: 'rescore', args: { runDir: 'reports/r1', out: 'r2', judgeCache: false } });
    expect(calls[1]).toMatchObject({ command: 'calibrate', args: { suite: 'evals/x.yaml', labels: 'labels.csv', judgeCache: true, json: false } });
  });

  it('takes --no-color and --color on every command, and -q on every command that prints the console report, as CI scripts pass them', async () => {
    const lines: Record<keyof CommandHandlers, string[]> = {
      run: ['run'], validate: ['validate'], estimate: ['estimate'], simulate: ['simulate'], init: ['init'], report: ['report', 'r1'], rescore: ['rescore', 'r1'],
      calibrate: ['calibrate', 's.yaml', '--labels', 'l.csv'], compare: ['compare', 'a', 'b'], merge: ['merge', 'a', 'b', '--out', 'm'], baseline: ['baseline', 'save'],
      advise: ['advise', '--drop', '0.1'], models: ['models'], comment: ['comment', '--github'], scenario: ['scenario', 's.yaml'],
    };
    for (const [command, argv] of Object.entries(lines)) {
      for (const [flag, color] of [['--no-color', false], ['--color', true]] as const) {
        const { handlers, calls } = recordingHandlers();
        const io = memoryIo({ cwd: root });
        expect(await runCli([...argv, flag], io, handlers), `${command} ${flag}: ${io.err()}`).toBe(0);
        expect(calls[0], `${command} ${flag}`).toMatchObject({ command, args: { color } });
      }
    }
    for (const command of ['run', 'report', 'rescore', 'merge'] as const) {
      const { handlers, calls } = recordingHandlers();
      const io = memoryIo({ cwd: root });
      expect(await runCli([...lines[command], '-q'], io, handlers), `${command} -q: ${io.err()}`).toBe(0);
      expect(calls[0]).toMatchObject({ command, args: { quiet: true } });
    }
  });

  it('parses run with suites, lists given with commas or repeated, and choices', async () => {
    const { handlers, calls } = recordingHandlers();
    const io = memoryIo({ cwd: root });
    const code = await runCli(
      ['run', 'a.yaml', 'evals/', '--levels', 'low,high', '--samples', '1', '--samples', '4', '--filter', 'inv*/acme-*', '--filter', 'tag:smoke', '--provider', 'simulator', '--concurrency', '3', '--reporter', 'json', '--no-color'],
      io,
      handlers,
    );
    expect(code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.command).toBe('run');
    expect(calls[0]!.args).toMatchObject({
      suites: ['a.yaml', 'evals/'],
      levels: ['low', 'high'],
      samples: ['1', '4'],
      filter: ['inv*/acme-*', 'tag:smoke'],
      provider: 'simulator',
      concurrency: 3,
      reporter: ['json'],
      color: false,
    });
  });

  it('refuses a switch given a value other than true or false, which yargs would read as false', async () => {
    for (const argv of [
      ['run', '--until-decided=maybe'],
      ['run', 'evals/', '--no-until-decided=1'],
      ['report', 'reports/r1', '--color=yes'],
      ['rescore', 'reports/r1', '--judge-cache=off'],
    ]) {
      const { handlers, calls } = recordingHandlers();
      const io = memoryIo({ cwd: root });
      expect(await runCli(argv, io, handlers), argv.join(' ')).toBe(2);
      expect(calls).toEqual([]);
      expect(io.err()).toMatch(/^error USAGE: --[\w-]+ is a switch: give it alone \(--[\w-]+, or --no-[\w-]+\), or as --[\w-]+=true or =false, not =".+"\n {2}hint: /);
    }
    const { handlers, calls } = recordingHandlers();
    expect(await runCli(['run', '--until-decided=false', '--color=true', '--max-cases=5', '--', '--quiet=x'], memoryIo({ cwd: root }), handlers)).toBe(0);
    expect(calls[0]!.args).toMatchObject({ untilDecided: false, color: true, maxCases: 5 });
  });

  it('defaults run to the config: no suites, no filter, provider and levels unset', async () => {
    const { handlers, calls } = recordingHandlers();
    await runCli(['run'], memoryIo({ cwd: root }), handlers);
    expect(calls[0]!.args).toMatchObject({ suites: [], filter: [] });
    expect(calls[0]!.args.provider).toBeUndefined();
    expect(calls[0]!.args.levels).toBeUndefined();
  });

  it('parses estimate with its history, output folder and traffic, and run with --traffic', async () => {
    const { handlers, calls } = recordingHandlers();
    const io = memoryIo({ cwd: root });
    expect(await runCli(['estimate', 'evals/', '--history', 'old-runs', '--out', 'est', '--traffic', '50000/day', '--levels', 'low'], io, handlers)).toBe(0);
    expect(await runCli(['run', '--traffic', '1.5M/month'], io, handlers)).toBe(0);
    expect(calls.map((c) => c.command)).toEqual(['estimate', 'run']);
    expect(calls[0]!.args).toMatchObject({ suites: ['evals/'], history: 'old-runs', out: 'est', traffic: '50000/day', levels: ['low'] });
    expect(calls[1]!.args).toMatchObject({ traffic: '1.5M/month' });
  });

  it('returns the handler exit code', async () => {
    const { handlers } = recordingHandlers(1);
    expect(await runCli(['validate'], memoryIo({ cwd: root }), handlers)).toBe(1);
  });

  it.each([
    [['run', '--bogus'], 'Unknown argument'],
    [['run', '--provider', 'openai'], 'Invalid values'],
    [[], 'Give a command'],
    [['rn'], 'Unknown argument'],
  ])('rejects %j with exit 2 and says why', async (argv, message) => {
    const { handlers, calls } = recordingHandlers();
    const io = memoryIo({ cwd: root });
    expect(await runCli(argv, io, handlers)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err()).toContain('error USAGE');
    expect(calls).toHaveLength(0);
  });

  it('prints the version from package.json', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['--version'], io, recordingHandlers().handlers)).toBe(0);
    expect(io.out().trim()).toBe(packageVersion());
  });

  it('prints help listing every command', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['--help'], io, recordingHandlers().handlers)).toBe(0);
    for (const command of ['run', 'validate', 'estimate', 'report', 'compare', 'merge', 'baseline', 'advise', 'models', 'simulate', 'init']) expect(io.out()).toContain(`evalgate ${command}`);
  });

  it('still prints a command\'s help when asked, and with a usage error in that command', async () => {
    const asked = memoryIo({ cwd: root });
    expect(await runCli(['run', '--help'], asked, recordingHandlers().handlers)).toBe(0);
    expect(asked.out()).toContain('--provider');
    const wrong = memoryIo({ cwd: root });
    expect(await runCli(['run', '--bogus'], wrong, recordingHandlers().handlers)).toBe(2);
    expect(wrong.err()).toContain('--provider');
  });

  it('spells every flag in help as the docs and messages do (--max-cost, --no-judge-cache), and still takes the camelCase spelling', async () => {
    const help = memoryIo({ cwd: root });
    expect(await runCli(['run', '--help'], help, recordingHandlers().handlers)).toBe(0);
    expect(help.out()).toContain('--max-cost');
    expect(help.out()).toContain('--allow-partial');
    expect(help.out()).toContain('--gate-on');
    expect(help.out()).not.toMatch(/--[a-z]+[A-Z]/);
    const recorded = recordingHandlers();
    expect(await runCli(['run', '--maxCost', '2', '--no-judge-cache', '--provider', 'simulator'], memoryIo({ cwd: root }), recorded.handlers)).toBe(0);
    expect(recorded.calls[0]?.args).toMatchObject({ maxCost: 2, judgeCache: false });
  });

  it('does not render the help text of a command that was chosen (skipHelpCache still reaches yargs)', async () => {
    const parser = yargs().command('go', 'goes', (y) => y.option('far', { type: 'boolean', describe: 'how far' }), () => {}).exitProcess(false);
    const usage = (parser as unknown as { getInternalMethods(): { getUsageInstance(): { help(): string } } }).getInternalMethods().getUsageInstance();
    let rendered = 0;
    const help = usage.help.bind(usage);
    usage.help = () => (rendered++, help());
    await parser.parseAsync(['go', '--far']);
    expect(rendered).toBe(1);
    rendered = 0;
    skipHelpCache(parser);
    await parser.parseAsync(['go', '--far']);
    expect(rendered).toBe(0);
  });

  it('parses models with --json and --config', async () => {
    const { handlers, calls } = recordingHandlers();
    expect(await runCli(['models', '--json', '--config', 'x.yaml'], memoryIo({ cwd: root }), handlers)).toBe(0);
    expect(calls).toEqual([{ command: 'models', args: expect.objectContaining({ json: true, config: 'x.yaml' }) }]);
    expect(await runCli(['models', '--jsn'], memoryIo({ cwd: root }), handlers)).toBe(2);
  });
});

describe('errors at the CLI boundary', () => {
  it('prints an EvalgateError as code, message and hint, with its exit code', async () => {
    const failing: CommandHandlers = { ...recordingHandlers().handlers, run: async () => { throw new EvalgateError('MISSING_API_KEY', 'no key', { hint: 'set it' }); } };
    const io = memoryIo({ cwd: root });
    expect(await runCli(['run'], io, failing)).toBe(2);
    expect(io.err()).toBe('error MISSING_API_KEY: no key\n  hint: set it\n');
  });

  it('prints anything else as a bug, with its stack, and exits 3', async () => {
    const failing: CommandHandlers = { ...recordingHandlers().handlers, run: async () => { throw new TypeError('x is undefined'); } };
    const io = memoryIo({ cwd: root });
    expect(await runCli(['run'], io, failing)).toBe(3);
    expect(io.err()).toContain('this is a bug');
    expect(io.err()).toContain('TypeError: x is undefined');
  });

  it('refuses a level that does not exist, with a suggestion, before loading anything', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['validate', '--levels', 'hgh'], io, defaultHandlers)).toBe(2);
    expect(io.err()).toContain('--levels: "hgh" is not a thinking level');
    expect(io.err()).toContain('did you mean "high"?');
  });

  it('refuses numberResults outside 1–4', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['validate', '--samples', '5'], io, defaultHandlers)).toBe(2);
    expect(io.err()).toContain('--samples: "5"');
  });

  it('refuses a level a swept model does not take', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-cli-'));
    try {
      writeFileSync(path.join(dir, 'gemini.yaml'), 'suite: g\nmodel: google-gemini-3-1-pro\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n');
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['validate', 'gemini.yaml', '--levels', 'none'], io, defaultHandlers)).toBe(2);
      expect(io.err()).toContain('--levels: google-gemini-3-1-pro does not take thinkingLevel none');
      expect(await runCli(['validate', 'gemini.yaml', '--levels', 'low'], memoryIo({ cwd: dir }), defaultHandlers)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when a filter matches no case', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['validate', '--filter', 'no-such-suite/*'], io, defaultHandlers)).toBe(2);
    expect(io.err()).toContain('NO_TRIALS');
  });

  it('validates the example suites and prints the plan', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['validate'], io, defaultHandlers)).toBe(0);
    expect(io.out()).toMatch(/^OK: 4 suites, 20 cases, 15 settings, 76 trials, 176 samples\n/);
    expect(io.out()).toContain('ticket-triage (evals/ticket-triage.yaml): 8 cases');
  });

  it('narrows the plan with --filter and --levels', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['validate', '--filter', 'ticket-triage/*', '--levels', 'low', '--samples', '1'], io, defaultHandlers)).toBe(0);
    expect(io.out()).toMatch(/^OK: 1 suite, 8 cases, 1 setting, 8 trials, 8 samples\n/);
  });

  it('names the repeats in a suite\'s line, so that its product is the trial count', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-cli-'));
    try {
      writeFileSync(path.join(dir, 'r.yaml'), 'suite: r\nsweep: {thinkingLevel: [low, medium], numberResults: [3]}\nrepeats: 2\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n  - {id: b, messages: [{role: user, content: ho}]}\n');
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['validate', 'r.yaml'], io, defaultHandlers)).toBe(0);
      // It said "2 cases × … × levels low, medium × numberResults 3 → 8 trials".
      expect(io.out()).toMatch(/: 2 cases × models \S+ × levels low, medium × numberResults 3 × repeats 2 → 8 trials · delivery/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says 1 case and 1 trial, not 1 cases and 1 trials', async () => {
    const io = memoryIo({ cwd: root });
    expect(await runCli(['validate', '--filter', 'ticket-triage/double-charge', '--levels', 'low', '--samples', '1'], io, defaultHandlers)).toBe(0);
    expect(io.out()).toContain('OK: 1 suite, 1 case, 1 setting, 1 trial, 1 sample\n');
    expect(io.out()).toMatch(/: 1 case × models \S+ × levels low × numberResults 1 → 1 trial · delivery/);
  });
});
