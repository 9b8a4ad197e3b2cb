import { settingKey, type Setting } from '../core/setting.js';
import type { CostEstimate } from '../cost/cost-estimate.js';
import type { PassRateHistory } from '../cost/read-pass-rate-history.js';
import type { SequentialEstimate, SequentialEstimateGroup } from '../cost/sequential-estimate.js';
import { planSequential, type SequentialTrial } from './plan-sequential.js';
import type { RegressionPolicy } from './regression-policy.js';
import { simulateSequentialSpend, type CaseRateSource } from './simulate-sequential-spend.js';

/** Simulated runs per setting: the mean within a few percent, in about 200 ms for three settings of 150 cases. */
export const SEQUENTIAL_ESTIMATE_REPETITIONS = 200;
/** The simulation's fixed seed: the same history gives the same estimate. */
export const SEQUENTIAL_ESTIMATE_SEED = 1;

export interface SequentialCostInput {
  /** The trials `run --until-decided` would take (at most `sequential.maxCases` cases of each suite). */
  trials: readonly SequentialTrial[];
  /** The fixed plan's estimate: each setting's expected cost. */
  estimate: CostEstimate;
  /** Each setting's pass rates in the newest earlier run that has it. */
  history: PassRateHistory;
  isGated: (setting: Setting) => boolean;
  threshold: (suite: string) => number;
  /** gate: in evalconfig.yaml (alpha, minDrop, and what sizes the regression family). */
  policy: RegressionPolicy;
  repetitions?: number;
  seed?: number;
}

/**
 * What `--until-decided` is expected to spend on this plan: the gate's own sequential tests
 * (planSequential, SequentialMonitor) run by Monte Carlo at each setting's pass rate in history, the
 * threshold question only (no baseline); each setting's expected cost is its fixed-plan cost times the
 * share of its samples a simulated run sends. A setting without a pass rate in history is priced at
 * the fixed plan (its first `sequential.maxCases` cases, when the config caps them). Settings whose model has no price are left out, as in the estimate. Pure.
 */
export function estimateSequentialCost(input: SequentialCostInput): SequentialEstimate {
  const repetitions = input.repetitions ?? SEQUENTIAL_ESTIMATE_REPETITIONS;
  const seed = input.seed ?? SEQUENTIAL_ESTIMATE_SEED;
  const plans = planSequential({ trials: input.trials, isSequential: () => true, isGated: input.isGated, threshold: input.threshold, policy: input.policy, alpha: input.policy.alpha });
  const rates = new Map<string, CaseRateSource>();
  for (const plan of plans) {
    const known = input.history.get(settingKey(plan));
    if (known) rates.set(settingKey(plan), known.cases.length > 0 ? { kind: 'cases', cases: known.cases } : { kind: 'rate', passRate: known.passRate });
  }
  const spend = simulateSequentialSpend({ plans, rates, alpha: input.policy.alpha, minDrop: input.policy.minDrop, repetitions, seed });
  const fixedPlans = new Map(input.estimate.groups.map((g) => [settingKey(g), g]));
  const groups = plans.flatMap((plan): SequentialEstimateGroup[] => {
    const fixed = fixedPlans.get(settingKey(plan));
    if (!fixed) return [];
    const fixedCostUsd = fixed.expectedCostUsd;
    const plannedCases = plan.cases.length;
    const plannedSamples = plan.cases.reduce((n, c) => n + c.trials, 0) * plan.numberResults;
    const known = input.history.get(settingKey(plan));
    const simulated = spend.get(settingKey(plan));
    const source = rates.get(settingKey(plan));
    const cases = simulated ? meanAndP90(simulated.cases) : { mean: plannedCases, p90: plannedCases };
    const samples = simulated ? meanAndP90(simulated.samples) : { mean: plannedSamples, p90: plannedSamples };
    // A share of the fixed plan's samples, which can hold more cases than a sequential run may take.
    const expectedFraction = fixed.samples > 0 ? Math.min(1, samples.mean / fixed.samples) : 1;
    return [{
      suite: plan.suite, model: plan.model, thinkingLevel: plan.thinkingLevel, numberResults: plan.numberResults,
      gated: plan.gated, threshold: plan.threshold, plannedCases, plannedSamples,
      basis: source?.kind ?? 'none',
      historyPassRate: known?.passRate ?? null,
      historyRunId: known?.runId ?? null,
      cases, samples, expectedFraction,
      decidedShare: simulated ? simulated.decided / repetitions : 0,
      fixedCostUsd,
      expectedCostUsd: fixedCostUsd * expectedFraction,
    }];
  });
  return {
    repetitions,
    seed,
    alpha: input.policy.alpha,
    groups,
    totals: {
      plannedSamples: groups.reduce((n, g) => n + g.plannedSamples, 0),
      expectedSamples: groups.reduce((n, g) => n + g.samples.mean, 0),
      fixedCostUsd: groups.reduce((n, g) => n + g.fixedCostUsd, 0),
      expectedCostUsd: groups.reduce((n, g) => n + g.expectedCostUsd, 0),
    },
  };
}

/** The mean and the 90th percentile (nearest rank) of some counts. */
function meanAndP90(values: readonly number[]): { mean: number; p90: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { mean: sorted.reduce((s, v) => s + v, 0) / sorted.length, p90: sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)]! };
}
