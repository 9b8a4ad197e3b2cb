import { compileAssertion } from '../../src/assertions/assertion-registry.js';
import { isDeferred, type Assertion } from '../../src/assertions/assertion.js';
import { RegexRunner } from '../../src/assertions/regex-runner.js';
import type { ResolvedAssertion } from '../../src/config/loaded-suite.js';

/** One regex runner for a test file's assertions (1 s bound), as a run has. */
export const testRegexRunner = new RegexRunner(1000);

/** Compiles a pure assertion as a run would (a script or judge is compiled with compileAssertion). */
export function compile(spec: ResolvedAssertion): Assertion {
  const compiled = compileAssertion(spec, { regex: testRegexRunner });
  if (isDeferred(compiled)) throw new Error(`${spec.type} is a deferred check: use compileAssertion and await check()`);
  return compiled;
}
