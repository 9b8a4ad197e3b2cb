import type { z } from 'zod';
import { flattenUnionIssues } from './zod-diagnostics.js';

/** A suite value with its schema problems cut out, so the semantic checks can still run on the rest. */
export interface RepairedSuite {
  value: unknown;
  /** Cases that had schema problems: the semantic checks skip them (their problems are already reported). */
  skipCases: Set<number>;
}

const PLACEHOLDER_ASSERTION = { type: 'isJson' };

/**
 * Loading reports every problem at once, but the semantic checks (regexes, schemas, duplicate ids,
 * messages) need a value that passed the schema. This removes what zod rejected, without shifting any
 * list index (positions must still point into the file): a broken case is replaced by a placeholder
 * that is skipped, a broken suite-level assertion by a check that has nothing to verify, and any other
 * broken key is deleted so its default applies. Returns undefined when a required key is broken.
 */
export function repairSuite(raw: unknown, issues: readonly z.core.$ZodIssue[]): RepairedSuite | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const value = structuredClone(raw) as Record<string, unknown>;
  const skipCases = new Set<number>();
  for (const issue of flattenUnionIssues(issues)) {
    const path = issue.path as (string | number)[];
    const [head, index] = path;
    if (head === 'cases' && typeof index === 'number' && Array.isArray(value.cases)) {
      skipCases.add(index);
      value.cases[index] = { id: `skipped-${index}`, messages: [{ role: 'user', content: 'skipped' }] };
      continue;
    }
    if (head === 'assert' && typeof index === 'number' && Array.isArray(value.assert)) {
      value.assert[index] = PLACEHOLDER_ASSERTION;
      continue;
    }
    if (head === 'suite' || head === 'cases' || head === undefined) {
      if (issue.code !== 'unrecognized_keys') return undefined;
    }
    if (issue.code === 'unrecognized_keys') {
      const parent = valueAt(value, path);
      if (parent && typeof parent === 'object') for (const key of issue.keys) delete (parent as Record<string, unknown>)[key];
      continue;
    }
    const keyDepth = lastKeyIndex(path);
    if (keyDepth < 0) return undefined;
    const parent = valueAt(value, path.slice(0, keyDepth));
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[path[keyDepth] as string];
  }
  return { value, skipCases };
}

function lastKeyIndex(path: (string | number)[]): number {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return i;
  return -1;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let node = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}
