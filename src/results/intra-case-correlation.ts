/** Pass counts of one case: `passed` of `n` completed samples. */
export interface CaseCounts {
  passed: number;
  n: number;
}

/**
 * Intra-case correlation of pass/fail (one-way ANOVA estimator for unequal cluster sizes), clamped to
 * [0, 1]. 0 when it cannot be estimated (fewer than two cases, or every sample alike).
 *
 * Samples of one case are correlated: a case the model cannot do fails all of them. The ICC measures
 * how much; the design effect below turns it into how many independent samples the run is worth.
 */
export function intraCaseCorrelation(cases: readonly CaseCounts[]): number {
  const clusters = cases.filter((c) => c.n > 0);
  const k = clusters.length;
  const total = clusters.reduce((s, c) => s + c.n, 0);
  if (k < 2 || total <= k) return 0;
  const p = clusters.reduce((s, c) => s + c.passed, 0) / total;
  const between = clusters.reduce((s, c) => s + c.n * (c.passed / c.n - p) ** 2, 0) / (k - 1);
  const within = clusters.reduce((s, c) => s + c.n * (c.passed / c.n) * (1 - c.passed / c.n), 0) / (total - k);
  const n0 = (total - clusters.reduce((s, c) => s + c.n * c.n, 0) / total) / (k - 1);
  const denominator = between + (n0 - 1) * within;
  if (!(denominator > 0)) return 0;
  return Math.min(1, Math.max(0, (between - within) / denominator));
}

/**
 * The effective sample size of clustered pass/fail data: n / DEFF with DEFF = 1 + (K̄ − 1)·ICC, K̄ the
 * mean samples per case. With one sample per case it is n.
 */
export function effectiveSampleSize(cases: readonly CaseCounts[]): { n: number; nEffective: number; icc: number; designEffect: number } {
  const clusters = cases.filter((c) => c.n > 0);
  const n = clusters.reduce((s, c) => s + c.n, 0);
  if (clusters.length === 0) return { n: 0, nEffective: 0, icc: 0, designEffect: 1 };
  const meanSize = n / clusters.length;
  const icc = meanSize > 1 ? intraCaseCorrelation(clusters) : 0;
  const designEffect = 1 + (meanSize - 1) * icc;
  return { n, nEffective: n / designEffect, icc, designEffect };
}
