import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { compileChecks, type CompiledChecks } from '../../assertions/assertion-registry.js';
import { RegexRunner } from '../../assertions/regex-runner.js';
import { EvalgateError } from '../../core/evalgate-error.js';
import type { Trial } from '../../plan/trial.js';
import { createProvider } from '../../providers/create-provider.js';
import type { Provider } from '../../providers/provider.js';
import { writeFileAtomic } from '../../core/write-file-atomic.js';
import { systemClock } from '../../run/clock.js';
import { createJudgeGateway } from '../../run/create-judge-gateway.js';
import { announceFinished } from '../../run/finish-run.js';
import { JudgeCache } from '../../run/judge-cache.js';
import { findCalibrations } from '../../run/find-calibrations.js';
import { readBaseline } from '../../run/read-baseline.js';
import { rescoreRecords } from '../../run/rescore-records.js';
import { ResultsJournal } from '../../run/results-journal.js';
import { MANIFEST_FILE, readManifest, type RunManifest } from '../../run/run-manifest.js';
import { RetryBudget } from '../../run/retry-budget.js';
import { summarizeRunFolder } from '../../run/summarize-run-folder.js';
import type { CliIo } from '../cli-io.js';
import type { RescoreArgs } from '../cli-options.js';
import { buildReporters } from './build-reporters.js';
import { loadAndPlan } from './load-and-plan.js';
import { newRunId } from './resolve-run-request.js';

/**
 * `evalgate rescore <run dir>`: checks the answers a run stored with the suites' current assertions
 * (judges through the verdict cache) and writes a complete new run folder, every report and the gate
 * included. Sends no candidate request; a judge's verdict not in the cache is asked for (and paid).
 * Exits with the new gate's verdict.
 */
export async function rescoreCommand(args: RescoreArgs, io: CliIo): Promise<number> {
  const sourceDir = path.resolve(io.cwd, args.runDir);
  if (!existsSync(path.join(sourceDir, 'results.jsonl'))) {
    throw new EvalgateError('USAGE', `${args.runDir} holds no results.jsonl`, { hint: 'give the folder of a run (reports/<run id>, or the --out of evalgate run)' });
  }
  const source = readManifest(sourceDir);
  const { invocation } = source;
  // The plan as the suites say today: the same suites, config, filters and levels the run was asked for.
  const { project, trials } = await loadAndPlan(
    { suites: invocation.suites, ...(invocation.config ? { config: invocation.config } : {}), ...(invocation.levels ? { levels: invocation.levels } : {}), ...(invocation.samples ? { samples: invocation.samples } : {}), filter: invocation.filter },
    io,
  );
  const { config } = project;
  const runId = newRunId(new Date());
  const runDir = args.out ? path.resolve(io.cwd, args.out) : path.join(path.resolve(config.rootDir, config.outDir), runId);
  if (existsSync(path.join(runDir, 'results.jsonl'))) throw new EvalgateError('USAGE', `${args.out ?? runDir} already holds a run`, { hint: 'choose another --out' });
  const baseline = args.baseline !== undefined ? { summary: readBaseline(args.baseline, io.cwd), policy: config.gate } : undefined;

  // A provider only for judges, and only when a case has one: a rescore without judges needs no key.
  const hasJudge = trials.some((t) => t.case.assertions.some((a) => a.type === 'judge'));
  const setup = hasJudge
    ? await createProvider(invocation.provider, config, io.env, {
        cwd: io.cwd, concurrency: config.concurrency,
        ...(invocation.seed !== null ? { seed: invocation.seed } : {}),
        ...(invocation.cassettes !== null ? { cassettes: invocation.cassettes } : {}),
      })
    : undefined;
  const manifest: RunManifest = {
    ...source,
    runId,
    startedAt: new Date().toISOString(),
    plan: { ...source.plan, trials: source.plan.trials },
  };
  let journal: ResultsJournal;
  try {
    mkdirSync(runDir, { recursive: true });
    await writeFileAtomic(path.join(runDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    journal = ResultsJournal.open(path.join(runDir, 'results.jsonl'));
  } catch (error) {
    // The judges' provider (the simulator's server) would keep the process from exiting.
    await setup?.close();
    throw error;
  }

  const regex = new RegexRunner(config.assertionTimeoutMs);
  const judge = createJudgeGateway({
    provider: setup?.provider ?? noProvider,
    retry: config.retry,
    requestTimeoutMs: config.requestTimeoutMs,
    clock: systemClock,
    signal: new AbortController().signal,
    retryBudget: RetryBudget.forRun(trials.length, config.retry.budget),
    ...(args.judgeCache ? { cache: new JudgeCache(path.resolve(config.rootDir, config.judge.cacheDir)) } : {}),
  });
  const compiled = new Map<Trial['case'], CompiledChecks>();
  const checksFor = (trial: Trial): CompiledChecks => {
    let checks = compiled.get(trial.case);
    if (!checks) {
      const subject = { suite: trial.suite, caseId: trial.caseId, vars: trial.case.vars ?? {} };
      compiled.set(trial.case, (checks = compileChecks(trial.case.assertions, { regex, subject, judge, conversation: trial.request.messages })));
    }
    return checks;
  };
  let counts;
  try {
    counts = await rescoreRecords(path.join(sourceDir, 'results.jsonl'), new Map(trials.map((t) => [t.id, t])), checksFor, journal, config.concurrency);
  } finally {
    journal.close();
    await regex.close();
    await setup?.close();
  }
  const dropped = counts.dropped > 0 ? `; ${counts.dropped} samples of cases no longer in the suites left out` : '';
  io.stderr.write(`rescored ${counts.rescored} answers from ${args.runDir} with the current assertions (no candidate request sent); ${counts.keptErrored} errored samples without an answer kept as they were${dropped}\n`);

  const summary = await summarizeRunFolder(runDir, manifest, config, baseline);
  const calibrations = findCalibrations(trials, path.resolve(config.rootDir, config.judge.calibrationsDir));
  if (calibrations.length > 0) summary.judgeCalibrations = calibrations;
  const reporters = buildReporters(args.reporter ?? config.reporters, io, { color: args.color, quiet: true });
  await announceFinished(reporters, summary, runDir);
  return summary.gate.exitCode;
}

/** Stands in when no case has a judge: nothing is ever sent through it. */
const noProvider: Provider = {
  name: 'none',
  send: () => Promise.reject(new Error('rescore sends no candidate request')),
  close: async () => {},
};
