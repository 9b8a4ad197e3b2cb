import type { ThinkingLevel } from '../core/runware-limits.js';
import type { StreamingDistribution } from '../stats/streaming-distribution.js';
import type { Traffic } from './traffic.js';

/**
 * Where a projection's cost per request comes from: `run`, this run's samples; `history`, earlier
 * runs' samples; `maxTokens`, no measurement, so every result is assumed to use all of maxTokens.
 */
export type ProjectionBasis = 'run' | 'history' | 'maxTokens';

/** A cost in USD with its 95% interval. */
export interface UsdWithCi {
  expected: number;
  ci95: [number, number];
}

/** Cost per request of one setting, measured or bounded. */
export interface CostPerRequest {
  basis: ProjectionBasis;
  /** Samples measured; 0 for `maxTokens`. */
  samples: number;
  mean: number;
  p95: number;
  /** 95% interval of the mean (CLT: mean ± 1.96·sd/√n); for `maxTokens`, from no output to all of it. */
  meanCi95: [number, number];
}

/** One suite × model × thinkingLevel at production traffic. A request is one result (numberResults 1). */
export interface SettingProjection {
  suite: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  basis: ProjectionBasis;
  samples: number;
  costPerRequestUsd: { mean: number; p95: number; meanCi95: [number, number] };
  perDayUsd: UsdWithCi;
  perMonthUsd: UsdWithCi;
}

/** Cost at production traffic, per setting (`--traffic`). */
export interface TrafficProjection {
  traffic: Traffic;
  groups: SettingProjection[];
}

/** Samples needed before a measured cost is projected; fewer give no spread. */
export const MIN_PROJECTION_SAMPLES = 2;

/**
 * Cost per request from measured samples (`costUsd` per sample): the mean with a CLT interval, and the
 * p95. Undefined with fewer than {@link MIN_PROJECTION_SAMPLES} samples.
 */
export function measuredCostPerRequest(costUsd: StreamingDistribution, basis: 'run' | 'history'): CostPerRequest | undefined {
  const mean = costUsd.mean;
  const meanCi95 = costUsd.meanCi95();
  const p95 = costUsd.quantile(0.95);
  if (costUsd.count < MIN_PROJECTION_SAMPLES || mean === null || meanCi95 === null || p95 === null) return undefined;
  return { basis, samples: costUsd.count, mean, p95, meanCi95 };
}

/**
 * A setting's cost at the given traffic: per day, the mean cost per request times requests per day;
 * per month, times {@link Traffic.daysPerMonth}; the interval of the mean carried through the same
 * products. The p95 is per request only: a day's total averages many requests.
 */
export function projectSetting(setting: { suite: string; model: string; thinkingLevel: ThinkingLevel }, cost: CostPerRequest, traffic: Traffic): SettingProjection {
  const scale = (factor: number): UsdWithCi => ({ expected: cost.mean * factor, ci95: [cost.meanCi95[0] * factor, cost.meanCi95[1] * factor] });
  return {
    suite: setting.suite,
    model: setting.model,
    thinkingLevel: setting.thinkingLevel,
    basis: cost.basis,
    samples: cost.samples,
    costPerRequestUsd: { mean: cost.mean, p95: cost.p95, meanCi95: cost.meanCi95 },
    perDayUsd: scale(traffic.requestsPerDay),
    perMonthUsd: scale(traffic.requestsPerDay * traffic.daysPerMonth),
  };
}
