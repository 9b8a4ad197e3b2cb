import type { z } from 'zod';
import type { Diagnostic } from './diagnostic.js';
import { didYouMean, suggest } from './suggest.js';
import type { DiagnosticSource } from './diagnostic-source.js';
import type { YamlPath } from './yaml-source.js';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/**
 * Turns zod's issues into diagnostics pinned to the YAML, with messages that say what was expected,
 * what was found, and a hint where one helps.
 */
export function diagnosticsFromZod(allIssues: readonly Issue[], source: DiagnosticSource, schema: AnySchema): Diagnostic[] {
  const issues = flattenUnionIssues(allIssues);
  // A misspelt required key (`patern:`) is both unknown and missing: report it once, as the unknown
  // key with its suggestion, not a second time as the key it should have been.
  const misspelt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = issue.path as (string | number)[];
    const allowed = objectKeysAt(schema, path, source.value);
    for (const key of issue.keys) {
      const meant = suggest(key, allowed);
      if (meant !== undefined) misspelt.add(formatPath([...path, meant]));
    }
  }
  return issues.flatMap((issue) => describeIssue(issue, [], source, schema, misspelt));
}

function describeIssue(issue: Issue, prefix: YamlPath, source: DiagnosticSource, schema: AnySchema, misspelt: ReadonlySet<string>): Diagnostic[] {
  const path: YamlPath = [...prefix, ...(issue.path as (string | number)[])];
  const where = formatPath(path);
  const value = valueAt(source.value, path);
  // zod reports an absent key as the type, enum value or union branch it expected; say that it is missing.
  const isAbsent = value === undefined && path.length > 0;
  if (isAbsent && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || (issue.code === 'invalid_union' && issue.discriminator === undefined))) {
    return misspelt.has(where) ? [] : [missingKey(path, source)];
  }

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = objectKeysAt(schema, path, source.value);
      return issue.keys.map((key) =>
        source.diagnostic([...path, key], 'UNKNOWN_KEY', `unknown key "${key}"${path.length ? ` in ${where}` : ''}`, {
          atKey: true,
          hint: didYouMean(key, allowed) ?? (allowed.length ? `allowed here: ${allowed.join(', ')}` : undefined),
        }),
      );
    }
    case 'invalid_type': {
      return [source.diagnostic(path, 'WRONG_TYPE', `${where} must be ${describeExpected(issue.expected)}, got ${describeValue(value)}`)];
    }
    case 'too_big':
    case 'too_small': {
      const isBig = issue.code === 'too_big';
      const bound = Number(isBig ? issue.maximum : issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') {
        return [source.diagnostic(path, 'INVALID_VALUE', isBig ? `${where} has more than ${bound} items` : `${where} needs at least ${bound} item${bound === 1 ? '' : 's'}`, {
          hint: isBig ? undefined : 'add an item, or remove the key to use the default',
        })];
      }
      if (issue.origin === 'string') {
        const length = typeof value === 'string' ? value.length : 0;
        return [source.diagnostic(path, 'OUT_OF_RANGE', isBig ? `${where} is ${length} characters long; at most ${bound} are allowed` : `${where} must not be empty`)];
      }
      const range = rangeOf(schema, path, source.value);
      return [source.diagnostic(path, 'OUT_OF_RANGE', `${where} must be ${isBig ? 'at most' : 'at least'} ${bound}, got ${describeValue(value)}`, {
        hint: range ? `allowed: ${range}` : undefined,
      })];
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      const shown = typeof value === 'string' ? `"${value}"` : describeValue(value);
      const isSystemRole = path[path.length - 1] === 'role' && value === 'system';
      return [source.diagnostic(path, 'INVALID_VALUE', `${where} is ${shown}; expected one of: ${options.join(', ')}`, {
        hint: isSystemRole ? 'Runware takes the system prompt as settings.systemPrompt, not as a message' : typeof value === 'string' ? didYouMean(value, options) : undefined,
      })];
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const options = ('options' in issue ? (issue.options ?? []) : []).map(String);
        const discriminatorValue = valueAt(source.value, path);
        if (discriminatorValue === undefined) {
          return [source.diagnostic(path.slice(0, -1), 'MISSING_KEY', `${formatPath(path.slice(0, -1))} needs a "${issue.discriminator}"`, {
            hint: `one of: ${options.join(', ')}`,
          })];
        }
        const hint = didYouMean(String(discriminatorValue), options) ?? `known types: ${options.join(', ')}`;
        // Two lists are unions on `type`: a suite's tools, and assertions (everywhere else).
        if (path[0] === 'tools') return [source.diagnostic(path, 'INVALID_VALUE', `unknown tool type "${String(discriminatorValue)}"`, { hint })];
        return [source.diagnostic(path, 'UNKNOWN_ASSERTION', `unknown assertion type "${String(discriminatorValue)}"`, { hint })];
      }
      const expected = issue.errors
        .map((branch) => branch.find((b) => b.code === 'invalid_type' && b.path.length === 0))
        .filter((b): b is z.core.$ZodIssueInvalidType => b !== undefined)
        .map((b) => describeExpected(b.expected));
      if (expected.length === issue.errors.length) {
        return [source.diagnostic(path, 'WRONG_TYPE', `${where} must be ${expected.join(' or ')}, got ${describeValue(value)}`)];
      }
      // One branch matched the type: report that branch's own problems.
      return chosenBranch(issue).flatMap((sub) => describeIssue(sub, path, source, schema, misspelt));
    }
    case 'invalid_key': {
      return [source.diagnostic(path, 'INVALID_VALUE', `"${String(path[path.length - 1])}" in ${formatPath(path.slice(0, -1))}: ${issue.issues[0]?.message ?? 'invalid key'}`, { atKey: true })];
    }
    case 'invalid_format':
      return [source.diagnostic(path, 'INVALID_VALUE', `${where}: ${issue.message}, got ${describeValue(value)}`)];
    default:
      return [source.diagnostic(path, 'INVALID_VALUE', `${where}: ${issue.message}`)];
  }
}

/**
 * The branch of a union (without a discriminator) whose problems to report: among those the value has
 * the right type for, the one whose keys the value uses most (fewest unknown keys at its top: a case
 * with a typo is a case, `{file: 3}` a file entry), then the one with the fewest problems, then the first.
 */
function chosenBranch(issue: z.core.$ZodIssueInvalidUnion): Issue[] {
  const typed = issue.errors.filter((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
  if (typed.length === 0) return issue.errors[0] ?? [];
  const unknownKeys = (b: Issue[]) => b.reduce((n, i) => n + (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys.length : 0), 0);
  return typed.reduce((best, b) => {
    const [bu, cu] = [unknownKeys(best), unknownKeys(b)];
    return cu < bu || (cu === bu && b.length < best.length) ? b : best;
  });
}

/**
 * Replaces each union issue (without a discriminator) whose value has the type of some branch by that
 * branch's own issues, with full paths: a problem inside a case of `cases` (a list of cases or data
 * files) is then seen, and repaired, like one in a plain list. Unions where no branch has the value's
 * type stay whole ("must be a string or a mapping").
 */
export function flattenUnionIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    if (issue.code !== 'invalid_union' || issue.discriminator !== undefined) return [issue];
    const isTypeOnly = issue.errors.every((b) => b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
    if (isTypeOnly || issue.errors.length === 0) return [issue];
    return flattenUnionIssues(chosenBranch(issue).map((sub) => ({ ...sub, path: [...issue.path, ...sub.path] }) as Issue));
  });
}

/** `missing required key "role" in cases[0].messages[0]`, pinned to the mapping that lacks it. */
function missingKey(path: YamlPath, source: DiagnosticSource): Diagnostic {
  const parent = path.slice(0, -1);
  // A mapping under a key starts on its first child's line; the caret belongs on the key that names it.
  const atKey = typeof parent[parent.length - 1] === 'string';
  return source.diagnostic(parent, 'MISSING_KEY', `missing required key "${String(path[path.length - 1])}"${parent.length > 0 ? ` in ${formatPath(parent)}` : ''}`, { atKey });
}

/** `cases[2].assert[0].pattern` */
export function formatPath(path: YamlPath): string {
  if (path.length === 0) return 'the file';
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** A short, human description of a YAML value: `the string "high"`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number' : ''} ${value}`.trim();
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    default:
      return expected;
  }
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let node: unknown = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  in?: AnySchema;
}
const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema that validates the value at `path`, following objects, lists, records and unions. */
function schemaAt(schema: AnySchema, path: YamlPath, root: unknown): AnySchema | undefined {
  let current: AnySchema | undefined = unwrap(schema, root, []);
  for (let i = 0; i < path.length && current; i++) {
    const def = defOf(current);
    const seg = path[i]!;
    const next: AnySchema | undefined =
      def.type === 'object' ? def.shape?.[String(seg)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
    current = next ? unwrap(next, root, path.slice(0, i + 1)) : undefined;
  }
  return current;
}

function unwrap(schema: AnySchema, root: unknown, path: YamlPath): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(def.type)) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else if (def.type === 'union' && def.options) {
      const value = valueAt(root, path);
      const objects = def.options.filter((o) => defOf(unwrap(o, root, path)).type === 'object');
      const discriminator = def.discriminator;
      const matching = discriminator
        ? objects.find((o) => {
            const literal = defOf(unwrap(o, root, path)).shape?.[discriminator];
            const values = literal ? (literal as unknown as { _zod: { values?: Set<unknown> } })._zod.values : undefined;
            return values?.has((value as Record<string, unknown> | undefined)?.[discriminator]);
          })
        : undefined;
      const choice = matching ?? (typeof value === 'object' && !Array.isArray(value) ? objects[0] : def.options.find((o) => defOf(o).type === 'array')) ?? def.options[0];
      if (!choice) return current;
      current = choice;
    } else {
      return current;
    }
  }
}

function objectKeysAt(schema: AnySchema, path: YamlPath, root: unknown): string[] {
  const at = schemaAt(schema, path, root);
  const shape = at ? defOf(at).shape : undefined;
  return shape ? Object.keys(shape) : [];
}

function rangeOf(schema: AnySchema, path: YamlPath, root: unknown): string | undefined {
  const at = schemaAt(schema, path, root) as { minValue?: number | null; maxValue?: number | null } | undefined;
  const min = at?.minValue;
  const max = at?.maxValue;
  if (typeof min !== 'number' || typeof max !== 'number' || !Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return undefined;
  return `${min} to ${max}`;
}
