import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_CLI } from '../support/built-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = BUILT_CLI;
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

/**
 * What a chunk of the bundle imports statically, transitively: its chunks and the packages left to
 * node_modules. The bundle keeps every dynamic import a chunk of its own (scripts/bundle-cli.mjs), so
 * what test/unit/lazy-imports.test.ts holds of the sources holds of what ships.
 */
function bundleReach(chunkPrefix: string): { chunks: Set<string>; packages: Set<string> } {
  const dir = path.dirname(BUILT_CLI);
  const entry = readdirSync(dir).find((f) => f.startsWith(`${chunkPrefix}-`) && f.endsWith('.js'));
  expect(entry, `a chunk named ${chunkPrefix}-*.js in ${dir}`).toBeDefined();
  const chunks = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (chunks.has(file)) return;
    chunks.add(file);
    for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)";?$|^import\s+"([^"]+)";?$/gm)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith('./')) visit(specifier.slice(2));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  };
  visit(entry!);
  return { chunks, packages };
}

describe('the bundle (dist/bin)', () => {
  it('is what package.json names as the CLI, and starts with a shebang', () => {
    expect(path.relative(root, BUILT_CLI)).toBe(path.join('dist', 'bin', 'evalgate.js'));
    expect(readFileSync(BUILT_CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('validate and estimate reach no HTTP client, simulator, yargs, JSON Schema compiler, script loader, positional YAML parser or tokenizer', () => {
    for (const command of ['validate-command', 'estimate-command']) {
      const { chunks, packages } = bundleReach(command);
      expect([...chunks].filter((c) => /^(undici|simulator-server|run-command)-/.test(c)), command).toEqual([]);
      for (const heavy of ['yargs', 'ajv', 'ajv-formats', 'jiti', 'yaml', 'gpt-tokenizer']) expect([...packages].some((p) => p === heavy || p.startsWith(`${heavy}/`)), `${command}: ${heavy}`).toBe(false);
    }
  });

  it('run reaches undici but not the simulator, replay or yargs unless asked', () => {
    const { chunks, packages } = bundleReach('run-command');
    expect([...chunks].some((c) => c.startsWith('undici-'))).toBe(true);
    expect([...chunks].filter((c) => /^(simulator-server|replay-provider|recording-provider|scenario)-/.test(c))).toEqual([]);
    for (const heavy of ['yargs', 'ajv', 'jiti', 'yaml', 'gpt-tokenizer']) expect([...packages], heavy).not.toContain(heavy);
  });

  it('leaves only the unlisted packages to node_modules, and every one of them is a dependency', () => {
    const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const dir = path.dirname(BUILT_CLI);
    const external = new Set(
      readdirSync(dir).flatMap((f) => [...readFileSync(path.join(dir, f), 'utf8').matchAll(/(?:^(?:import|export)\s[^;\n]*?from\s+|\bimport\()"([@\w][\w@/.-]*)"/gm)].map((m) => m[1]!)),
    );
    const packages = [...external].filter((s) => !s.startsWith('node:') && !builtinModules.includes(s)).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages) expect(Object.keys(dependencies), name).toContain(name);
  });
});
