// Measures whether putting several tasks in one request (batchSize) helps, against the simulator.
// Run after a build: `npm run build && node scripts/measure-batching.mjs`. Prints a Markdown table
// (the one in docs/delivery.md). Wall times vary with the machine; compare rows, not absolutes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MODELS } from '../dist/config/default-models.js';
import { ModelTable } from '../dist/config/model-table.js';
import { planTrials } from '../dist/plan/plan-trials.js';
import { RunwareProvider } from '../dist/providers/runware/runware-provider.js';
import { startSimulator } from '../dist/simulator/simulator-server.js';
import { systemClock } from '../dist/run/clock.js';
import { runEval } from '../dist/run/run-eval.js';

const TRIALS = Number(process.argv[2] ?? 480);
const CONCURRENCY = 16;
const LATENCY_SCALE = 0.1;
const RETRY = { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 1000, maxRetryAfterMs: 1000, trialDeadlineMs: 120_000, budget: 20 };

const models = new ModelTable(DEFAULT_MODELS);
const levels = ['none', 'low', 'medium', 'high'];
const cases = Array.from({ length: Math.ceil(TRIALS / (levels.length * 2)) }, (_, i) => ({
  id: `case-${i}`, tags: [], messages: [{ role: 'user', content: `question ${i}` }], maxTokens: 8000, thinkingLevels: levels, assertions: [],
}));
const suite = { name: 'batching', file: 'batching.yaml', tags: [], threshold: 0, repeats: 1, outputFormat: 'TEXT', models: [models.find('openai-gpt-5-5')], numberResults: [1, 2], cases };
const trials = planTrials([suite]);

async function measure(batchSize, admitConcurrency) {
  const simulator = await startSimulator({ seed: 1, scenarios: [], models, latencyScale: LATENCY_SCALE, faults: admitConcurrency ? { admitConcurrency } : {} });
  const provider = new RunwareProvider({ apiUrl: simulator.url, apiKey: 'measure', connections: CONCURRENCY, name: 'simulator', batchSize });
  const out = mkdtempSync(path.join(tmpdir(), 'evalgate-batching-'));
  try {
    const started = performance.now();
    const summary = await runEval({
      runId: 'batching', runDir: out, trials, provider, simulated: true, thresholds: new Map([['batching', 0]]),
      concurrency: CONCURRENCY, requestTimeoutMs: 30_000, retry: RETRY, maxErrorRate: 1, assertionTimeoutMs: 1000, reporters: [],
      clock: systemClock, stopSignal: new AbortController().signal, abortSignal: new AbortController().signal,
      configRecord: { provider: 'simulator', concurrency: CONCURRENCY, requestTimeoutMs: 30_000, retry: RETRY, maxErrorRate: 1, suites: [], filter: [], thinkingLevels: null, numberResults: null, apiUrl: simulator.url },
    });
    const wallS = (performance.now() - started) / 1000;
    return {
      batchSize, admitConcurrency, wallS, requests: simulator.stats.requests, refused: simulator.stats.faults.admission ?? 0,
      p50: summary.totals.latencyMs.p50, p95: summary.totals.latencyMs.p95, errored: summary.totals.errored,
    };
  } finally {
    await provider.close();
    await simulator.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const rows = [];
for (const admit of [undefined, 4]) {
  for (const batchSize of [1, 2, 4, 8]) rows.push(await measure(batchSize, admit));
}
console.log(`${trials.length} trials, concurrency ${CONCURRENCY}, simulated latency ×${LATENCY_SCALE}\n`);
console.log('| server admits | batchSize | wall s | requests | refused (429) | sample p50 ms | sample p95 ms | errored |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.admitConcurrency ?? 'any number'} | ${r.batchSize} | ${r.wallS.toFixed(1)} | ${r.requests} | ${r.refused} | ${Math.round(r.p50)} | ${Math.round(r.p95)} | ${r.errored} |`);
}
