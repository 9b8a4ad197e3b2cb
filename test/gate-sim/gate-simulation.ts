import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GateSchema, type RetryPolicy } from '../../src/config/config-schema.js';
import type { LoadedSuite } from '../../src/config/loaded-suite.js';
import { DEFAULT_MODELS, ModelTable } from '../../src/config/model-table.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { compileScenario, ScenarioSchema } from '../../src/providers/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/providers/simulator/simulator-server.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { casesToDetectDrop } from '../../src/results/sample-size.js';
import { systemClock } from '../../src/run/clock.js';
import { runEval } from '../../src/run/run-eval.js';
import { makeCase } from '../support/builders.js';

export interface GateSimulationOptions {
  /** Baseline/candidate pairs per condition. */
  reps: number;
  cases: number;
  baseAccuracy: number;
  /** The true drop of the degraded condition (0.15 = 15 points). */
  drop: number;
}

export interface GateSimulationReport {
  reps: number;
  cases: number;
  alpha: number;
  falseAlarms: number;
  detections: number;
  falseAlarmRate: number;
  detectionRate: number;
  /** Cases per run the tool advises for 80% power to detect `drop` at the base rate. */
  advisedCases: number;
}

const RETRY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5, trialDeadlineMs: 10_000, budget: 1 };
const models = new ModelTable(DEFAULT_MODELS);

/** Case difficulty, spread so that cases differ (as real ones do): −0.1 … +0.25 in eight steps. */
const difficultyOf = (i: number) => -0.1 + (i % 8) * 0.05;

function scenario(accuracy: number) {
  return compileScenario(
    ScenarioSchema.parse({
      scenario: 'gate-sim',
      match: 'Gate simulation',
      levels: { low: { accuracy, thinkingTokens: 10, latencyMs: 1 } },
      answers: Array.from({ length: 8 }, (_, b) => ({ when: `bucket ${b}$`, difficulty: difficultyOf(b), correct: 'right', wrong: 'wrong' })),
    }),
  );
}

async function runOnce(simulator: RunningSimulator, suite: LoadedSuite, baseline?: RunSummary): Promise<RunSummary> {
  const provider = new RunwareProvider({ apiUrl: simulator.url, apiKey: 'k', connections: 16, name: 'simulator' });
  const out = mkdtempSync(path.join(tmpdir(), 'evalgate-gatesim-'));
  try {
    return await runEval({
      runId: 'sim', runDir: out, trials: planTrials([suite]), provider, simulated: true, thresholds: new Map([[suite.name, 0]]),
      concurrency: 16, requestTimeoutMs: 5000, retry: RETRY, assertionTimeoutMs: 1000, reporters: [], clock: systemClock,
      stopSignal: new AbortController().signal, abortSignal: new AbortController().signal,
      configRecord: { provider: 'simulator', concurrency: 16, requestTimeoutMs: 5000, retry: RETRY, maxErrorRate: 1, suites: [], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
      ...(baseline ? { baseline: { summary: baseline, policy: GateSchema.parse({}) } } : {}),
    });
  } finally {
    await provider.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Measures the regression gate's error rates with the simulator at known pass probabilities: `reps`
 * times, a baseline run and a candidate of the same model (no true change: every alarm is false), and
 * `reps` times a candidate whose accuracy is `drop` lower (every alarm is a detection). Each run draws
 * fresh answers (the simulator never repeats a draw for a repeated request).
 */
export async function simulateGate(options: GateSimulationOptions): Promise<GateSimulationReport> {
  const policy = GateSchema.parse({});
  const suite: LoadedSuite = {
    name: 'gate-sim', file: 'gate-sim.yaml', tags: [], threshold: 0, repeats: 1, outputFormat: 'TEXT',
    models: [models.find('openai-gpt-5-5')!], numberResults: [1],
    cases: Array.from({ length: options.cases }, (_, i) =>
      makeCase({
        id: `q${i}`, systemPrompt: 'Gate simulation.', messages: [{ role: 'user', content: `question ${i} bucket ${i % 8}` }], thinkingLevels: ['low'], maxTokens: 1000,
        assertions: [{ type: 'contains', value: 'right', ignoreCase: false, not: false }],
      }),
    ),
  };
  const same = await startSimulator({ seed: 1, scenarios: [scenario(options.baseAccuracy)], models, latencyScale: 0 });
  const worse = await startSimulator({ seed: 2, scenarios: [scenario(options.baseAccuracy - options.drop)], models, latencyScale: 0 });
  let falseAlarms = 0;
  let detections = 0;
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      const baseline = await runOnce(same, suite);
      const unchanged = await runOnce(same, suite, baseline);
      if (unchanged.gate.reasons.some((r) => r.code === 'REGRESSION')) falseAlarms++;
      const degraded = await runOnce(worse, suite, baseline);
      if (degraded.gate.reasons.some((r) => r.code === 'REGRESSION')) detections++;
    }
  } finally {
    await same.close();
    await worse.close();
  }
  const meanDifficulty = Array.from({ length: 8 }, (_, b) => difficultyOf(b)).reduce((a, b) => a + b, 0) / 8;
  const baseRate = options.baseAccuracy - meanDifficulty;
  return {
    reps: options.reps,
    cases: options.cases,
    alpha: policy.alpha,
    falseAlarms,
    detections,
    falseAlarmRate: falseAlarms / options.reps,
    detectionRate: detections / options.reps,
    advisedCases: casesToDetectDrop(baseRate, baseRate - options.drop, policy.alpha, 0.8),
  };
}

export function formatGateSimulation(r: GateSimulationReport): string {
  return [
    `gate simulation: ${r.reps} baseline/candidate pairs per condition, ${r.cases} cases, numberResults 1, alpha ${r.alpha}`,
    `  no true change:   ${r.falseAlarms}/${r.reps} false alarms = ${(r.falseAlarmRate * 100).toFixed(1)}% (must be ≤ ${(r.alpha * 100).toFixed(0)}%)`,
    `  true drop of 15:  ${r.detections}/${r.reps} detected = ${(r.detectionRate * 100).toFixed(1)}%`,
    `  advised: ${r.advisedCases} cases per run for 80% power to catch that drop (evalgate advise --drop 0.15)`,
  ].join('\n');
}
