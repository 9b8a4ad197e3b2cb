import type { AssertionOutcome } from '../core/sample-record.js';
import type { Assertion, SampleView } from './assertion.js';

/**
 * Runs every assertion on a sample. The sample passes when every outcome passes (with none, it
 * passes). Checks that answer with a promise (a regex in a worker) are awaited without blocking.
 */
export async function evaluateAssertions(assertions: readonly Assertion[], sample: SampleView): Promise<{ pass: boolean; outcomes: AssertionOutcome[] }> {
  const outcomes = await Promise.all(assertions.map((a) => a.check(sample)));
  return { pass: outcomes.every((o) => o.pass), outcomes };
}
