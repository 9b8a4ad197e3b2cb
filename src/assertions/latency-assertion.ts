import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import type { Assertion } from './assertion.js';

/** `latencyMs`: the request's own time was at most `max`. */
export function compileLatencyAssertion(spec: AssertionSpecOf<'latencyMs'>): Assertion {
  return {
    type: 'latencyMs',
    check(sample) {
      const pass = sample.latencyMs <= spec.max;
      return { type: 'latencyMs', pass, message: `latency ${Math.round(sample.latencyMs)} ms ${pass ? '≤' : '>'} max ${spec.max} ms` };
    },
  };
}
