import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import { quoteText, type Assertion } from './assertion.js';

/** `equals`: the trimmed text is the trimmed value (or, with `not`, is not), optionally ignoring case. */
export function compileEqualsAssertion(spec: AssertionSpecOf<'equals'>): Assertion {
  const expected = spec.value.trim();
  const wanted = spec.ignoreCase ? expected.toLowerCase() : expected;
  const how = spec.ignoreCase ? ' (ignoring case)' : '';
  return {
    type: 'equals',
    check(sample) {
      const text = sample.text.trim();
      const isEqual = (spec.ignoreCase ? text.toLowerCase() : text) === wanted;
      if (spec.not) {
        return isEqual
          ? { type: 'equals', pass: false, message: `expected anything but ${quoteText(expected)}${how}, got it` }
          : { type: 'equals', pass: true, message: `differs from ${quoteText(expected)}` };
      }
      return isEqual
        ? { type: 'equals', pass: true, message: `equals ${quoteText(expected)}${how}` }
        : { type: 'equals', pass: false, message: `expected ${quoteText(expected)}${how}, got ${quoteText(text)}` };
    },
  };
}
