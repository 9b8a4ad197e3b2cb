import { formatAjvErrors } from '../config/json-schema-compiler.js';
import type { ResolvedJsonSchemaAssertion } from '../config/loaded-suite.js';
import { quoteText, sanitizeDetail, type Assertion } from './assertion.js';

/** `jsonSchema`: the text is JSON that the schema (compiled once, at load) accepts. */
export function compileJsonSchemaAssertion(spec: ResolvedJsonSchemaAssertion): Assertion {
  return {
    type: 'jsonSchema',
    check(sample) {
      const parsed = sample.json();
      if (!parsed.ok) {
        return { type: 'jsonSchema', pass: false, message: `expected JSON valid against ${spec.schemaLabel}, got ${quoteText(sample.text)} (${parsed.error})` };
      }
      return spec.validate(parsed.value)
        ? { type: 'jsonSchema', pass: true, message: `valid against ${spec.schemaLabel}` }
        : { type: 'jsonSchema', pass: false, message: `not valid against ${spec.schemaLabel}: ${sanitizeDetail(formatAjvErrors(spec.validate.errors))}` };
    },
  };
}
