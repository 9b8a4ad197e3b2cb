import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import { quoteText, type Assertion } from './assertion.js';

/** `regex`: the text matches the pattern (or, with `not`, does not). */
export function compileRegexAssertion(spec: AssertionSpecOf<'regex'>): Assertion {
  const regex = new RegExp(spec.pattern, spec.flags);
  const shown = `/${spec.pattern}/${spec.flags ?? ''}`;
  return {
    type: 'regex',
    check(sample) {
      const match = regex.exec(sample.text);
      if (spec.not) {
        return match
          ? { type: 'regex', pass: false, message: `expected no match for ${shown}, found ${quoteText(match[0], 40)} at ${match.index}` }
          : { type: 'regex', pass: true, message: `no match for ${shown}` };
      }
      return match
        ? { type: 'regex', pass: true, message: `matched ${shown} at ${match.index}` }
        : { type: 'regex', pass: false, message: `expected a match for ${shown}, got ${quoteText(sample.text)}` };
    },
  };
}
