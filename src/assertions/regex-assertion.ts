import type { AssertionSpecOf } from '../config/assertion-spec-schema.js';
import { formatCount } from '../core/format-figures.js';
import type { AssertionOutcome } from '../core/sample-record.js';
import { quoteText, type Assertion } from './assertion.js';
import { isLinearTime, type RegexResult, type RegexRunner } from './regex-runner.js';

/**
 * `regex`: the text matches the pattern (or, with `not`, does not), within the runner's time bound.
 * Answered at once when the runner matches in-process; otherwise a promise, so a slow pattern never
 * holds up the run.
 */
export function compileRegexAssertion(spec: AssertionSpecOf<'regex'>, runner: RegexRunner): Assertion {
  const regex = new RegExp(spec.pattern, spec.flags);
  const isLinear = isLinearTime(spec.pattern, spec.flags ?? '');
  const shown = `/${spec.pattern}/${spec.flags ?? ''}`;
  const judge = (result: RegexResult, text: string): AssertionOutcome => {
    if ('timedOut' in result) {
      return {
        type: 'regex',
        pass: false,
        errored: true,
        message: `${shown} did not finish within ${runner.timeoutMs} ms on a ${formatCount(text.length)}-character output (catastrophic backtracking?); counted as failed`,
      };
    }
    const { match } = result;
    if (spec.not) {
      return match
        ? { type: 'regex', pass: false, message: `expected no match for ${shown}, found ${quoteText(match.text, 40)} at ${match.index}` }
        : { type: 'regex', pass: true, message: `no match for ${shown}` };
    }
    return match
      ? { type: 'regex', pass: true, message: `matched ${shown} at ${match.index}` }
      : { type: 'regex', pass: false, message: `expected a match for ${shown}, got ${quoteText(text)}` };
  };
  return {
    type: 'regex',
    check(sample) {
      const result = runner.exec(regex, isLinear, sample.text);
      return result instanceof Promise ? result.then((r) => judge(r, sample.text)) : judge(result, sample.text);
    },
  };
}
