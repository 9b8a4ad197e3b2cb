import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import type { Usage } from '../core/sample-record.js';
import type { Assertion } from './assertion.js';

const LIMITS = [
  ['maxPrompt', 'promptTokens', 'prompt'],
  ['maxCompletion', 'completionTokens', 'completion'],
  ['maxThinking', 'thinkingTokens', 'thinking'],
  ['maxTotal', 'totalTokens', 'total'],
] as const satisfies readonly (readonly [keyof AssertionSpecOf<'tokens'>, keyof Usage, string])[];

/** `tokens`: every given budget holds. */
export function compileTokensAssertion(spec: AssertionSpecOf<'tokens'>): Assertion {
  const active = LIMITS.filter(([limit]) => spec[limit] !== undefined);
  return {
    type: 'tokens',
    check(sample) {
      if (!sample.usage) {
        return { type: 'tokens', pass: false, message: `expected ${active.map(([limit, , label]) => `${label} ≤ ${spec[limit]}`).join('; ')}, got none: no token usage was reported` };
      }
      const usage = sample.usage;
      const over = active.filter(([limit, field]) => usage[field] > spec[limit]!);
      if (over.length > 0) {
        return { type: 'tokens', pass: false, message: over.map(([limit, field, label]) => `${label} ${usage[field]} > max ${spec[limit]}`).join('; ') };
      }
      return { type: 'tokens', pass: true, message: active.map(([limit, field, label]) => `${label} ${usage[field]} ≤ ${spec[limit]}`).join('; ') };
    },
  };
}
