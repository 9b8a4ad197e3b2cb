/** Number formats shared by every human-facing report. */

/** `62.5%` */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)}%`;
}

/** `52–89%`, an interval in whole percents. */
export function formatInterval(ci: readonly [number, number] | null | undefined): string {
  return ci ? `${Math.round(ci[0] * 100)}–${Math.round(ci[1] * 100)}%` : '—';
}

/** `$0.00204`, `$1.23`, `$1,234`, `$0.0000001`: three significant digits below $100, never in e-notation. */
export function formatUsd(value: number | null | undefined, significantDigits = 3): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '$0';
  if (Math.abs(value) >= 100) return `$${groupThousands(Math.round(value))}`;
  const decimals = Math.min(20, Math.max(0, significantDigits - 1 - Math.floor(Math.log10(Math.abs(value)))));
  return `$${value.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}

/** A rate as a percent without rounding it away: a threshold of 0.925 is `92.5%`, not `93%`. */
export function formatExactPercent(value: number): string {
  return `${Number((value * 100).toPrecision(10))}%`;
}

/** `1,020 ms` → `1,020` (the unit goes in the header). */
export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : groupThousands(Math.round(value));
}

/** `1 sample`, `12,345 samples`: a count and its noun, plural unless it is one (nouns that take an s). */
export function formatCountOf(value: number, noun: string): string {
  return `${formatCount(value)} ${noun}${value === 1 ? '' : 's'}`;
}

/** `12,345` */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : groupThousands(Math.round(value));
}

/**
 * An integer with commas between thousands, as `toLocaleString('en-US')` writes it, without loading
 * the locale data that its first call takes 15–20 ms to load (docs/performance.md).
 */
export function groupThousands(integer: number): string {
  if (!Number.isSafeInteger(integer)) return integer.toLocaleString('en-US');
  if (Object.is(integer, -0)) return '-0';
  const digits = String(Math.abs(integer));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return integer < 0 ? `-${grouped}` : grouped;
}

/** `a, b, c and 7 more`: the first `shown` of `items`, then how many of `total` are left unnamed. */
export function formatCappedList(items: readonly string[], total: number, shown: number): string {
  const named = items.slice(0, shown);
  const rest = total - named.length;
  return rest > 0 ? `${named.join(', ')} and ${formatCount(rest)} more` : named.join(', ');
}

/** An e-value for people: `4.5`, `41.2`, `1,250`, or `∞` (a null refuted outright). */
export function formatEValue(value: number): string {
  if (!Number.isFinite(value)) return '∞';
  return value >= 100 ? groupThousands(Math.round(value)) : value.toFixed(1);
}
