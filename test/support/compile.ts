import { compileAssertion } from '../../src/assertions/assertion-registry.js';
import type { Assertion } from '../../src/assertions/assertion.js';
import { RegexRunner } from '../../src/assertions/regex-runner.js';
import type { ResolvedAssertion } from '../../src/config/loaded-suite.js';

/** One regex runner for a test file's assertions (1 s bound), as a run has. */
export const testRegexRunner = new RegexRunner(1000);

/** Compiles an assertion as a run would. */
export function compile(spec: ResolvedAssertion): Assertion {
  return compileAssertion(spec, { regex: testRegexRunner });
}
