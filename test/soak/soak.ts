import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RetryPolicy } from '../../src/config/config-schema.js';
import type { LoadedSuite } from '../../src/config/loaded-suite.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { FAULT_KINDS, type Faults } from '../../src/config/simulator-faults.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { startSimulator } from '../../src/simulator/simulator-server.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { systemClock } from '../../src/run/clock.js';
import { runEval } from '../../src/run/run-eval.js';
import { makeCase } from '../support/builders.js';

export interface SoakOptions {
  /** Trials to plan (rounded up to whole cases of 5 levels × 4 numberResults). */
  trials: number;
  concurrency: number;
  /** Share of requests given each fault. */
  faultShare: number;
  /** Requests the simulator admits at once; more get 429. */
  admitConcurrency: number;
  seed: number;
  /** Attempts per trial. @default 8 */
  maxAttempts?: number;
  /**
   * Longest one attempt may take. Short, so hung responses cost little; a run without faults can
   * take longer, so that a busy machine (the simulator shares the process) is not read as a timeout.
   * @default 250
   */
  requestTimeoutMs?: number;
  /** Back off under throttling (AIMD); false keeps the concurrency fixed, to measure what backing off is worth. @default true */
  adaptiveConcurrency?: boolean;
}

export interface SoakReport {
  trials: number;
  samples: number;
  retries: number;
  errored: number;
  duplicated: number;
  lost: number;
  /** Errored samples whose failure was retryable and whose retries had not run out: must be 0. */
  erroredEarly: number;
  erroredByCode: Record<string, number>;
  faultsInjected: Record<string, number>;
  requests: number;
  wallMs: number;
}

const RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 80, maxRetryAfterMs: 40, trialDeadlineMs: 60_000, budget: 3 };
const RETRY_NOTES = [/after \d+ attempts\)$/, /retry budget .* is spent\)$/, /trial deadline of \d+ ms reached/];

/**
 * Drives trials through the real client and the simulator with every fault enabled, then checks the
 * journal: every planned trial recorded once, whole; no sample twice; errors only after retries ran out.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const models = new ModelTable(DEFAULT_MODELS);
  const faults: Partial<Faults> = { admitConcurrency: options.admitConcurrency, retryAfterSeconds: 1 };
  for (const kind of FAULT_KINDS) faults[kind] = options.faultShare;
  const simulator = await startSimulator({ seed: options.seed, scenarios: [], models, latencyScale: 0.01, faults });
  const provider = new RunwareProvider({ apiUrl: simulator.url, apiKey: 'soak', connections: options.concurrency, name: 'simulator' });
  const out = mkdtempSync(path.join(tmpdir(), 'evalgate-soak-'));
  try {
    const cases = Math.ceil(options.trials / 20);
    const suite: LoadedSuite = {
      name: 'soak', file: 'soak.yaml', tags: [], threshold: 0, repeats: 1, outputFormat: 'TEXT',
      models: [models.find('openai-gpt-5-5')!], numberResults: [1, 2, 3, 4],
      cases: Array.from({ length: cases }, (_, i) =>
        makeCase({ id: `case-${i}`, messages: [{ role: 'user', content: `question ${i}` }], maxTokens: 8000, thinkingLevels: ['none', 'low', 'medium', 'high', 'xhigh'] }),
      ),
    };
    const trials = planTrials([suite]);
    const retry: RetryPolicy = { ...RETRY, maxAttempts: options.maxAttempts ?? RETRY.maxAttempts };
    const requestTimeoutMs = options.requestTimeoutMs ?? 250;
    const started = performance.now();
    const summary = await runEval({
      runId: 'soak', runDir: out, trials, provider, simulated: true, thresholds: new Map([['soak', 0]]),
      assertionTimeoutMs: 1000, reporters: [],
      clock: systemClock, stopSignal: new AbortController().signal, abortSignal: new AbortController().signal,
      configRecord: { provider: 'simulator', concurrency: options.concurrency, requestTimeoutMs, retry, maxErrorRate: 1, suites: [], filter: [], thinkingLevels: null, numberResults: null, apiUrl: simulator.url },
      ...(options.adaptiveConcurrency === false ? { adaptiveConcurrency: false } : {}),
    });
    const wallMs = performance.now() - started;
    const records = readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);

    const seen = new Set<string>();
    let duplicated = 0;
    const perTrial = new Map<string, number>();
    for (const r of records) {
      const key = `${r.trialId}/${r.sampleIndex}`;
      if (seen.has(key)) duplicated++;
      seen.add(key);
      perTrial.set(r.trialId, (perTrial.get(r.trialId) ?? 0) + 1);
    }
    const lost = trials.filter((t) => perTrial.get(t.id) !== t.setting.numberResults).length;
    const errored = records.filter((r) => r.status === 'errored');
    const erroredByCode: Record<string, number> = {};
    for (const r of errored) erroredByCode[r.error!.code] = (erroredByCode[r.error!.code] ?? 0) + 1;
    const retryableCodes = new Set(['RATE_LIMITED', 'PROVIDER_TIMEOUT', 'SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'QUEUE_TIMEOUT', 'REQUEST_TIMEOUT', 'NETWORK_ERROR', 'MALFORMED_RESPONSE', 'MISSING_RESULT']);
    const erroredEarly = errored.filter((r) => retryableCodes.has(r.error!.code) && !RETRY_NOTES.some((note) => note.test(r.error!.message))).length;
    return {
      trials: trials.length,
      samples: records.length,
      retries: summary.totals.retries,
      errored: errored.length,
      duplicated,
      lost,
      erroredEarly,
      erroredByCode,
      faultsInjected: { ...simulator.stats.faults },
      requests: simulator.stats.requests,
      wallMs,
    };
  } finally {
    await provider.close();
    await simulator.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** The report as a small table for the terminal. */
export function formatSoakReport(report: SoakReport): string {
  const rows: [string, string | number][] = [
    ['trials', report.trials],
    ['samples', report.samples],
    ['requests', report.requests],
    ['retries', report.retries],
    ['errored', `${report.errored} ${JSON.stringify(report.erroredByCode)}`],
    ['errored before retries ran out', report.erroredEarly],
    ['duplicated', report.duplicated],
    ['lost', report.lost],
    ['faults injected', JSON.stringify(report.faultsInjected)],
    ['wall time', `${(report.wallMs / 1000).toFixed(1)} s`],
  ];
  return rows.map(([k, v]) => `${k.padEnd(32)} ${v}`).join('\n');
}
