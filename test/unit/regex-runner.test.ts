import { afterAll, describe, expect, it } from 'vitest';
import { isLinearTime, RegexRunner } from '../../src/assertions/regex-runner.js';
import { compileRegexAssertion } from '../../src/assertions/regex-assertion.js';
import { makeView } from '../support/builders.js';

// A tight bound for the patterns built to backtrack; a loose one where only the answer matters, so
// that a loaded machine cannot turn a slow match into a timeout.
const runner = new RegexRunner(300);
const patient = new RegexRunner(10_000);
afterAll(async () => {
  await runner.close();
  await patient.close();
});

describe('RegexRunner', () => {
  it('knows which patterns the linear-time engine can run', async () => {
    expect(isLinearTime('(a+)+b', '')).toBe(true);
    expect(isLinearTime('"total":\\s*45\\.1\\b', '')).toBe(true);
    expect(isLinearTime('(a+)+\\1b', '')).toBe(false); // a backreference
    expect(isLinearTime('(?<=x)a', '')).toBe(false); // a lookbehind
    expect(isLinearTime('abc', 'i')).toBe(false); // case-insensitive
  });

  it('matches like RegExp, in-process and in the worker', async () => {
    for (const [pattern, flags, text] of [['b+', '', 'abbbc'], ['B+', 'i', 'abbbc'], ['(?<=a)b', '', 'ab'], ['z', 'i', 'abc']] as const) {
      const expected = new RegExp(pattern, flags).exec(text);
      const result = await patient.exec(new RegExp(pattern, flags), isLinearTime(pattern, flags), text);
      expect(result).toEqual({ match: expected ? { index: expected.index, text: expected[0] } : null });
    }
  });

  // Unbounded, this match takes minutes; the test's own timeout would catch a hang.
  it('stops a catastrophically backtracking match at its bound, and keeps working afterwards', { timeout: 10_000 }, async () => {
    expect(await runner.exec(/(a+)+\1b/, false, `${'a'.repeat(40)}!`)).toEqual({ timedOut: true });
    expect(await runner.exec(/b/i, false, 'ABC')).toMatchObject({ match: { index: 1, text: 'B' } });
  });

  it('answers or times out on a 1 MB output whatever the pattern, never hangs', { timeout: 10_000 }, async () => {
    const huge = `${'a'.repeat(1_000_000)}!`;
    for (const [pattern, isLinear] of [[/(a+)+b/, true], [/^(\w+\s?)*$/, true], [/(a+)+\1b/, false]] as const) {
      const result = await runner.exec(pattern, isLinear, huge);
      expect('timedOut' in result || result.match === null).toBe(true);
    }
  });
});

describe('matching in the worker', () => {
  it('never holds up the event loop: timers keep firing while a catastrophic match runs', { timeout: 10_000 }, async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const pending = runner.exec(/(a+)+\1b/, false, `${'a'.repeat(40)}!`);
    expect(pending).toBeInstanceOf(Promise);
    // Synchronously nothing happened yet: the caller got a promise back at once.
    expect(ticks).toBe(0);
    expect(await pending).toEqual({ timedOut: true });
    clearInterval(ticker);
    // A 300 ms bound at a 10 ms tick: a blocked loop would have seen none.
    expect(ticks).toBeGreaterThan(3);
  });

  it('answers matches queued behind a catastrophic one, each within its own bound', { timeout: 10_000 }, async () => {
    const slow = runner.exec(/(a+)+\1b/, false, `${'a'.repeat(40)}!`);
    const quick = runner.exec(/(?<=a)b/, false, 'ab');
    expect(await Promise.all([slow, quick])).toEqual([{ timedOut: true }, { match: { index: 1, text: 'b' } }]);
  });
});

describe('a regex assertion past its bound', () => {
  it('is errored and failed, and says why', async () => {
    const assertion = compileRegexAssertion({ type: 'regex', pattern: '(a+)+\\1b', not: false }, runner);
    const outcome = await assertion.check(makeView({ text: `${'a'.repeat(40)}!` }));
    expect(outcome).toMatchObject({ type: 'regex', pass: false, errored: true });
    expect(outcome.message).toContain('did not finish within 300 ms on a 41-character output');
  });
});
