import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Start-up time is mostly module loading (docs/performance.md), so the heavy packages and the parts a
 * command rarely needs are imported dynamically, where they are used. This walks the static imports
 * (not `import type`, not `await import(...)`) from a command's module and lists what it reaches.
 */
const src = join(import.meta.dirname, '..', '..', 'src');

function staticallyReached(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(src, file), 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'/g)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith('node:')) continue;
      if (!specifier.startsWith('.')) {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
        continue;
      }
      const target = relative(src, normalize(join(dirname(join(src, file)), specifier))).split(sep).join('/').replace(/\.js$/, '.ts');
      if (existsSync(join(src, target))) visit(target);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('what a command loads before it runs', () => {
  it('the CLI parses the usual command lines without yargs (it loads only for help, version and mistakes)', () => {
    const { packages } = staticallyReached('cli/run-cli.ts');
    expect(packages).not.toContain('yargs');
    expect(packages).toContain('yargs-parser');
  });

  it('validate loads no HTTP client, JSON Schema compiler, script loader, positional YAML parser or tokenizer', () => {
    const { packages } = staticallyReached('cli/commands/validate-command.ts');
    for (const heavy of ['undici', 'ajv', 'ajv-formats', 'jiti', 'yaml', 'gpt-tokenizer', 'cli-table3']) expect(packages, heavy).not.toContain(heavy);
    expect(packages).toContain('js-yaml');
  });

  it('estimate loads no HTTP client (only --exact sends), JSON Schema compiler, script loader or positional YAML parser, nor the sequential tests without --until-decided', () => {
    const { files, packages } = staticallyReached('cli/commands/estimate-command.ts');
    for (const heavy of ['undici', 'ajv', 'jiti', 'yaml', 'gpt-tokenizer']) expect(packages, heavy).not.toContain(heavy);
    expect([...files].filter((f) => f.startsWith('gate/') || f.startsWith('stats/betting'))).toEqual([]);
  });

  it('run loads neither the simulator nor replay and recording unless asked, nor ajv, jiti, yaml or the tokenizer', () => {
    const { files, packages } = staticallyReached('cli/commands/run-command.ts');
    for (const heavy of ['ajv', 'jiti', 'yaml', 'gpt-tokenizer']) expect(packages, heavy).not.toContain(heavy);
    expect([...files].filter((f) => f.startsWith('simulator/') || f.startsWith('providers/replay/'))).toEqual([]);
    expect(packages).toContain('undici');
  });
});
