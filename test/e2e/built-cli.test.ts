import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });

describe('the built CLI', () => {
  it('answers --version from package.json without loading the parser, and --help through it', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run('--version')).toBe(`${version}\n`);
    const help = run('--help');
    expect(help).toContain('evalgate run');
    expect(help).toContain('--version');
  });

  it('hands a --version among other flags to the parser like any flag', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run('validate', '--version').trim()).toBe(version);
  });
});
