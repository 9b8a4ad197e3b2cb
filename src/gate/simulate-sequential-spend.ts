import { settingKey } from '../core/setting.js';
import { drawBinomial, seededRandom } from '../stats/seeded-random.js';
import { SequentialMonitor, type MonitoredSample, type SequentialSettingPlan } from './sequential-monitor.js';

/** How a simulated case of a setting draws its samples. */
export type CaseRateSource =
  /** Draws one of these cases (with replacement) and takes its samples at that case's pass rate. */
  | { kind: 'cases'; cases: readonly { passed: number; completed: number }[] }
  /** Every sample passes with this probability, independently. */
  | { kind: 'rate'; passRate: number };

export interface SpendSimulationInput {
  /** Every setting the run would watch (planSequential): their number sets each test's level. */
  plans: readonly SequentialSettingPlan[];
  /** By settingKey: the settings to simulate and their pass rates; the others are not simulated. */
  rates: ReadonlyMap<string, CaseRateSource>;
  /** gate.alpha and gate.minDrop, as the run's monitor takes them. */
  alpha: number;
  minDrop: number;
  repetitions: number;
  seed: number;
}

/** A setting's spend over the simulated runs. */
export interface SimulatedSpend {
  /** Cases taken before its verdict was known (all of them when it never was), one per simulated run. */
  cases: number[];
  /** Samples sent, one per simulated run. */
  samples: number[];
  /** Simulated runs that decided before their last case. */
  decided: number;
}

/**
 * Monte Carlo of the spend of `--until-decided`: runs the gate's own SequentialMonitor `repetitions`
 * times on simulated cases, each setting taking its planned cases in order until the monitor says its
 * verdict is known. A case with a history draws one of the history's cases and, when it has as many
 * samples as the plan gives a case, observes exactly its result (a bootstrap), else draws its samples
 * at that case's rate; a setting without one draws every sample at its rate. Trials in flight when a
 * setting stops are not counted (a real run records up to `concurrency` more). Deterministic for a
 * seed. Pure.
 */
export function simulateSequentialSpend(input: SpendSimulationInput): Map<string, SimulatedSpend> {
  const random = seededRandom(input.seed);
  const simulated = input.plans.filter((p) => input.rates.has(settingKey(p)));
  const spend = new Map(simulated.map((p) => [settingKey(p), { cases: [] as number[], samples: [] as number[], decided: 0 }]));
  const options = { orderSeed: input.seed, undecided: 'estimate' as const, maxCases: null, alpha: input.alpha, minDrop: input.minDrop };
  // A case's samples differ between simulated runs only in how many passed: each variant is built once.
  const records = new Map<string, MonitoredSample[]>();
  const recordsOf = (plan: SequentialSettingPlan, caseId: string, samples: number, passes: number) => {
    const key = `${settingKey(plan)}\u0000${caseId}\u0000${passes}`;
    let list = records.get(key);
    if (!list) records.set(key, (list = caseRecords(plan, caseId, samples, passes)));
    return list;
  };
  for (let r = 0; r < input.repetitions; r++) {
    const monitor = new SequentialMonitor(input.plans, options);
    for (const plan of simulated) {
      const source = input.rates.get(settingKey(plan))!;
      const trial = { suite: plan.suite, setting: plan };
      let cases = 0;
      let samples = 0;
      for (const { id, trials } of plan.cases) {
        if (monitor.isDecided(trial)) break;
        const count = trials * plan.numberResults;
        monitor.add(recordsOf(plan, id, count, drawPasses(source, count, random)));
        cases++;
        samples += count;
      }
      const tally = spend.get(settingKey(plan))!;
      tally.cases.push(cases);
      tally.samples.push(samples);
      if (monitor.isDecided(trial)) tally.decided++;
    }
  }
  return spend;
}

function drawPasses(source: CaseRateSource, samples: number, random: () => number): number {
  if (source.kind === 'rate') return drawBinomial(samples, source.passRate, random);
  const drawn = source.cases[Math.floor(random() * source.cases.length)]!;
  return drawn.completed === samples ? drawn.passed : drawBinomial(samples, drawn.passed / drawn.completed, random);
}

function caseRecords(plan: SequentialSettingPlan, caseId: string, samples: number, passes: number): MonitoredSample[] {
  const { suite, model, thinkingLevel, numberResults } = plan;
  return Array.from({ length: samples }, (_, i) => ({ suite, model, thinkingLevel, numberResults, case: caseId, status: 'completed' as const, pass: i < passes }));
}
