import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import { quoteText, type Assertion } from './assertion.js';

/** `contains`: every value appears in the text (or, with `not`, none does). */
export function compileContainsAssertion(spec: AssertionSpecOf<'contains'>): Assertion {
  const values = Array.isArray(spec.value) ? spec.value : [spec.value];
  const needles = spec.ignoreCase ? values.map((v) => v.toLowerCase()) : values;
  const list = (items: string[]) => items.map((v) => JSON.stringify(v)).join(', ');
  return {
    type: 'contains',
    check(sample) {
      const haystack = spec.ignoreCase ? sample.text.toLowerCase() : sample.text;
      const found = values.filter((_, i) => haystack.includes(needles[i]!));
      if (spec.not) {
        return found.length === 0
          ? { type: 'contains', pass: true, message: `contains none of ${list(values)}` }
          : { type: 'contains', pass: false, message: `expected none of ${list(values)}, found ${list(found)} in ${quoteText(sample.text)}` };
      }
      const missing = values.filter((v) => !found.includes(v));
      return missing.length === 0
        ? { type: 'contains', pass: true, message: `contains ${list(values)}` }
        : { type: 'contains', pass: false, message: `expected ${list(missing)}${spec.ignoreCase ? ' (ignoring case)' : ''}, got ${quoteText(sample.text)}` };
    },
  };
}
