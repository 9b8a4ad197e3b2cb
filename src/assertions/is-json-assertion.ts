import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import { quoteText, type Assertion } from './assertion.js';

/** `isJson`: the text parses as JSON. */
export function compileIsJsonAssertion(_spec: AssertionSpecOf<'isJson'>): Assertion {
  return {
    type: 'isJson',
    check(sample) {
      const parsed = sample.json();
      return parsed.ok
        ? { type: 'isJson', pass: true, message: 'valid JSON' }
        : { type: 'isJson', pass: false, message: `expected JSON, got ${quoteText(sample.text)} (${parsed.error})` };
    },
  };
}
