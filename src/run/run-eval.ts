import { mkdirSync } from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import type { Assertion } from '../assertions/assertion.js';
import { compileAssertion } from '../assertions/assertion-registry.js';
import type { RetryPolicy } from '../config/config-schema.js';
import type { LoadedCase } from '../config/loaded-suite.js';
import { evaluateGate } from '../gate/evaluate-gate.js';
import type { Trial } from '../plan/trial.js';
import type { Provider } from '../providers/provider.js';
import type { Reporter } from '../reporters/reporter.js';
import { RunSummarizer } from '../results/run-summarizer.js';
import { SUMMARY_SCHEMA_VERSION, type RunConfigRecord, type RunSummary } from '../results/run-summary.js';
import { buildSampleRecords } from './build-sample-records.js';
import type { Clock } from './clock.js';
import { executeTrial } from './execute-trial.js';
import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { ResultsJournal } from './results-journal.js';
import { RetryBudget } from './retry-budget.js';

export interface RunEvalOptions {
  runId: string;
  /** The run folder; created if missing. */
  runDir: string;
  trials: readonly Trial[];
  provider: Provider;
  /** True when the provider is the built-in simulator: every report says so. */
  simulated: boolean;
  /** Minimum pass rate per suite. */
  thresholds: ReadonlyMap<string, number>;
  concurrency: number;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  maxErrorRate: number;
  reporters: readonly Reporter[];
  clock: Clock;
  /** First Ctrl-C: stop sending new trials; in-flight ones finish. */
  stopSignal: AbortSignal;
  /** Second Ctrl-C: abandon in-flight requests too. */
  abortSignal: AbortSignal;
  /** What the run was asked to do, secrets removed, for summary.json. */
  configRecord: RunConfigRecord;
}

/**
 * The `run` stage and everything after it: sends the trials through a queue at the configured
 * concurrency, checks and records every sample as it lands (results.jsonl), summarizes as it goes,
 * then passes the summary and the gate's verdict to the reporters. A failed request becomes errored
 * samples; it never ends the run.
 */
export async function runEval(options: RunEvalOptions): Promise<RunSummary> {
  const startedAt = new Date();
  mkdirSync(options.runDir, { recursive: true });
  const journal = ResultsJournal.open(path.join(options.runDir, 'results.jsonl'));
  const summarizer = new RunSummarizer((suite) => options.thresholds.get(suite) ?? 0);
  const compiled = new WeakMap<LoadedCase, readonly Assertion[]>();
  const assertionsFor = (kase: LoadedCase) => {
    let list = compiled.get(kase);
    if (!list) compiled.set(kase, (list = kase.assertions.map(compileAssertion)));
    return list;
  };

  for (const reporter of options.reporters) {
    reporter.onRunStarted?.({
      runId: options.runId,
      runDir: options.runDir,
      provider: options.provider.name,
      simulated: options.simulated,
      plannedTrials: options.trials.length,
      plannedSamples: options.trials.reduce((s, t) => s + t.setting.numberResults, 0),
      concurrency: options.concurrency,
      suites: options.configRecord.suites,
    });
  }

  const queue = new PQueue({ concurrency: options.concurrency });
  const pacer = new AdaptiveConcurrency(options.concurrency, () => options.clock.now(), (limit) => {
    queue.concurrency = limit;
  });
  const retryBudget = RetryBudget.forRun(options.trials.length, options.retry.budget);
  let scheduled = 0;
  const runTrial = async (trial: Trial) => {
    const outcome = await executeTrial(trial.request, {
      provider: options.provider,
      retry: options.retry,
      requestTimeoutMs: options.requestTimeoutMs,
      clock: options.clock,
      signal: options.abortSignal,
      retryBudget,
      pacer,
    });
    // A trial cut short by a second Ctrl-C has no answer yet: it is left for --resume, not recorded.
    if (outcome.failure?.code === 'INTERRUPTED' && outcome.results.length === 0) return;
    const records = buildSampleRecords(trial, outcome, assertionsFor(trial.case));
    journal.append(records);
    for (const record of records) summarizer.add(record);
    for (const reporter of options.reporters) reporter.onTrialFinished?.({ records, inFlight: queue.pending - 1 });
  };

  try {
    for (const trial of options.trials) {
      // Keep the queue short: trials are added as slots free up, not all at once.
      await queue.onSizeLessThan(pacer.current);
      if (options.stopSignal.aborted) break;
      scheduled++;
      void queue.add(() => runTrial(trial));
    }
    await queue.onIdle();
  } finally {
    journal.close();
  }

  const interrupted = scheduled < options.trials.length || options.abortSignal.aborted;
  const totals = summarizer.totals();
  const { groups, cases } = summarizer.groupsAndCases();
  const summary: RunSummary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    runId: options.runId,
    provider: options.provider.name,
    simulated: options.simulated,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    interrupted,
    plannedTrials: options.trials.length,
    config: options.configRecord,
    totals,
    groups,
    cases,
    gate: evaluateGate({ groups, totals, maxErrorRate: options.maxErrorRate, interrupted }),
  };
  for (const reporter of options.reporters) await reporter.onRunFinished?.({ summary, runDir: options.runDir });
  return summary;
}
