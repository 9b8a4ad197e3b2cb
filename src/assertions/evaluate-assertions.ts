import type { AssertionOutcome } from '../results/sample-record.js';
import type { Assertion, SampleView } from './assertion.js';

/** Runs every assertion on a sample. The sample passes when every outcome passes (with none, it passes). */
export function evaluateAssertions(assertions: readonly Assertion[], sample: SampleView): { pass: boolean; outcomes: AssertionOutcome[] } {
  const outcomes = assertions.map((a) => a.check(sample));
  return { pass: outcomes.every((o) => o.pass), outcomes };
}
