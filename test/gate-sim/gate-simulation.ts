import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { GateSchema, type RetryPolicy } from '../../src/config/config-schema.js';
import type { LoadedSuite } from '../../src/config/loaded-suite.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { compareRuns } from '../../src/gate/judge-comparison.js';
import type { RegressionPolicy } from '../../src/gate/regression-policy.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { compileScenario, ScenarioSchema } from '../../src/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { casesNeeded } from '../../src/gate/cases-needed.js';
import { systemClock } from '../../src/run/clock.js';
import { runEval } from '../../src/run/run-eval.js';
import { makeCase } from '../support/builders.js';

/** The gate with every check switched on: latency (+20%) and single cases inside the family too. */
export const EVERY_CHECK: RegressionPolicy = GateSchema.parse({ maxLatencyIncrease: 0.2, caseRegressions: 'fail' });
/** The gate as shipped: pass rate and cost in the family; latency and cases reported. */
export const DEFAULTS: RegressionPolicy = GateSchema.parse({});

export interface GateSimulationOptions {
  /** Baseline/candidate pairs per condition. */
  reps: number;
  /** Cases of the unchanged condition. */
  cases: number;
  numberResults: number;
  repeats: number;
  baseAccuracy: number;
  /** The true drop of the degraded condition (0.15 = 15 points). */
  drop: number;
  /** Cases of the degraded conditions; default: what `evalgate advise` names for `drop` under each policy (casesNeeded). */
  degradedCases?: number;
}

export interface GateSimulationReport {
  options: GateSimulationOptions;
  alpha: number;
  /** Unchanged pairs the gate failed, with every check on, and with the defaults; and by reason code. */
  falseAlarms: { everyCheck: number; defaults: number; byReason: Record<string, number> };
  /** Degraded pairs the gate failed, under each policy at its own case count. */
  detections: { everyCheck: number; defaults: number };
  /** The cases of each degraded condition: what advise names for 80% power under that policy's family. */
  degradedCases: { everyCheck: number; defaults: number };
}

export const RETRY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5, trialDeadlineMs: 10_000, budget: 1 };
export const models = new ModelTable(DEFAULT_MODELS);

/** Case difficulty, spread so that cases differ (as real ones do): −0.1 … +0.25 in eight steps. */
export const difficultyOf = (i: number) => -0.1 + (i % 8) * 0.05;
export const meanDifficulty = Array.from({ length: 8 }, (_, b) => difficultyOf(b)).reduce((a, b) => a + b, 0) / 8;

/**
 * Realistic noise: latency log-normal around 400 ms (σ 0.3, scaled to a fiftieth so the simulation is
 * quick: the latency test is on ratios, so the scale does not matter), thinking tokens log-normal
 * around 300 (σ 0.35), which moves each sample's cost by about a third.
 */
export function scenario(accuracy: number) {
  return compileScenario(
    ScenarioSchema.parse({
      scenario: 'gate-sim',
      match: 'Gate simulation',
      levels: { low: { accuracy, thinkingTokens: 300, latencyMs: 400 } },
      answers: Array.from({ length: 8 }, (_, b) => ({ when: `bucket ${b}$`, difficulty: difficultyOf(b), correct: 'right', wrong: 'wrong' })),
    }),
  );
}
export const LATENCY_SCALE = 0.02;

export function suiteOf(cases: number, numberResults: number, repeats: number): LoadedSuite {
  return {
    name: 'gate-sim', file: 'gate-sim.yaml', tags: [], threshold: 0, repeats, outputFormat: 'TEXT',
    models: [models.find('openai-gpt-5-5')!], numberResults: [numberResults],
    cases: Array.from({ length: cases }, (_, i) =>
      makeCase({
        id: `q${i}`, systemPrompt: 'Gate simulation.', messages: [{ role: 'user', content: `question ${i} bucket ${i % 8}` }], thinkingLevels: ['low'], maxTokens: 4000,
        assertions: [{ type: 'contains', value: 'right', ignoreCase: false, not: false }],
      }),
    ),
  };
}

/** One whole run through the real client over HTTP, the summarizer and the gate (with `baseline`, against it under `policy`). */
async function runOnce(simulator: RunningSimulator, suite: LoadedSuite, baseline?: RunSummary, policy: RegressionPolicy = EVERY_CHECK): Promise<RunSummary> {
  const provider = new RunwareProvider({ apiUrl: simulator.url, apiKey: 'k', connections: 16, name: 'simulator' });
  const out = mkdtempSync(path.join(tmpdir(), 'evalgate-gatesim-'));
  try {
    return await runEval({
      runId: 'sim', runDir: out, trials: planTrials([suite]), provider, simulated: true, thresholds: new Map([[suite.name, 0]]),
      assertionTimeoutMs: 1000, reporters: [], clock: systemClock,
      stopSignal: quietSignal(), abortSignal: quietSignal(),
      configRecord: { provider: 'simulator', concurrency: 16, requestTimeoutMs: 5000, retry: RETRY, maxErrorRate: 1, suites: [], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
      ...(baseline ? { baseline: { summary: baseline, policy } } : {}),
    });
  } finally {
    await provider.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** The gate's verdict on `candidate` against `baseline` under another policy: the same pure stages the run used. */
function regate(baseline: RunSummary, candidate: RunSummary, policy: RegressionPolicy) {
  const comparison = compareRuns(baseline, candidate, policy);
  return evaluateGate({ groups: candidate.groups, totals: candidate.totals, maxErrorRate: 1, interrupted: false, comparison, policy });
}

/** Cases `evalgate advise --drop` names at the base rate for one gated setting under `policy`. */
export function advisedCases(baseAccuracy: number, drop: number, policy: RegressionPolicy): number {
  const rate = baseAccuracy - meanDifficulty;
  return casesNeeded(rate, rate - drop, policy, 0.8);
}

/**
 * Measures the whole gate's error rates with the simulator at known pass probabilities, every part
 * switched on: the real client over HTTP, log-normal latency and cost, several samples per case.
 * `reps` times a baseline and an unchanged candidate (every alarm false), and `reps` times a baseline
 * and a candidate whose accuracy is `drop` lower, at the case count advise names (every alarm a
 * detection). Each run draws fresh answers (the simulator never repeats a draw for a repeated request).
 */
export async function simulateGate(options: GateSimulationOptions): Promise<GateSimulationReport> {
  const degradedCases = {
    everyCheck: options.degradedCases ?? advisedCases(options.baseAccuracy, options.drop, EVERY_CHECK),
    defaults: options.degradedCases ?? advisedCases(options.baseAccuracy, options.drop, DEFAULTS),
  };
  const unchangedSuite = suiteOf(options.cases, options.numberResults, options.repeats);
  const same = await startSimulator({ seed: 1, scenarios: [scenario(options.baseAccuracy)], models, latencyScale: LATENCY_SCALE });
  const worse = await startSimulator({ seed: 2, scenarios: [scenario(options.baseAccuracy - options.drop)], models, latencyScale: LATENCY_SCALE });
  const report: GateSimulationReport = {
    options, alpha: EVERY_CHECK.alpha, degradedCases,
    falseAlarms: { everyCheck: 0, defaults: 0, byReason: {} },
    detections: { everyCheck: 0, defaults: 0 },
  };
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      const baseline = await runOnce(same, unchangedSuite);
      const unchanged = await runOnce(same, unchangedSuite, baseline);
      if (unchanged.gate.reasons.length > 0) report.falseAlarms.everyCheck++;
      for (const r of unchanged.gate.reasons) report.falseAlarms.byReason[r.code] = (report.falseAlarms.byReason[r.code] ?? 0) + 1;
      if (regate(baseline, unchanged, DEFAULTS).reasons.length > 0) report.falseAlarms.defaults++;

      for (const [policy, name] of [[EVERY_CHECK, 'everyCheck'], [DEFAULTS, 'defaults']] as const) {
        const cases = degradedCases[name];
        const suite = suiteOf(cases, options.numberResults, options.repeats);
        const degradedBaseline = cases === options.cases ? baseline : await runOnce(same, suite);
        const degraded = await runOnce(worse, suite, degradedBaseline, policy);
        if (degraded.gate.exitCode === 1) report.detections[name]++;
      }
    }
  } finally {
    await same.close();
    await worse.close();
  }
  return report;
}

export function formatGateSimulation(r: GateSimulationReport): string {
  const o = r.options;
  const pct = (n: number) => `${((n / o.reps) * 100).toFixed(1)}%`;
  const reasons = Object.entries(r.falseAlarms.byReason).map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  return [
    `gate simulation: ${o.reps} baseline/candidate pairs per condition, numberResults ${o.numberResults}, repeats ${o.repeats}, alpha ${r.alpha}, log-normal latency and cost`,
    `  no true change (${o.cases} cases):  every check on ${r.falseAlarms.everyCheck}/${o.reps} = ${pct(r.falseAlarms.everyCheck)} false alarms (reasons: ${reasons}); defaults ${r.falseAlarms.defaults}/${o.reps} = ${pct(r.falseAlarms.defaults)}`,
    `  true drop of ${(o.drop * 100).toFixed(0)} points${o.degradedCases === undefined ? ', at the cases advise names' : ''}: every check on ${r.detections.everyCheck}/${o.reps} = ${pct(r.detections.everyCheck)} detected (${r.degradedCases.everyCheck} cases); defaults ${r.detections.defaults}/${o.reps} = ${pct(r.detections.defaults)} (${r.degradedCases.defaults} cases)`,
  ].join('\n');
}

/** A signal that never fires, listened to by every request in flight (as many as the concurrency, by design). */
export function quietSignal(): AbortSignal {
  const { signal } = new AbortController();
  setMaxListeners(0, signal);
  return signal;
}
