import { describe, expect, it } from 'vitest';
import { formatCount, formatEValue, formatExactPercent, formatInterval, formatPercent, formatUsd, groupThousands } from '../../src/core/format-figures.js';

describe('figures for people', () => {
  it.each([
    [0.00204, '$0.00204'],
    [0.0128481, '$0.0128'],
    [1.23456, '$1.23'],
    [45.1, '$45.1'],
    [1234.5, '$1,235'],
    [1e-7, '$0.0000001'],
    [0, '$0'],
    [null, '—'],
  ])('formats %s USD as %s, never in e-notation', (value, expected) => {
    expect(formatUsd(value)).toBe(expected);
  });

  it('formats e-values with one decimal, whole from 100, and ∞ for a null refuted outright', () => {
    expect([formatEValue(1), formatEValue(22.44), formatEValue(99.96), formatEValue(1250.4), formatEValue(Number.POSITIVE_INFINITY)]).toEqual(['1.0', '22.4', '100.0', '1,250', '∞']);
  });

  it('keeps more digits when asked', () => {
    expect(formatUsd(0.010003, 12)).toBe('$0.010003');
  });

  it('formats rates, intervals and exact thresholds', () => {
    expect(formatPercent(0.6875)).toBe('68.8%');
    expect(formatPercent(null)).toBe('—');
    expect(formatInterval([0.444, 0.858])).toBe('44–86%');
    expect(formatExactPercent(0.925)).toBe('92.5%');
    expect(formatExactPercent(0.9)).toBe('90%');
  });
});

describe('groupThousands', () => {
  it('writes integers exactly as toLocaleString("en-US") does', () => {
    const values = [0, -0, 1, -1, 12, 999, 1000, -1000, 1234, 12345, 123456, 1234567, -9876543, 1e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, 2 ** 60, NaN, Infinity, -Infinity];
    for (let n = 1; n < 1e16; n = n * 7 + 3) values.push(n, -n);
    for (const value of values) expect(groupThousands(value), String(value)).toBe(value.toLocaleString('en-US'));
  });

  it('is what formatCount and formatUsd show', () => {
    expect(formatCount(1234567.4)).toBe('1,234,567');
    expect(formatUsd(123456.7)).toBe('$123,457');
  });
});
