import path from 'node:path';
import type { RetryPolicy } from '../config/config-schema.js';
import type { ModelTable } from '../config/model-table.js';
import { readJournal } from '../results/read-journal.js';
import { RunSummarizer } from '../results/run-summarizer.js';
import type { RunConfigRecord, RunSummary } from '../results/run-summary.js';
import { REFUSAL_CODES, type SampleError } from '../core/sample-record.js';
import { buildRunSummary, type BaselineCheck } from './finish-run.js';
import type { RunManifest } from './run-manifest.js';
import type { SequentialRecord } from '../gate/sequential-monitor.js';

/** What to assume for a run folder without run.json. */
export interface FolderDefaults {
  threshold: number;
  maxErrorRate: number;
  retry: RetryPolicy;
  /** Prices, to count samples whose API cost disagrees with the table. */
  models?: ModelTable;
}

/**
 * The summary of a run folder from its results.jsonl alone (streamed) and its run.json (thresholds,
 * what the run was); the gate's verdict included. A run folder whose run.json is missing gets
 * `defaults` for every suite. The estimate and traffic projection made when the run ran are not
 * rebuilt (they need the history and flags of that moment): they are null here. A sequential run's
 * decisions cannot be rebuilt from its samples alone either: `sequential` gives them as recorded.
 */
export async function summarizeRunFolder(
  runDir: string,
  manifest: RunManifest | undefined,
  defaults: FolderDefaults,
  baseline?: BaselineCheck,
  sequential?: SequentialRecord,
): Promise<RunSummary> {
  const thresholds = new Map(manifest?.config.suites.map((s) => [s.name, s.threshold]));
  const gateOn = new Map(manifest?.config.suites.map((s) => [s.name, s.gateOn ?? null]));
  const summarizer = new RunSummarizer((suite) => thresholds.get(suite) ?? defaults.threshold, (model) => defaults.models?.find(model), (suite) => gateOn.get(suite));
  const suites = new Set<string>();
  const trials = new Map<string, { count: number; expected: number }>();
  let refusal: SampleError | undefined;
  for await (const record of readJournal(path.join(runDir, 'results.jsonl'))) {
    summarizer.add(record);
    if (record.error && REFUSAL_CODES.has(record.error.code)) refusal ??= record.error;
    suites.add(record.suite);
    const trial = trials.get(record.trialId) ?? { count: 0, expected: record.numberResults };
    trial.count++;
    trials.set(record.trialId, trial);
  }
  const complete = [...trials.values()].filter((t) => t.count >= t.expected).length;
  const planned = manifest?.plan.trials ?? complete;
  // Trials a sequential run did not send because their setting was decided are not missing.
  const decided = sequential?.summarize([]).groups.reduce((s, g) => s + g.savedSamples / g.numberResults, 0) ?? 0;
  const config: RunConfigRecord = manifest?.config ?? {
    provider: 'unknown',
    concurrency: 0,
    requestTimeoutMs: 1,
    retry: defaults.retry,
    maxErrorRate: defaults.maxErrorRate,
    suites: [...suites].map((name) => ({ name, file: name, threshold: defaults.threshold })),
    filter: [],
    thinkingLevels: null,
    numberResults: null,
    apiUrl: null,
  };
  return buildRunSummary(
    summarizer,
    {
      runId: manifest?.runId ?? path.basename(runDir),
      provider: manifest?.provider ?? config.provider,
      simulated: manifest?.simulated ?? false,
      startedAt: new Date(manifest?.startedAt ?? Date.now()),
      finishedAt: new Date(),
      // A run the API refused stopped sending on purpose: its missing trials are not an interruption.
      interrupted: complete < planned - decided && !refusal,
      plannedTrials: planned,
      skipped:
        complete < planned - decided && refusal
          ? { trials: planned - complete, samples: 0, reason: `the API refused the run (${refusal.httpStatus !== undefined ? `HTTP ${refusal.httpStatus} ` : ''}${refusal.code})`, trialIds: [], cause: 'refused' }
          : null,
      estimate: null,
      projection: null,
      config,
      ...(sequential ? { sequential } : {}),
    },
    baseline,
  );
}
