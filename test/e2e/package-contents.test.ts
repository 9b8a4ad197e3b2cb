import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BUILT_CLI } from '../support/built-cli.js';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Every file under `dir` (relative to the root), recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('the packed package (npm pack)', () => {
  const packed = new Set(
    (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path),
  );

  it('carries every doc and schema that a message of evalgate points to', () => {
    const sources = filesUnder('src').filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(root, f), 'utf8'));
    const pointed = new Set(sources.flatMap((text) => [...text.matchAll(/\b((?:docs|schemas)\/[\w./-]+\.(?:md|json|ya?ml))/g)].map((m) => m[1]!)));
    expect(pointed.size).toBeGreaterThan(5);
    for (const file of pointed) expect(packed, file).toContain(file);
  });

  it('carries the CLI, the action and the docs a user installs it by', () => {
    for (const file of [path.relative(root, BUILT_CLI), 'action.yml', 'docs/install.md', 'docs/ci.md', 'docs/ci/github-action.yml', 'README.md', 'schemas/suite.schema.json', 'schemas/config.schema.json']) expect(packed, file).toContain(file);
    expect([...packed].some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });
});
