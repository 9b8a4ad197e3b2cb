import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The floors of src/, top to bottom: a folder imports only folders below it (docs/architecture.md
 * draws them and says why each sits where it does). Every file lives in one of them.
 */
const FLOORS = ['cli', 'reporters', 'run', 'gate', 'providers', 'publish', 'simulator', 'results', 'cost', 'assertions', 'plan', 'config', 'stats', 'core'] as const;
/** Files directly in src/: the package's entry (index.ts, the types a script assertion imports), above every floor. */
const ROOT = '(src root)';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

type Graph = ReadonlyMap<string, readonly string[]>;

/** Every .ts file under src/, by its path from src/, with the files it imports (type-only imports too). */
function readImportGraph(): Graph {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) graph.set(relative(src, path).split(sep).join('/'), importsOf(path));
    }
  };
  walk(src);
  return graph;
}

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g), ...text.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)];
  return specifiers.map((m) => relative(src, normalize(join(dirname(path), m[1]!))).split(sep).join('/').replace(/\.js$/, '.ts'));
}

const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '(src root)');

/** Imports that climb: from a folder to one at or above it in `floors` (other than itself). */
function upwardImports(graph: Graph, floors: readonly string[]): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    const from = folderOf(file) === ROOT ? -1 : floors.indexOf(folderOf(file));
    if (from < 0 && folderOf(file) !== ROOT) {
      found.push(`${file} lives in no floor`);
      continue;
    }
    for (const target of targets) {
      const to = folderOf(target) === ROOT ? -1 : floors.indexOf(folderOf(target));
      if (to !== from && !(to > from)) found.push(`${file} → ${target}`);
    }
  }
  return found;
}

/** The strongly connected groups of more than one node (and nodes that import themselves): the circles. */
function circles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

function folderGraph(graph: Graph): Graph {
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const edges = folders.get(folderOf(file)) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== folderOf(file)) edges.add(folderOf(target));
    folders.set(folderOf(file), edges);
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges]]));
}

describe('the direction of imports in src/', () => {
  const graph = readImportGraph();

  it('reads every file and resolves every relative import to a file that exists', () => {
    expect(graph.size).toBeGreaterThan(100);
    const dangling = [...graph].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} → ${t}`));
    expect(dangling).toEqual([]);
  });

  it('imports only downwards, floor by floor', () => {
    expect(upwardImports(graph, FLOORS)).toEqual([]);
  });

  it('has no circle between files', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('has no circle between folders', () => {
    expect(circles(folderGraph(graph))).toEqual([]);
  });

  it('keeps core/ free of every other folder, and stats/ of all but core/', () => {
    const allowed: Record<string, string[]> = { core: ['core'], stats: ['stats', 'core'] };
    const reaching = [...graph]
      .filter(([file]) => folderOf(file) in allowed)
      .flatMap(([file, targets]) => targets.filter((t) => !allowed[folderOf(file)]!.includes(folderOf(t))).map((t) => `${file} → ${t}`));
    expect(reaching).toEqual([]);
  });

  it('draws the same floors in docs/architecture.md', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const block = /<!-- floors -->\n```\n([\s\S]*?)```/.exec(doc);
    expect(block, 'docs/architecture.md has a ```-block after <!-- floors -->').not.toBeNull();
    const drawn = block![1]!.split('\n').map((line) => /^(\S+)\//.exec(line)?.[1]).filter((f): f is string => f !== undefined);
    expect(drawn).toEqual([...FLOORS]);
  });
});

describe('the import checks themselves', () => {
  const graph: Graph = new Map([
    ['core/a.ts', []],
    ['results/b.ts', ['core/a.ts', 'cost/c.ts']],
    ['cost/c.ts', ['results/b.ts']],
    ['misc/lost.ts', []],
  ]);

  it('names an import that climbs and a file outside every floor', () => {
    expect(upwardImports(graph, ['results', 'cost', 'core'])).toEqual(['cost/c.ts → results/b.ts', 'misc/lost.ts lives in no floor']);
  });

  it('finds a circle between two files, and between their folders', () => {
    expect(circles(graph)).toEqual([['cost/c.ts', 'results/b.ts']]);
    expect(circles(folderGraph(graph))).toEqual([['cost', 'results']]);
  });

  it('finds a file that imports itself', () => {
    expect(circles(new Map([['core/a.ts', ['core/a.ts']]]))).toEqual([['core/a.ts']]);
  });
});
