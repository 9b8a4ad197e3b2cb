import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import { formatUsd } from '../core/format-figures.js';
import type { Assertion } from './assertion.js';

/** `costUsd`: one sample cost at most `max`. */
export function compileCostAssertion(spec: AssertionSpecOf<'costUsd'>): Assertion {
  return {
    type: 'costUsd',
    check(sample) {
      if (sample.costUsd === null) {
        return { type: 'costUsd', pass: false, message: `expected cost ≤ ${formatUsd(spec.max)}, got none: no cost was reported or priced` };
      }
      const pass = sample.costUsd <= spec.max;
      let [cost, max] = [formatUsd(sample.costUsd), formatUsd(spec.max)];
      // Three digits read best, unless rounding would contradict the verdict ("$0.01 > max $0.01").
      if (cost === max && !pass) [cost, max] = [formatUsd(sample.costUsd, 12), formatUsd(spec.max, 12)];
      return { type: 'costUsd', pass, message: `cost ${cost} ${pass ? '≤' : '>'} max ${max}` };
    },
  };
}
