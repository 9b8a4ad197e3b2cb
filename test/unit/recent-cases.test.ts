import { describe, expect, it } from 'vitest';
import { RecentCases } from '../../src/run/recent-cases.js';

describe('RecentCases', () => {
  it('makes a value once while its key is among the last asked for, and holds no more than its capacity', () => {
    const made: string[] = [];
    const recent = new RecentCases<string, string>(2);
    const get = (key: string) => recent.get(key, () => (made.push(key), `checks of ${key}`));
    expect(get('a')).toBe('checks of a');
    expect(get('a')).toBe('checks of a');
    get('b');
    get('a'); // a is now the most recent: c evicts b, not a
    get('c');
    expect(recent.size).toBe(2);
    get('a');
    expect(made).toEqual(['a', 'b', 'c']);
    get('b'); // evicted: made again
    expect(made).toEqual(['a', 'b', 'c', 'b']);
    expect(recent.size).toBe(2);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RecentCases(0)).toThrow(/capacity of at least 1/);
  });
});
