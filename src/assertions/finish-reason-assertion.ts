import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import type { FinishReason } from '../core/runware-limits.js';
import type { Assertion } from './assertion.js';

/** `finishReason`: the model stopped for one of the given reasons (or, with `not`, for none of them). */
export function compileFinishReasonAssertion(spec: AssertionSpecOf<'finishReason'>): Assertion {
  const accepted: readonly FinishReason[] = Array.isArray(spec.equals) ? spec.equals : [spec.equals];
  const shown = accepted.join(' or ');
  return {
    type: 'finishReason',
    check(sample) {
      // A sample whose API gave no finish reason is in no list: `equals` fails it, `not` passes it.
      const isListed = sample.finishReason !== null && accepted.includes(sample.finishReason);
      const pass = spec.not ? !isListed : isListed;
      const expected = spec.not ? `not ${shown}` : shown;
      const found = sample.finishReason ?? 'none (the API gave no finish reason)';
      return { type: 'finishReason', pass, message: pass ? `finishReason ${found}` : `expected finishReason ${expected}, got ${found}` };
    },
  };
}
