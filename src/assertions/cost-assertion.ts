import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import type { Assertion } from './assertion.js';

/** `costUsd`: one sample cost at most `max`. */
export function compileCostAssertion(spec: AssertionSpecOf<'costUsd'>): Assertion {
  return {
    type: 'costUsd',
    check(sample) {
      if (sample.costUsd === null) return { type: 'costUsd', pass: false, message: 'no cost was reported or priced, so the limit cannot be checked' };
      const pass = sample.costUsd <= spec.max;
      return { type: 'costUsd', pass, message: `cost $${formatUsd(sample.costUsd)} ${pass ? '≤' : '>'} max $${formatUsd(spec.max)}` };
    },
  };
}

function formatUsd(value: number): string {
  return value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
