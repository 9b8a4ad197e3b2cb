import { describe, expect, it } from 'vitest';
import { COMMANDS, parseWithYargs } from '../../src/cli/run-cli.js';
import { parseFast } from '../../src/cli/parse-fast.js';

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Command lines for every flag of every command parseFast takes, built from the flags-as-data: a new flag is covered as it is added. */
function linesFromOptions(): string[][] {
  const lines: string[][] = [];
  for (const spec of COMMANDS) {
    if (!parseFast([spec.name], COMMANDS)) continue;
    lines.push([spec.name], [spec.name, 'a.yaml', 'evals/', '42']);
    for (const [key, option] of Object.entries(spec.options)) {
      const flag = `--${kebab(key)}`;
      const choices = option.choices as readonly string[] | undefined;
      if (option.type === 'boolean') lines.push([spec.name, flag], [spec.name, `--no-${kebab(key)}`], [spec.name, `--${key}=false`]);
      else if (option.type === 'number') lines.push([spec.name, flag, '3'], [spec.name, `--${key}=0.5`]);
      else if (choices) lines.push([spec.name, flag, choices[0]!], ...(option.array ? [[spec.name, flag, choices.slice(0, 2).join(','), flag, choices.at(-1)!]] : []));
      else if (option.array) lines.push([spec.name, flag, 'low,high', flag, 'none', 'suite.yaml']);
      else lines.push([spec.name, flag, 'x', 's.yaml'], [spec.name, `${flag}=y`]);
      if (typeof option.alias === 'string') lines.push([spec.name, `-${option.alias}`, ...(option.type === 'boolean' ? [] : ['v'])]);
    }
  }
  return lines;
}

describe('parseFast', () => {
  it('hands a command exactly the arguments yargs would, for every flag of run, validate and estimate in every spelling', async () => {
    const lines = [
      ...linesFromOptions(),
      ['run', '--max-cost', '3', '--quiet', '--reporter', 'json,html', '--levels', 'low,high', '--levels', 'none'],
      ['run', '-q', '-c', 'x.yaml', '--no-judge-cache', '--provider', 'simulator', '--concurrency', '8', '123'],
      ['run', '--maxCost=2', '--allowPartial', '--concurrency', 'abc', '--quiet', 'false'],
      ['estimate', '--exact', '--traffic', '5/day', '--filter', 'a*', '--filter', 'tag:x'],
      ['validate', '--show-judge-prompt', '--gate-on', 'thinkingLevel=low', '--gate-on', 'model=m'],
    ];
    for (const command of ['run', 'validate', 'estimate']) expect(parseFast([command], COMMANDS), `${command} takes the fast path`).toBeDefined();
    expect(lines.length).toBeGreaterThan(60);
    for (const line of lines) {
      const fast = parseFast(line, COMMANDS);
      const slow = await parseWithYargs(line);
      expect(slow.usageError, line.join(' ')).toBeUndefined();
      expect(fast, line.join(' ')).toBeDefined();
      expect(fast!.command).toBe(slow.chosen!.command);
      expect(fast!.args, line.join(' ')).toEqual(slow.chosen!.args);
    }
  });

  it.each([
    [['run', '--bogus']],
    [['run', '--no-bogus']],
    [['run', '-x']],
    [['validate', '--quiet']],
    [['run', '--provider', 'openai']],
    [['run', '--reporter', 'json,nope']],
    [['run', '--out', 'a', '--out', 'b']],
    [['run', '--help']],
    [['run', '-h']],
    [['--version']],
    [['run', '-q', '--', 'x']],
    [['rn']],
    [[]],
    [['report', 'runs/1']],
    [['compare', 'a', 'b']],
  ])('leaves %j to yargs (help, version, mistakes, other commands)', (line) => {
    expect(parseFast(line, COMMANDS)).toBeUndefined();
  });
});
