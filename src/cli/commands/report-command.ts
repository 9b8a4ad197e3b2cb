import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { EvalgateError } from '../../errors.js';
import { readJournal } from '../../results/read-journal.js';
import { RunSummarizer } from '../../results/run-summarizer.js';
import type { RunConfigRecord } from '../../results/run-summary.js';
import { announceFinished, buildRunSummary } from '../../run/finish-run.js';
import { MANIFEST_FILE, readManifest } from '../../run/run-manifest.js';
import type { CliIo } from '../cli-io.js';
import type { ReportArgs } from '../cli-options.js';
import { buildReporters } from './build-reporters.js';

/**
 * `evalgate report <run dir>`: rebuilds every report of a run from its results.jsonl (and run.json,
 * for thresholds and what the run was), without sending anything. Exits with the gate's verdict.
 */
export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number> {
  const runDir = path.resolve(io.cwd, args.runDir);
  const journal = path.join(runDir, 'results.jsonl');
  if (!existsSync(journal)) {
    throw new EvalgateError('USAGE', `${args.runDir} holds no results.jsonl`, { hint: 'give the folder of a run (reports/<run id>, or the --out of evalgate run)' });
  }
  const manifest = existsSync(path.join(runDir, MANIFEST_FILE)) ? readManifest(runDir) : undefined;
  const defaults = manifest ? undefined : await configDefaults(io);
  if (!manifest) io.stderr.write(`note: ${args.runDir} has no ${MANIFEST_FILE}; thresholds are the config's default (${defaults!.threshold})\n`);

  const thresholds = new Map(manifest?.config.suites.map((s) => [s.name, s.threshold]));
  const summarizer = new RunSummarizer((suite) => thresholds.get(suite) ?? defaults?.threshold ?? 0.8);
  const seenSuites = new Map<string, string>();
  const trials = new Map<string, { count: number; expected: number }>();
  for await (const record of readJournal(journal)) {
    summarizer.add(record);
    seenSuites.set(record.suite, record.suite);
    const trial = trials.get(record.trialId) ?? { count: 0, expected: record.numberResults };
    trial.count++;
    trials.set(record.trialId, trial);
  }
  const complete = [...trials.values()].filter((t) => t.count >= t.expected).length;
  const planned = manifest?.plan.trials ?? complete;
  const config: RunConfigRecord = manifest?.config ?? {
    provider: 'unknown',
    concurrency: 0,
    requestTimeoutMs: 1,
    retry: defaults!.retry,
    maxErrorRate: defaults!.maxErrorRate,
    suites: [...seenSuites.keys()].map((name) => ({ name, file: name, threshold: defaults!.threshold })),
    filter: [],
    thinkingLevels: null,
    numberResults: null,
    apiUrl: null,
  };
  const summary = buildRunSummary(summarizer, {
    runId: manifest?.runId ?? path.basename(runDir),
    provider: manifest?.provider ?? config.provider,
    simulated: manifest?.simulated ?? false,
    startedAt: new Date(manifest?.startedAt ?? Date.now()),
    finishedAt: new Date(),
    interrupted: complete < planned,
    plannedTrials: planned,
    skipped: null,
    config,
  });
  const reporters = buildReporters(args.reporter ?? ['console', 'json', 'junit', 'markdown', 'html'], io, { color: args.color, quiet: true });
  await announceFinished(reporters, summary, runDir);
  return summary.gate.exitCode;
}

async function configDefaults(io: CliIo) {
  const { config } = await loadConfig({ cwd: io.cwd });
  return { threshold: config?.threshold ?? 0.8, maxErrorRate: config?.maxErrorRate ?? 1, retry: config!.retry };
}
