import { formatAjvErrors } from '../config/json-schema-compiler.js';
import type { ResolvedToolCallAssertion } from '../config/loaded-suite.js';
import { sanitizeDetail, type Assertion } from './assertion.js';

/**
 * `toolCall`: the model asked to call the tool (any tool, without a name) between `min` and `max`
 * times, or exactly `count` times (at least once by default), and every such call's arguments
 * satisfy the schema (the given one, else the tool's own); with `not`, it called none.
 */
export function compileToolCallAssertion(spec: ResolvedToolCallAssertion): Assertion {
  const what = spec.name !== undefined ? `${spec.name}` : 'any tool';
  const min = spec.not ? 0 : (spec.count ?? spec.min ?? (spec.max === undefined ? 1 : 0));
  const max = spec.not ? 0 : (spec.count ?? spec.max ?? Infinity);
  const expected = spec.not ? 'no call' : min === max ? `${plural(min)}` : max === Infinity ? `at least ${plural(min)}` : `${min} to ${plural(max)}`;
  return {
    type: 'toolCall',
    check(sample) {
      const calls = sample.toolCalls.filter((c) => spec.name === undefined || c.name === spec.name);
      const called = sample.toolCalls.length === 0 ? 'no tool calls' : sample.toolCalls.map((c) => c.name).join(', ');
      if (calls.length < min || calls.length > max) {
        return { type: 'toolCall', pass: false, message: `expected ${expected} of ${what}, got ${plural(calls.length)} (called: ${sanitizeDetail(called)})` };
      }
      for (const [i, call] of calls.entries()) {
        if (call.arguments === null && call.argumentsError !== undefined) {
          return { type: 'toolCall', pass: false, message: `call ${i + 1} of ${call.name}: arguments ${sanitizeDetail(call.argumentsError)}` };
        }
        if (spec.validate && !spec.validate(call.arguments)) {
          return {
            type: 'toolCall',
            pass: false,
            message: `call ${i + 1} of ${call.name}: arguments not valid against ${spec.schemaLabel}: ${sanitizeDetail(formatAjvErrors(spec.validate.errors))}`,
          };
        }
      }
      const checked = spec.validate && calls.length > 0 ? `, arguments valid against ${spec.schemaLabel}` : '';
      return { type: 'toolCall', pass: true, message: spec.not ? `${what} not called` : `${what} called ${plural(calls.length)}${checked}` };
    },
  };
}

function plural(n: number): string {
  return `${n} time${n === 1 ? '' : 's'}`;
}
