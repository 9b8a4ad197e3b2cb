import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import type { FinishReason } from '../config/runware-limits.js';
import type { Assertion } from './assertion.js';

/** `finishReason`: the model stopped for one of the given reasons (or, with `not`, for none of them). */
export function compileFinishReasonAssertion(spec: AssertionSpecOf<'finishReason'>): Assertion {
  const accepted: readonly FinishReason[] = Array.isArray(spec.equals) ? spec.equals : [spec.equals];
  const shown = accepted.join(' or ');
  return {
    type: 'finishReason',
    check(sample) {
      const isListed = accepted.includes(sample.finishReason);
      const pass = spec.not ? !isListed : isListed;
      const expected = spec.not ? `not ${shown}` : shown;
      return { type: 'finishReason', pass, message: pass ? `finishReason ${sample.finishReason}` : `expected finishReason ${expected}, got ${sample.finishReason}` };
    },
  };
}
