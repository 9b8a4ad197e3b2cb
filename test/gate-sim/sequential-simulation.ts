import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GateSchema } from '../../src/config/config-schema.js';
import type { LoadedSuite } from '../../src/config/loaded-suite.js';
import { planSequential } from '../../src/gate/plan-sequential.js';
import { SequentialMonitor } from '../../src/gate/sequential-monitor.js';
import { orderTrialsByCase } from '../../src/plan/order-cases.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { systemClock } from '../../src/run/clock.js';
import { runEval } from '../../src/run/run-eval.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import { makeRecord } from '../support/builders.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { difficultyOf, LATENCY_SCALE, meanDifficulty, models, quietSignal, RETRY, scenario, suiteOf } from './gate-simulation.js';

/**
 * Sequential sampling (`--until-decided`) measured at known pass rates, the way a user meets it: the
 * real client over HTTP against the simulator, concurrency 16 (answers land out of order), log-normal
 * latency and cost, cases of eight difficulties (samples of one case correlated), numberResults 2.
 * The threshold is 80%; `rate` below is the suite's true mean pass rate.
 */
export interface SequentialSimulationOptions {
  reps: number;
  /** Cases in the suite: the most a setting takes (the fixed plan). */
  cases: number;
  numberResults: number;
}

export interface SequentialSimulationReport {
  options: SequentialSimulationOptions;
  alpha: number;
  threshold: number;
  /** Rate exactly at the threshold: runs decided below (a false alarm: the rate meets it) and above. */
  atThreshold: { decidedBelow: number; decidedAbove: number };
  /** Mean share of the fixed plan's samples spent, and decisions, at rates 10 points either side and 20 above. */
  savings: { rate: number; meanShare: number; decidedRight: number; decidedWrong: number }[];
  /** Against a fixed baseline at 90%: unchanged candidates the gate failed (false alarms), 15-point drops it failed (power). */
  regression: { falseAlarms: number; detected: number; meanShareUnchanged: number; meanShareDropped: number };
}

const THRESHOLD = 0.8;
const POLICY = GateSchema.parse({});

/** The scenario's accuracy for a suite whose mean pass rate is `rate` (each case's is accuracy − its difficulty). */
const accuracyFor = (rate: number) => rate + meanDifficulty;

/** One whole run through the real client over HTTP: sequential with a seed for its order, or (seed null) the fixed plan. */
async function runOnce(simulator: RunningSimulator, suite: LoadedSuite, orderSeed: number | null, baseline?: RunSummary): Promise<RunSummary> {
  const provider = new RunwareProvider({ apiUrl: simulator.url, apiKey: 'k', connections: 16, name: 'simulator' });
  const out = mkdtempSync(path.join(tmpdir(), 'evalgate-seqsim-'));
  const trials = orderSeed === null ? planTrials([suite]) : orderTrialsByCase(planTrials([suite]), orderSeed, null);
  const plans = planSequential({
    trials, isSequential: () => true, isGated: () => true, threshold: () => suite.threshold,
    ...(baseline ? { baselineCases: baseline.cases } : {}), policy: POLICY, alpha: POLICY.alpha,
  });
  try {
    return await runEval({
      runId: orderSeed === null ? 'fixed' : 'seqsim', runDir: out, trials, provider, simulated: true, thresholds: new Map([[suite.name, suite.threshold]]),
      assertionTimeoutMs: 1000, reporters: [], clock: systemClock, stopSignal: quietSignal(), abortSignal: quietSignal(),
      configRecord: { provider: 'simulator', concurrency: 16, requestTimeoutMs: 5000, retry: RETRY, maxErrorRate: 1, suites: [], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
      ...(orderSeed === null
        ? {}
        : { sequential: new SequentialMonitor(plans, { orderSeed, undecided: 'estimate', maxCases: null, alpha: POLICY.alpha, minDrop: POLICY.minDrop, baselineRunId: baseline?.runId ?? null }) }),
      ...(baseline ? { baseline: { summary: baseline, policy: POLICY } } : {}),
    });
  } finally {
    await provider.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const share = (s: RunSummary) => s.sequential!.totals.sentSamples / s.sequential!.totals.plannedSamples;

export async function simulateSequential(options: SequentialSimulationOptions): Promise<SequentialSimulationReport> {
  const suite = { ...suiteOf(options.cases, options.numberResults, 1), threshold: THRESHOLD };
  // The regression conditions gate on the baseline alone (threshold 0), so the test measured is the regression test.
  const suiteNoThreshold = { ...suite, threshold: 0 };
  const rates = [THRESHOLD, THRESHOLD + 0.1, THRESHOLD - 0.1, THRESHOLD - 0.2];
  const simulators = new Map<number, RunningSimulator>();
  for (const [i, rate] of [...rates, 0.75].entries()) simulators.set(rate, await startSimulator({ seed: 100 + i, scenarios: [scenario(accuracyFor(rate))], models, latencyScale: LATENCY_SCALE }));
  const report: SequentialSimulationReport = {
    options, alpha: POLICY.alpha, threshold: THRESHOLD,
    atThreshold: { decidedBelow: 0, decidedAbove: 0 },
    savings: rates.slice(1).map((rate) => ({ rate, meanShare: 0, decidedRight: 0, decidedWrong: 0 })),
    regression: { falseAlarms: 0, detected: 0, meanShareUnchanged: 0, meanShareDropped: 0 },
  };
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      const at = (await runOnce(simulators.get(THRESHOLD)!, suite, rep)).sequential!.groups[0]!;
      if (at.thresholdTest.decision === 'below') report.atThreshold.decidedBelow++;
      if (at.thresholdTest.decision === 'above') report.atThreshold.decidedAbove++;
      for (const row of report.savings) {
        const run = await runOnce(simulators.get(row.rate)!, suite, rep);
        const decision = run.sequential!.groups[0]!.thresholdTest.decision;
        row.meanShare += share(run) / options.reps;
        if (decision === (row.rate > THRESHOLD ? 'above' : 'below')) row.decidedRight++;
        else if (decision !== null) row.decidedWrong++;
      }
      const baseline = await runOnce(simulators.get(0.9)!, suiteNoThreshold, null);
      const unchanged = await runOnce(simulators.get(0.9)!, suiteNoThreshold, rep, baseline);
      if (unchanged.gate.exitCode === 1) report.regression.falseAlarms++;
      report.regression.meanShareUnchanged += share(unchanged) / options.reps;
      const dropped = await runOnce(simulators.get(0.75)!, suiteNoThreshold, rep, baseline);
      if (dropped.gate.exitCode === 1) report.regression.detected++;
      report.regression.meanShareDropped += share(dropped) / options.reps;
    }
  } finally {
    for (const simulator of simulators.values()) await simulator.close();
  }
  return report;
}

export function formatSequentialSimulation(r: SequentialSimulationReport): string {
  const o = r.options;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `sequential simulation: ${o.reps} runs per condition, ${o.cases} cases × numberResults ${o.numberResults}, threshold ${pct(r.threshold)}, alpha ${r.alpha}, cases of 8 difficulties, concurrency 16, over HTTP`,
    `  rate at the threshold: decided below ${r.atThreshold.decidedBelow}/${o.reps} = ${pct(r.atThreshold.decidedBelow / o.reps)} (false alarms), above ${r.atThreshold.decidedAbove}/${o.reps}`,
    ...r.savings.map((s) => `  rate ${pct(s.rate)}: ${pct(s.meanShare)} of the fixed plan's samples on average; decided right ${s.decidedRight}/${o.reps}, wrong ${s.decidedWrong}/${o.reps}`),
    `  against a baseline at 90%: unchanged failed ${r.regression.falseAlarms}/${o.reps} = ${pct(r.regression.falseAlarms / o.reps)} (spent ${pct(r.regression.meanShareUnchanged)}); a 15-point drop failed ${r.regression.detected}/${o.reps} = ${pct(r.regression.detected / o.reps)} (spent ${pct(r.regression.meanShareDropped)})`,
  ].join('\n');
}

/**
 * The monitor alone, many times: the same case model (eight difficulties, `numberResults` samples
 * a case) fed in the drawn order without HTTP, for tight figures on the error rates. A 15-point drop
 * is against a baseline drawn the same way at 90%.
 */
export function simulateMonitor(options: SequentialSimulationOptions & { rate: number; baselineRate?: number; seed: number }): { decidedBelow: number; decidedAbove: number; regressed: number; notRegressed: number; meanShare: number } {
  const random = seededRandom(options.seed);
  const k = options.numberResults;
  const sample = (p: number) => Array.from({ length: k }, () => random() < p);
  const tally = { decidedBelow: 0, decidedAbove: 0, regressed: 0, notRegressed: 0, meanShare: 0 };
  const setting = { suite: 'sim', model: 'openai-gpt-5-5', thinkingLevel: 'low' as const, numberResults: k };
  for (let rep = 0; rep < options.reps; rep++) {
    const cases = Array.from({ length: options.cases }, (_, i) => ({ id: `q${i}`, difficulty: difficultyOf(Math.floor(random() * 8)) }));
    const baselineCases = options.baselineRate === undefined ? undefined : cases.map((c) => {
      const passed = sample(options.baselineRate! + meanDifficulty - c.difficulty).filter(Boolean).length;
      return { ...setting, case: c.id, passed, failed: k - passed } as never;
    });
    const trials = cases.map((c) => ({ suite: 'sim', caseId: c.id, setting }));
    const plans = planSequential({ trials, isSequential: () => true, isGated: () => true, threshold: () => (options.baselineRate === undefined ? THRESHOLD : 0), ...(baselineCases ? { baselineCases } : {}), policy: POLICY, alpha: POLICY.alpha });
    const monitor = new SequentialMonitor(plans, { orderSeed: rep, undecided: 'estimate', maxCases: null, alpha: POLICY.alpha, minDrop: POLICY.minDrop });
    let sent = 0;
    for (const c of cases) {
      if (monitor.isDecided({ suite: 'sim', setting })) break;
      sent++;
      monitor.add(sample(options.rate + meanDifficulty - c.difficulty).map((pass, sampleIndex) => makeRecord({ ...setting, case: c.id, trialId: c.id, sampleIndex, pass })));
    }
    const g = monitor.summarize([]).groups[0]!;
    if (g.thresholdTest.decision === 'below') tally.decidedBelow++;
    if (g.thresholdTest.decision === 'above') tally.decidedAbove++;
    if (g.regressionTest?.decision === 'regressed') tally.regressed++;
    if (g.regressionTest?.decision === 'not-regressed') tally.notRegressed++;
    tally.meanShare += sent / options.cases / options.reps;
  }
  return tally;
}
