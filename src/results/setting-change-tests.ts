import type { CaseSummary, GroupSummary } from './group-summary.js';
import { fisherExactOneSided, mcnemarExactOneSided, meanRiseOneSided, pairedDifferenceOneSided, twoProportionZOneSided } from './significance.js';

/**
 * The tests of one setting against its baseline, each a one-sided p-value with the figures it rests
 * on (compare-runs.ts gathers them; the gate decides on them): pass rate, cost and latency, paired by
 * case where the runs share their cases, and what the power of the paired pass-rate test depends on.
 */

/** `anytime-betting`: a sequential run's test by betting (gate/sequential-monitor.ts), valid however early it stopped. */
export type PassRateTest = 'anytime-betting' | 'mcnemar-exact' | 'paired-permutation' | 'paired-z' | 'fisher-exact' | 'two-proportion-z' | 'none';

/** How a rise of the cost per sample was tested (see costRiseTest). */
export type CostTest = 'paired-permutation' | 'paired-z' | 'welch-z' | 'none';
/** How a rise of latency was tested (see latencyRiseTest). */
export type LatencyTest = 'paired-permutation' | 'paired-z' | 'none';

/** The counts of one side of a comparison. */
export interface SideFigures {
  passed: number;
  completed: number;
  passRate: number | null;
  costPerSampleUsd: number | null;
  /** 95% interval of the cost per sample; null when unknown. */
  costPerSampleCi95: [number, number] | null;
  p95LatencyMs: number | null;
  /** Mean over cases of each case's geometric-mean latency, in ms; null when unknown (older summaries). */
  caseLatencyMs: number | null;
}

/** What the power of a paired comparison depends on. */
export interface PowerInputs {
  /** Shared cases. */
  cases: number;
  /** Σ over shared cases of the null variance of (rate now − rate before): p(1−p)·(1/K_before + 1/K_now). */
  differenceVariance: number;
}

/** What the power of a paired comparison reads of each case. */
export type CaseCounts = Pick<CaseSummary, 'case' | 'passed' | 'failed'>;

/** Samples of a case or group that completed (passed or failed; errored ones are apart). */
export const completedOf = (c: { passed: number; failed: number }) => c.passed + c.failed;

function sideFigures(g: GroupSummary, cases: readonly CaseSummary[]): SideFigures {
  const latencies = cases.flatMap((c) => (typeof c.latencyGeoMeanMs === 'number' ? [c.latencyGeoMeanMs] : []));
  return {
    passed: g.passed,
    completed: g.passed + g.failed,
    passRate: g.passRate,
    costPerSampleUsd: g.costPerSampleUsd,
    costPerSampleCi95: g.costPerSampleCi95 ?? null,
    p95LatencyMs: g.latencyMs.p95,
    caseLatencyMs: latencies.length > 0 ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
  };
}

/** Shared cases (with a completed sample on both sides) needed before latency is tested at all. */
export const PAIRED_LATENCY_CASES = 6;

/**
 * The one-sided test for a rise in latency: each shared case's geometric-mean latency now ÷ before,
 * on the log scale, tested in pairs like cost (a case's latency depends on its prompt and answer
 * length). Run-level shifts (a busy API, another network) move every case alike and are not
 * prompt changes: that is why the gate leaves latency out unless asked (docs/ci.md).
 */
export function latencyRiseTest(beforeCases: readonly CaseSummary[], afterCases: readonly CaseSummary[]): { pValue: number | null; ratio: number | null; method: LatencyTest } {
  const latencies = (cases: readonly CaseSummary[]) => new Map(cases.flatMap((c) => (typeof c.latencyGeoMeanMs === 'number' && c.latencyGeoMeanMs > 0 ? [[c.case, c.latencyGeoMeanMs] as const] : [])));
  const [b, a] = [latencies(beforeCases), latencies(afterCases)];
  const shared = [...a.keys()].filter((id) => b.has(id));
  if (shared.length < PAIRED_LATENCY_CASES) return { pValue: null, ratio: null, method: 'none' };
  const logRatios = shared.map((id) => Math.log(a.get(id)! / b.get(id)!));
  // pairedDifferenceOneSided tests for a drop of its differences: before − now on the log scale.
  const { pValue, method } = pairedDifferenceOneSided(logRatios.map((d) => -d));
  return { pValue, ratio: Math.exp(logRatios.reduce((x, y) => x + y, 0) / logRatios.length), method };
}

/**
 * The null variance of each shared case's difference in pass rate, summed: p(1−p)·(1/K_before +
 * 1/K_now), each case's p taken from the baseline and shrunk toward the pooled rate by one sample's
 * weight ((c + p̄) / (K + 1), p̄ = (passes + ½) / (samples + 1)), so that a case, or a whole run, at
 * 0% or 100% never claims a variance of zero. A case with one sample in the baseline cannot show its
 * own p, so it takes the pooled one, which assumes cases alike: the largest variance, so the power
 * stated is the least the gate has.
 */
export function powerInputs(beforeCases: readonly CaseCounts[], afterCases: readonly CaseCounts[]): PowerInputs {
  const now = new Map(afterCases.filter((c) => completedOf(c) > 0).map((c) => [c.case, completedOf(c)]));
  const pairs = beforeCases.filter((c) => completedOf(c) > 0 && now.has(c.case));
  const passed = pairs.reduce((s, c) => s + c.passed, 0);
  const completed = pairs.reduce((s, c) => s + completedOf(c), 0);
  const pooled = (passed + 0.5) / (completed + 1);
  let differenceVariance = 0;
  for (const c of pairs) {
    const k = completedOf(c);
    const p = k > 1 ? (c.passed + pooled) / (k + 1) : pooled;
    differenceVariance += p * (1 - p) * (1 / k + 1 / now.get(c.case)!);
  }
  return { cases: pairs.length, differenceVariance };
}

/** Shared cases with a cost needed to pair the cost test: below it, sign flips cannot reach alpha. */
export const PAIRED_COST_CASES = 6;

/**
 * The one-sided test for a rise in cost per sample. Paired by case when the runs share (nearly) all
 * their cases: a case's cost depends mostly on its prompt and answer, so between-case variance, most
 * of the noise, cancels out. Otherwise unpaired, from each side's mean and interval.
 */
export function costRiseTest(before: GroupSummary, after: GroupSummary, beforeCases: readonly CaseSummary[], afterCases: readonly CaseSummary[]): { pValue: number | null; method: CostTest } {
  if (before.costPerSampleUsd === null || after.costPerSampleUsd === null) return { pValue: null, method: 'none' };
  const costs = (cases: readonly CaseSummary[]) => new Map(cases.flatMap((c) => (typeof c.costPerSampleUsd === 'number' ? [[c.case, c.costPerSampleUsd] as const] : [])));
  const [b, a] = [costs(beforeCases), costs(afterCases)];
  const shared = [...a.keys()].filter((id) => b.has(id));
  if (shared.length >= PAIRED_COST_CASES && shared.length >= 0.8 * Math.max(a.size, b.size)) {
    // before − now per case: a rise is a drop of this difference.
    const { pValue, method } = pairedDifferenceOneSided(shared.map((id) => b.get(id)! - a.get(id)!));
    return { pValue, method };
  }
  if (!before.costPerSampleCi95 || !after.costPerSampleCi95) return { pValue: null, method: 'none' };
  return {
    pValue: meanRiseOneSided({ mean: before.costPerSampleUsd, ci95: before.costPerSampleCi95 }, { mean: after.costPerSampleUsd, ci95: after.costPerSampleCi95 }),
    method: 'welch-z',
  };
}

/** `beforeCases` and `afterCases`: the group's own cases in each run. */
export function passRateTest(before: GroupSummary, after: GroupSummary, beforeCases: readonly CaseSummary[], afterCases: readonly CaseSummary[]) {
  const own = (cases: readonly CaseSummary[]) => new Map(cases.filter((c) => completedOf(c) > 0).map((c) => [c.case, c]));
  const b = own(beforeCases);
  const a = own(afterCases);
  const paired = [...a.keys()].filter((id) => b.has(id));
  const figures = { suite: after.suite, model: after.model, thinkingLevel: after.thinkingLevel, numberResults: after.numberResults, before: sideFigures(before, beforeCases), after: sideFigures(after, afterCases) };
  const { passed: pb, completed: nb } = figures.before;
  const { passed: pa, completed: na } = figures.after;
  if (nb === 0 || na === 0) return { ...figures, test: 'none' as PassRateTest, pairedCases: 0, testedDrop: null, pDrop: 1, pRise: 1 };

  // Pair by case when the runs share (nearly) all their cases: between-case variance cancels out.
  if (paired.length >= 2 && paired.length >= 0.8 * Math.max(a.size, b.size)) {
    const pairs = paired.map((id) => [b.get(id)!, a.get(id)!] as const);
    if (pairs.every(([x, y]) => completedOf(x) === 1 && completedOf(y) === 1)) {
      const worse = pairs.filter(([x, y]) => x.passed === 1 && y.passed === 0).length;
      const better = pairs.filter(([x, y]) => x.passed === 0 && y.passed === 1).length;
      return { ...figures, test: 'mcnemar-exact' as PassRateTest, pairedCases: pairs.length, testedDrop: (worse - better) / pairs.length, pDrop: mcnemarExactOneSided(worse, better), pRise: mcnemarExactOneSided(better, worse) };
    }
    const differences = pairs.map(([x, y]) => y.passed / completedOf(y) - x.passed / completedOf(x));
    const drop = pairedDifferenceOneSided(differences);
    const rise = pairedDifferenceOneSided(differences.map((d) => -d));
    // The drop the test weighs: the mean over shared cases of each case's rate before minus now.
    const testedDrop = -differences.reduce((x, y) => x + y, 0) / differences.length;
    return { ...figures, test: drop.method as PassRateTest, pairedCases: pairs.length, testedDrop, pDrop: drop.pValue, pRise: rise.pValue };
  }
  const cells = [pb, nb - pb, pa, na - pa];
  const testedDrop = pb / nb - pa / na;
  if (cells.every((n) => n >= 10)) {
    return { ...figures, test: 'two-proportion-z' as PassRateTest, pairedCases: 0, testedDrop, pDrop: twoProportionZOneSided(pb, nb, pa, na), pRise: twoProportionZOneSided(pa, na, pb, nb) };
  }
  return { ...figures, test: 'fisher-exact' as PassRateTest, pairedCases: 0, testedDrop, pDrop: fisherExactOneSided(pb, nb - pb, pa, na - pa), pRise: fisherExactOneSided(pa, na - pa, pb, nb - pb) };
}
