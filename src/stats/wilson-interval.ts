/** z for a two-sided 95% interval. */
export const Z_95 = 1.959964;

/**
 * Wilson score interval for a proportion: `passed` successes out of `n` trials (n may be an effective,
 * non-integer sample size). Behaves at 0% and 100%, where the normal interval collapses.
 * Returns [lo, hi] within [0, 1], or undefined when n is 0.
 */
export function wilsonInterval(passed: number, n: number, z = Z_95): [number, number] | undefined {
  if (!(n > 0)) return undefined;
  const p = passed / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 and n the bounds are exactly 0 and 1; floating point would say 0.9999999999999999.
  const lo = passed <= 0 ? 0 : Math.max(0, centre - half);
  const hi = passed >= n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}
