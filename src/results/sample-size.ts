import { normalQuantile } from './significance.js';

/**
 * Cases needed in each run to detect a drop in pass rate from `p1` to `p2` with a one-sided test at
 * `alpha` and the given power, comparing two independent proportions:
 * n = (z₁₋α·√(2·p̄·q̄) + z₁₋β·√(p₁q₁ + p₂q₂))² / (p₁ − p₂)², p̄ = (p₁ + p₂)/2. A paired design (the same
 * cases in both runs, as the gate uses) needs fewer; this is the safe side.
 */
export function casesToDetectDrop(p1: number, p2: number, alpha: number, power: number): number {
  if (!(p1 > p2)) throw new RangeError(`the pass rate after a drop must be lower: ${p2} is not below ${p1}`);
  const zAlpha = normalQuantile(1 - alpha);
  const zBeta = normalQuantile(power);
  const mean = (p1 + p2) / 2;
  const numerator = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil(numerator ** 2 / (p1 - p2) ** 2);
}

/**
 * The smallest drop in pass rate a paired comparison detects with the given power, one-sided at
 * `alpha`: (z₁₋α + z_power)·√V / n, where V sums the null variances of the n per-case differences
 * (the normal approximation of the paired test the gate runs). Null without cases; 1 (no drop is
 * detectable) when there are too few cases for the exact test to reach alpha at all.
 */
export function minDetectableDrop(inputs: { cases: number; differenceVariance: number }, alpha: number, power: number): number | null {
  if (inputs.cases === 0) return null;
  // The paired tests are exact at few cases: with n of them no p falls below 2⁻ⁿ, so below
  // log₂(1/α) cases no drop, however large, is ever significant.
  if (0.5 ** inputs.cases > alpha) return 1;
  const standardError = Math.sqrt(inputs.differenceVariance) / inputs.cases;
  return Math.min(1, (normalQuantile(1 - alpha) + normalQuantile(power)) * standardError);
}
