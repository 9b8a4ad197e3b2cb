import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { COMMANDS } from '../../src/cli/run-cli.js';
import { ConfigSpecSchema } from '../../src/config/config-schema.js';
import { SAMPLE_ERROR_CODES } from '../../src/core/sample-record.js';

const root = path.resolve(import.meta.dirname, '../..');
const doc = (name: string) => readFileSync(path.join(root, 'docs', name), 'utf8');
const kebab = (flag: string) => flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The `## evalgate <command> …` sections of docs/cli.md, by command name, up to the next `## `. */
function cliSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const part of text.split(/^## /m).slice(1)) {
    const name = /^evalgate (\w+)/.exec(part)?.[1];
    if (name) sections.set(name, part);
  }
  return sections;
}

/** Every leaf key of a zod object schema, dotted (`retry.maxAttempts`); records and arrays are leaves. */
function leafKeys(schema: z.ZodType, prefix = ''): string[] {
  let inner = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> } };
  while (['default', 'prefault', 'optional', 'nullable'].includes(inner.def.type)) inner = inner.def.innerType as typeof inner;
  if (inner.def.type !== 'object') return [prefix];
  return Object.entries(inner.def.shape!).flatMap(([key, field]) => leafKeys(field, prefix ? `${prefix}.${key}` : key));
}

describe('docs/cli.md and the commands the parser knows', () => {
  const sections = cliSections(doc('cli.md'));

  it('has a section for every command, and no section for a command that does not exist', () => {
    expect([...sections.keys()].sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('documents every flag of %s', (name, command) => {
    const section = sections.get(name)!;
    // A boolean that is on by default is documented by its negation (`--no-judge-cache`).
    const missing = Object.keys(command.options).filter((flag) => !section.includes(`--${kebab(flag)}`) && !section.includes(`--no-${kebab(flag)}`));
    expect(missing).toEqual([]);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('documents no flag %s does not take', (name, command) => {
    const section = sections.get(name)!.split(/^### /m)[0]!;
    const known = new Set(Object.keys(command.options).flatMap((flag) => [`--${kebab(flag)}`, `--no-${kebab(flag)}`]));
    // Flags of other commands named in passing (`see estimate`) are in prose; the option table and usage line are checked.
    const documented = [...section.matchAll(/^\| `(-\w, )?(--[a-z-]+)|^evalgate \w+.*$/gm)].flatMap((m) => (m[2] ? [m[2]] : [...m[0].matchAll(/--[a-z-]+/g)].map((f) => f[0])));
    expect(documented.filter((flag) => !known.has(flag))).toEqual([]);
  });
});

describe('docs/config.md and the config schema', () => {
  const rows = new Map([...doc('config.md').matchAll(/^\| `([\w.]+)` \| ([^|]*) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
  const keys = leafKeys(ConfigSpecSchema);

  it('has a row for every key of evalconfig.yaml (gateOn and simulator.faults: one row each, the faults in docs/simulator.md), and none for a key that does not exist', () => {
    const faultRows = new Set([...doc('simulator.md').matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]!));
    // gateOn is one row (its two lists read together); simulator.faults one row, each fault in docs/simulator.md.
    const documented = (key: string) =>
      rows.has(key) || (key.startsWith('gateOn.') && rows.has('gateOn')) || (key.startsWith('simulator.faults.') && rows.has('simulator.faults') && faultRows.has(key.slice('simulator.faults.'.length)));
    expect(keys.filter((k) => !documented(k))).toEqual([]);
    const known = (row: string) => keys.includes(row) || keys.some((k) => k.startsWith(`${row}.`));
    expect([...rows.keys()].filter((row) => !known(row))).toEqual([]);
  });

  it('gives the schema default wherever the row states a plain number', () => {
    const defaults = ConfigSpecSchema.parse({}) as Record<string, unknown>;
    const valueAt = (key: string) => key.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown> | undefined)?.[part], defaults);
    const wrong = [...rows].filter(([key, shown]) => /^-?\d+(\.\d+)?$/.test(shown) && valueAt(key) !== Number(shown)).map(([key, shown]) => `${key}: docs ${shown}, schema ${String(valueAt(key))}`);
    expect(wrong).toEqual([]);
  });
});

describe('docs/errors.md and the sample error codes', () => {
  const rows = new Map([...doc('errors.md').matchAll(/^\| `([A-Z_]+)` \| [^|]* \| ([^|]*) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));

  it('has a row for every code a sample can carry, and none other', () => {
    expect([...rows.keys()].sort()).toEqual([...SAMPLE_ERROR_CODES].sort());
  });

  it('says a partial answer is retried for the missing results, as executeTrial does', () => {
    expect(rows.get('MISSING_RESULT')).toMatch(/^yes, for the results still missing/);
    expect(doc('errors.md')).toMatch(/asks again for the missing results only/);
  });
});

describe('README.md and the links of the docs', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

  it('stays under 12 KB, what a newcomer reads at once', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(12 * 1024);
  });

  it('keeps the two-command Quick start', () => {
    expect(readme).toContain('```sh\nnpm ci && npm start    # install, then run the example suites offline on the built-in simulator\nnpm test               # type check and every test\n```');
  });

  it('links only to files that exist, from README.md and every docs/*.md', () => {
    const files = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken = files.flatMap((file) =>
      [...readFileSync(path.join(root, file), 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !existsSync(path.join(root, path.dirname(file), target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(broken).toEqual([]);
  });
});
