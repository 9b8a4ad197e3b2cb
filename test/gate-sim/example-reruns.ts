import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject, type Project } from '../../src/config/load-project.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { createProvider } from '../../src/providers/create-provider.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { systemClock } from '../../src/run/clock.js';
import { runEval } from '../../src/run/run-eval.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The codes that compare a run with its baseline: any of them in an unchanged rerun is a false alarm. */
export const REGRESSION_CODES = new Set(['REGRESSION', 'COST_REGRESSION', 'LATENCY_REGRESSION', 'CASE_REGRESSION', 'UNDERPOWERED']);

/**
 * One run of this repository's example suites (evalconfig.yaml, evals/, fixtures/simulator) on the
 * simulator at `seed`, through the real client over HTTP, with the simulated latencies at a
 * hundredth (the scenarios' log-normal spread kept) so that hundreds of runs fit in minutes.
 */
export async function runExamples(project: Project, seed: number, baseline?: RunSummary): Promise<RunSummary> {
  const config = { ...project.config, simulator: { ...project.config.simulator, latencyScale: 0.01 } };
  const setup = await createProvider('simulator', config, {}, { cwd: REPO, concurrency: 16, seed });
  const out = mkdtempSync(path.join(tmpdir(), 'evalgate-examples-'));
  try {
    return await runEval({
      runId: `seed-${seed}`, runDir: out, trials: planTrials(project.suites, { requestTimeoutMs: config.requestTimeoutMs }), provider: setup.provider, simulated: true,
      thresholds: new Map(project.suites.map((s) => [s.name, s.threshold])),
      assertionTimeoutMs: config.assertionTimeoutMs, reporters: [], clock: systemClock,
      stopSignal: quietSignal(), abortSignal: quietSignal(),
      configRecord: {
        provider: 'simulator', concurrency: 16, requestTimeoutMs: config.requestTimeoutMs, retry: config.retry, maxErrorRate: config.maxErrorRate,
        suites: project.suites.map((s) => ({ name: s.name, file: s.file, threshold: s.threshold, gateOn: s.gateOn ?? null })),
        filter: [], thinkingLevels: null, numberResults: null, apiUrl: setup.apiUrl,
      },
      ...(baseline ? { baseline: { summary: baseline, policy: config.gate } } : {}),
    });
  } finally {
    await setup.close();
    rmSync(out, { recursive: true, force: true });
  }
}

export const loadExamples = () => loadProject({ cwd: REPO });

export interface RerunReport {
  pairs: number;
  /** Unchanged reruns with at least one regression reason, and the reasons by code. */
  falseAlarms: number;
  byReason: Record<string, number>;
}

/**
 * `pairs` unchanged pairs of the examples: a baseline at one seed, a rerun at another, the rerun
 * gated against the baseline as CI would. `fixedBaseline`: every rerun against the one baseline at
 * that seed (what a user sees, rerun after rerun); otherwise a fresh baseline each time (the
 * false-alarm rate over pairs).
 */
export async function rerunExamples(pairs: number, fixedBaseline?: number): Promise<RerunReport> {
  const project = await loadExamples();
  const report: RerunReport = { pairs, falseAlarms: 0, byReason: {} };
  const fixed = fixedBaseline !== undefined ? await runExamples(project, fixedBaseline) : undefined;
  for (let i = 0; i < pairs; i++) {
    const seeds = fixed ? [fixedBaseline!, 1000 + i] : [2000 + 2 * i, 2001 + 2 * i];
    const baseline = fixed ?? (await runExamples(project, seeds[0]!));
    const rerun = await runExamples(project, seeds[1]!, baseline);
    const found = rerun.gate.reasons.filter((r) => REGRESSION_CODES.has(r.code));
    if (found.length > 0) report.falseAlarms++;
    for (const r of found) report.byReason[r.code] = (report.byReason[r.code] ?? 0) + 1;
  }
  return report;
}

/** A signal that never fires, listened to by every request in flight (as many as the concurrency, by design). */
function quietSignal(): AbortSignal {
  const { signal } = new AbortController();
  setMaxListeners(0, signal);
  return signal;
}
