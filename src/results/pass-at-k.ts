/**
 * pass@k: the probability that at least one of k samples drawn (without replacement) from n samples,
 * c of which passed, passes. The unbiased estimator of Chen et al. (2021), 1 − C(n−c, k) / C(n, k),
 * computed as a product so it stays exact for large n.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k < 1 || k > n) throw new RangeError(`pass@k needs 1 ≤ k ≤ n, got k=${k}, n=${n}`);
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/**
 * pass^k: the probability that all of k samples drawn from n samples, c of which passed, pass
 * (Yao et al. 2024, τ-bench): C(c, k) / C(n, k).
 */
export function passHatK(n: number, c: number, k: number): number {
  if (k < 1 || k > n) throw new RangeError(`pass^k needs 1 ≤ k ≤ n, got k=${k}, n=${n}`);
  let allPass = 1;
  for (let i = 0; i < k; i++) allPass *= (c - i) / (n - i);
  return Math.max(0, allPass);
}

/** Largest k reported: keeps summaries small for cases with many repeats. */
export const MAX_REPORTED_K = 16;

/** Pass curves computed so far, by `n/c`: a run's cases share a few dozen (n, c) pairs. */
const curves = new Map<string, { passAtK: number[]; passHatK: number[] }>();
/** Pairs kept at most; past them, curves are computed afresh. */
const MAX_CACHED_CURVES = 4096;

/**
 * pass@k and pass^k for k = 1 … min(n, MAX_REPORTED_K); empty for no completed sample. The arrays are
 * frozen and shared by every caller with the same n and c: summary.json holds two per case and setting
 * (25,000 of each at 100,000 samples, 4 MB if each had its own).
 */
export function passCurves(n: number, c: number): { passAtK: number[]; passHatK: number[] } {
  const key = `${n}/${c}`;
  const cached = curves.get(key);
  if (cached) return { passAtK: cached.passAtK, passHatK: cached.passHatK };
  const ks = Array.from({ length: Math.min(n, MAX_REPORTED_K) }, (_, i) => i + 1);
  const curve = { passAtK: Object.freeze(ks.map((k) => passAtK(n, c, k))) as number[], passHatK: Object.freeze(ks.map((k) => passHatK(n, c, k))) as number[] };
  if (curves.size < MAX_CACHED_CURVES) curves.set(key, curve);
  return { passAtK: curve.passAtK, passHatK: curve.passHatK };
}
