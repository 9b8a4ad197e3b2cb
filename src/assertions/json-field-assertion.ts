import type { ResolvedJsonFieldAssertion } from '../config/loaded-suite.js';
import { readJsonPath } from '../config/parse-json-path.js';
import { formatCount } from '../core/format-figures.js';
import { quoteText, sanitizeDetail, type Assertion } from './assertion.js';
import type { AssertionOutcome } from '../core/sample-record.js';
import { isLinearTime, type RegexResult, type RegexRunner } from './regex-runner.js';

/**
 * `jsonField`: the text is JSON, the field at `path` exists, and it meets every condition given
 * (`equals`, `oneOf`, `matches`, `min`, `max`); with `not`, the conditions are inverted (a missing
 * field or text that is not JSON still fails: there is nothing to judge).
 */
export function compileJsonFieldAssertion(spec: ResolvedJsonFieldAssertion, runner: RegexRunner): Assertion {
  const regex = spec.matches !== undefined ? new RegExp(spec.matches, spec.flags) : undefined;
  const isLinear = spec.matches !== undefined ? isLinearTime(spec.matches, spec.flags ?? '') : true;
  const fail = (message: string, errored = false): AssertionOutcome => ({ type: 'jsonField', pass: false, message, ...(errored ? { errored: true as const } : {}) });
  return {
    type: 'jsonField',
    check(sample) {
      const parsed = sample.json();
      if (!parsed.ok) return fail(`expected JSON with ${spec.path}, got ${quoteText(sample.text)} (${parsed.error})`);
      const read = readJsonPath(parsed.value, spec.steps);
      if (!read.found) return fail(`${spec.path} is missing from the JSON`);
      const field = read.value;
      /** The verdict, once the regex (if any) has answered: in-process at once, or from a worker later. */
      const decide = (regexResult: RegexResult | undefined): AssertionOutcome => {
        // JSON text escapes control characters; long values are cut.
        const shown = sanitizeDetail(JSON.stringify(field) ?? 'undefined', 60);
        const problems: string[] = [];
        if (spec.equals !== undefined && !isSameValue(field, spec.equals)) problems.push(`expected ${JSON.stringify(spec.equals)}`);
        if (spec.oneOf !== undefined && !spec.oneOf.some((v) => isSameValue(field, v))) problems.push(`expected one of ${JSON.stringify(spec.oneOf)}`);
        if (regex) {
          if (typeof field !== 'string' && typeof field !== 'number') problems.push(`expected a string matching /${spec.matches}/${spec.flags ?? ''}`);
          else if (regexResult && 'timedOut' in regexResult) {
            return fail(`/${spec.matches}/ did not finish within ${runner.timeoutMs} ms on a ${formatCount(String(field).length)}-character field; counted as failed`, true);
          } else if (!regexResult?.match) problems.push(`expected a match for /${spec.matches}/${spec.flags ?? ''}`);
        }
        if (spec.min !== undefined || spec.max !== undefined) {
          if (typeof field !== 'number') problems.push('expected a number');
          else {
            if (spec.min !== undefined && field < spec.min) problems.push(`expected at least ${spec.min}`);
            if (spec.max !== undefined && field > spec.max) problems.push(`expected at most ${spec.max}`);
          }
        }
        if (spec.not) {
          return problems.length > 0
            ? { type: 'jsonField', pass: true, message: `${spec.path} is ${shown}, as required (not: ${describe(spec)})` }
            : fail(`${spec.path} is ${shown}, which it must not be (${describe(spec)})`);
        }
        return problems.length === 0
          ? { type: 'jsonField', pass: true, message: `${spec.path} is ${shown} (${describe(spec)})` }
          : fail(`${spec.path}: ${problems.join('; ')}, got ${shown}`);
      };
      if (!regex || (typeof field !== 'string' && typeof field !== 'number')) return decide(undefined);
      const result = runner.exec(regex, isLinear, String(field));
      return result instanceof Promise ? result.then(decide) : decide(result);
    },
  };
}

/** The conditions, as a short phrase for messages. */
function describe(spec: ResolvedJsonFieldAssertion): string {
  const parts: string[] = [];
  if (spec.equals !== undefined) parts.push(`equals ${JSON.stringify(spec.equals)}`);
  if (spec.oneOf !== undefined) parts.push(`one of ${JSON.stringify(spec.oneOf)}`);
  if (spec.matches !== undefined) parts.push(`matches /${spec.matches}/${spec.flags ?? ''}`);
  if (spec.min !== undefined) parts.push(`≥ ${spec.min}`);
  if (spec.max !== undefined) parts.push(`≤ ${spec.max}`);
  return parts.join(', ');
}

/**
 * JSON equality, deep for lists and objects. A string expectation also matches a number or boolean
 * written the same way, so `equals: "{{expected}}"` works with variables (always strings) from data files.
 */
export function isSameValue(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) return String(actual) === expected;
  if (actual === expected) return true;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => isSameValue(actual[i], v));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => Object.hasOwn(actual, k) && isSameValue((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return false;
}
