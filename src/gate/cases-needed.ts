import { casesToDetectDrop } from '../results/sample-size.js';
import type { RegressionPolicy } from './regression-policy.js';

/**
 * Tests a gated setting brings to the gate's family under `policy`: its pass rate, its cost (with
 * maxCostIncrease), its latency (with maxLatencyIncrease) and, with `caseRegressions: fail`, one per case.
 */
export function testsPerSetting(policy: Pick<RegressionPolicy, 'maxCostIncrease' | 'maxLatencyIncrease' | 'caseRegressions'>, cases: number): number {
  return 1 + (policy.maxCostIncrease !== null ? 1 : 0) + (policy.maxLatencyIncrease !== null ? 1 : 0) + (policy.caseRegressions === 'fail' ? cases : 0);
}

/**
 * Cases a suite needs for the gate to detect a drop from `p1` to `p2` with `power`, each test held to
 * alpha ÷ the family size (Bonferroni, the bound Holm never does worse than), the family being
 * `gatedSettings` settings of testsPerSetting each. With per-case tests the family grows with the
 * cases, so the count is found by iterating to a fixed point. Unpaired formula: the paired gate needs
 * at most this many.
 */
export function casesNeeded(p1: number, p2: number, policy: RegressionPolicy, power: number, gatedSettings = 1): number {
  const needed = (cases: number) => casesToDetectDrop(p1, p2, policy.alpha / (gatedSettings * testsPerSetting(policy, cases)), power);
  let n = needed(0);
  for (let i = 0; i < 100; i++) {
    const next = needed(n);
    if (next <= n) return n;
    n = next;
  }
  return n;
}
