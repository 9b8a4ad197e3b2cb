import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import type { Assertion } from './assertion.js';

/** `latencyMs`: the request's own time was at most `max`. */
export function compileLatencyAssertion(spec: AssertionSpecOf<'latencyMs'>): Assertion {
  return {
    type: 'latencyMs',
    check(sample) {
      const pass = sample.latencyMs <= spec.max;
      // Whole milliseconds read best, unless rounding would contradict the verdict ("100 ms > max 100 ms").
      const rounded = Math.round(sample.latencyMs);
      const shown = (rounded <= spec.max) === pass ? rounded : sample.latencyMs;
      return { type: 'latencyMs', pass, message: `latency ${shown} ms ${pass ? '≤' : '>'} max ${spec.max} ms` };
    },
  };
}
