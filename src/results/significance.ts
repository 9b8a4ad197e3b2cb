/**
 * One-sided tests for "did the pass rate drop?", and the family-wise correction across groups.
 * Pure functions, checked in tests against published values (see docs/statistics.md).
 */

import { Z_95 } from '../stats/wilson-interval.js';

/** Standard normal CDF Φ(x), by the Abramowitz–Stegun erf approximation 7.1.26 (error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const LOG_FACTORIALS: number[] = [0];
function logFactorial(n: number): number {
  for (let i = LOG_FACTORIALS.length; i <= n; i++) LOG_FACTORIALS.push(LOG_FACTORIALS[i - 1]! + Math.log(i));
  return LOG_FACTORIALS[n]!;
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let sum = 0;
  for (let i = k; i <= n; i++) sum += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, sum);
}

/**
 * McNemar's exact test, one-sided for a drop, on paired pass/fail outcomes: `b` pairs passed before
 * and fail now, `c` the reverse. p = P(X ≥ b | X ~ Bin(b + c, ½)); 1 when no pair changed.
 */
export function mcnemarExactOneSided(b: number, c: number): number {
  return b + c === 0 ? 1 : binomialUpperTail(b, b + c, 0.5);
}

/**
 * Fisher's exact test, one-sided for "the second group passes less often than the first": the
 * probability, with the margins fixed, of as few passes in the second group as seen, or fewer.
 */
export function fisherExactOneSided(passedBefore: number, failedBefore: number, passedNow: number, failedNow: number): number {
  const passed = passedBefore + passedNow;
  const nBefore = passedBefore + failedBefore;
  const nNow = passedNow + failedNow;
  const n = nBefore + nNow;
  const denominator = logChoose(n, passed);
  let p = 0;
  // X = passes in the "now" group, hypergeometric; sum P(X ≤ observed).
  const lo = Math.max(0, passed - nBefore);
  for (let x = lo; x <= passedNow; x++) p += Math.exp(logChoose(nNow, x) + logChoose(nBefore, passed - x) - denominator);
  return Math.min(1, p);
}

/** The pooled two-proportion z-test, one-sided for a drop from the first rate to the second. */
export function twoProportionZOneSided(passedBefore: number, nBefore: number, passedNow: number, nNow: number): number {
  const pooled = (passedBefore + passedNow) / (nBefore + nNow);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nBefore + 1 / nNow));
  if (!(se > 0)) return passedNow / nNow < passedBefore / nBefore ? 0 : 1;
  const z = (passedNow / nNow - passedBefore / nBefore) / se;
  return normalCdf(z);
}

/** A mean with its 95% interval, as summary.json records cost per sample. */
export interface MeanWithInterval {
  mean: number;
  ci95: readonly [number, number];
}

/**
 * One-sided z-test (Welch, normal approximation) for a rise of a mean from `before` to `now`, each
 * side's standard error read back from the upper half of its 95% interval (the lower half may be
 * floored at 0).
 */
export function meanRiseOneSided(before: MeanWithInterval, now: MeanWithInterval): number {
  const se = (side: MeanWithInterval) => (side.ci95[1] - side.mean) / Z_95;
  const pooled = Math.sqrt(se(before) ** 2 + se(now) ** 2);
  if (!(pooled > 0)) return now.mean > before.mean ? 0 : 1;
  return 1 - normalCdf((now.mean - before.mean) / pooled);
}

/**
 * A paired test for a drop in the mean of per-case differences (now − before): exact by enumerating
 * every sign flip when at most 16 cases differ, else the normal approximation on
 * the mean difference with its standard error from the differences themselves.
 */
export function pairedDifferenceOneSided(differences: readonly number[]): { pValue: number; method: 'paired-permutation' | 'paired-z' } {
  const nonzero = differences.filter((d) => d !== 0);
  const observed = differences.reduce((s, d) => s + d, 0);
  if (nonzero.length === 0) return { pValue: 1, method: 'paired-permutation' };
  if (nonzero.length <= 16) {
    let atMost = 0;
    const total = 2 ** nonzero.length;
    for (let mask = 0; mask < total; mask++) {
      let sum = 0;
      for (let i = 0; i < nonzero.length; i++) sum += mask & (1 << i) ? -Math.abs(nonzero[i]!) : Math.abs(nonzero[i]!);
      if (sum <= observed + 1e-12) atMost++;
    }
    return { pValue: atMost / total, method: 'paired-permutation' };
  }
  const k = differences.length;
  const mean = observed / k;
  const variance = differences.reduce((s, d) => s + (d - mean) ** 2, 0) / (k - 1);
  const se = Math.sqrt(variance / k);
  return { pValue: se > 0 ? normalCdf(mean / se) : mean < 0 ? 0 : 1, method: 'paired-z' };
}

/**
 * Holm–Bonferroni: p-values adjusted so that rejecting every adjusted p ≤ α keeps the family-wise
 * error rate at α. Returns adjusted p-values in the input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
