import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/providers/runware/classify-failure.js';

const NOW_MS = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

describe('parseRetryAfter', () => {
  it.each([
    ['7', 7000],
    ['0', 0],
    [' 3 ', 3000],
    ['120', 120_000],
  ])('reads delay-seconds %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(ms);
  });

  it.each([
    ['1.5', 1500],
    ['0.25', 250],
  ])('reads decimal seconds %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(ms);
  });

  it('reads an HTTP date as the time from the injected now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', NOW_MS)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', NOW_MS + 10_000)).toBe(20_000);
  });

  it('reads the obsolete RFC 850 date form too', () => {
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:29:00 GMT', NOW_MS)).toBe(60_000);
  });

  it('reads an HTTP date already past as no wait', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', NOW_MS)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['2', '9'], NOW_MS)).toBe(2000);
  });

  it.each([[undefined], [''], ['   '], [[]]])('has no wait for an absent header (%j)', (value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBeUndefined();
  });

  it.each([['soon'], ['5s'], ['-1'], ['1e3'], ['Infinity'], ['foo 1'], ['tomorrow 2'], ['3 May'], ['3 May 2099'], ['.5']])(
    'has no wait for the unreadable %j',
    (value) => {
      expect(parseRetryAfter(value, NOW_MS)).toBeUndefined();
    },
  );
});
