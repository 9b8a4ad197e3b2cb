/** One step into a JSON value: an object key or a list index. */
export type JsonPathStep = string | number;

/** A parsed path, or why it does not parse (with the 0-based offset of the problem). */
export type ParsedJsonPath = { ok: true; steps: JsonPathStep[] } | { ok: false; message: string; offset: number };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/**
 * Parses the small JSONPath subset `jsonField` takes: `$` followed by `.name`, `['name']`, `["name"]`
 * or `[index]` steps. No wildcards, filters or recursive descent: one path names one field.
 */
export function parseJsonPath(path: string): ParsedJsonPath {
  if (!path.startsWith('$')) return { ok: false, message: 'a path starts with $ (for example $.total)', offset: 0 };
  const steps: JsonPathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    if (rest.startsWith('..') || rest.startsWith('.*') || rest.startsWith('[*]') || rest.startsWith('[?')) {
      return { ok: false, message: 'wildcards, filters and .. are not supported; name one field', offset: i };
    }
    if (rest.startsWith('.')) {
      const name = IDENTIFIER.exec(rest.slice(1))?.[0];
      if (!name) return { ok: false, message: 'expected a field name after "."', offset: i + 1 };
      steps.push(name);
      i += 1 + name.length;
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      steps.push(Number(index[1]));
      i += index[0].length;
      continue;
    }
    const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
    if (quoted) {
      steps.push((quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1'));
      i += quoted[0].length;
      continue;
    }
    return { ok: false, message: `unexpected ${JSON.stringify(path[i])}; steps are .name, ['name'] or [index]`, offset: i };
  }
  return { ok: true, steps };
}

/** The value at `steps` in `value`, or `found: false` when a step is missing. */
export function readJsonPath(value: unknown, steps: readonly JsonPathStep[]): { found: true; value: unknown } | { found: false; at: number } {
  let current = value;
  for (const [i, step] of steps.entries()) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false, at: i };
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step)) return { found: false, at: i };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}
