import { existsSync, mkdirSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { checkBudget } from '../../cost/check-budget.js';
import { loadCostEstimator } from '../../cost/load-cost-estimator.js';
import { EvalgateError } from '../../core/evalgate-error.js';
import type { Trial } from '../../plan/trial.js';
import { createProvider } from '../../providers/create-provider.js';
import type { ReplayProvider } from '../../providers/replay/replay-provider.js';
import { sanitizeForTerminal } from '../../reporters/terminal-text.js';
import { writeFileAtomic } from '../../core/write-file-atomic.js';
import type { RunConfigRecord } from '../../results/run-summary.js';
import { systemClock } from '../../run/clock.js';
import { sendRun } from '../../run/run-eval.js';
import { announceFinished } from '../../run/finish-run.js';
import type { Reporter } from '../../run/run-events.js';
import type { RunSummary } from '../../results/run-summary.js';
import { pointLatestAt } from '../../run/latest-run.js';
import { findCalibrations } from '../../run/find-calibrations.js';
import { isSimulatedRun, MANIFEST_FILE, type RunManifest } from '../../run/run-manifest.js';
import type { CliIo } from '../cli-io.js';
import type { RunArgs } from '../cli-options.js';
import { buildReporters } from './build-reporters.js';
import { resolveRunRequest } from './resolve-run-request.js';
import { startWebhookReceiver } from './start-webhook-receiver.js';
import { settingLabel } from '../../core/setting.js';
import { isGatedSetting } from '../../config/gate-on.js';
import { fewestCasesToDecide, planSequential } from '../../gate/plan-sequential.js';
import { SequentialMonitor, type SequentialSettingPlan } from '../../gate/sequential-monitor.js';
import type { RunRequest } from './resolve-run-request.js';
import { youngGeneration } from '../young-generation.js';

/** `evalgate run`: resolve the request (resolveRunRequest), then build the provider, run, gate, report. Returns the gate's exit code. */
export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  // The plan, its trials and the loaded suites are needed until the last trial is sent, not by the
  // reports: sendPlan holds them, and they are garbage once it returns (docs/performance.md, "Memory").
  // The provider, the webhook receiver and Ctrl-C's handling stay up until the reports are written.
  const sent = await sendPlan(args, io);
  youngGeneration.beforeReports();
  try {
    await announceFinished(sent.reporters, sent.summary, sent.runDir);
    if (sent.isLatest) pointLatestAt(sent.outRoot, sent.runDir);
    return sent.summary.gate.exitCode;
  } finally {
    await sent.close();
  }
}

/** A run whose trials were all sent (or stopped): what its reports need, and what shuts it down after them. */
interface SentRun {
  summary: RunSummary;
  reporters: readonly Reporter[];
  runDir: string;
  outRoot: string;
  isLatest: boolean;
  close: () => Promise<void>;
}

/** Everything of `evalgate run` up to the summary; whatever it throws, it shuts down what it started. */
async function sendPlan(args: RunArgs, io: CliIo): Promise<SentRun> {
  youngGeneration.hold();
  const request = await resolveRunRequest(args, io);
  const { config, trials, runDir, outRoot, concurrency, providerName } = request;
  // Earlier runs in outDir (or --history), never this one, teach the estimate recorded beside the actual cost.
  const historyRoot = args.history !== undefined ? path.resolve(io.cwd, args.history) : outRoot;
  if (args.history !== undefined && !existsSync(historyRoot)) {
    throw new EvalgateError('USAGE', `--history ${args.history} does not exist`, { hint: 'give a run folder (it holds results.jsonl) or a folder of run folders, such as a downloaded baseline' });
  }
  // A run against the API learns what it will cost from real runs only: the simulator's figures are illustrative.
  const estimator = await loadCostEstimator(trials, config.models, historyRoot, { exclude: runDir, prompts: 'measured', ...(providerName === 'runware' ? { skip: isSimulatedRun } : {}) });
  // A plan --max-cost will not cover is refused before a provider starts or the run folder is made: a
  // folder holding run.json alone would read as a run. (runEval checks again, with what a resume recovered.)
  if (request.budget && !request.resumed) checkBudget(trials, request.budget.maxCostUsd, request.budget.allowPartial, estimator.estimate(trials));
  const receiver = await startWebhookReceiver(args, trials, providerName, io);
  let setup: Awaited<ReturnType<typeof createProvider>>;
  try {
    setup = await createProvider(providerName, config, io.env, {
      cwd: io.cwd,
      concurrency,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.cassettes !== undefined ? { cassettes: request.cassettes } : {}),
      ...(receiver ? { webhook: { receiver, fallbackAfterMs: config.webhook.fallbackAfterMs } } : {}),
    });
  } catch (error) {
    await receiver?.close();
    throw error;
  }
  const reporters = [sizeYoungGeneration, ...buildReporters(args.reporter ?? config.reporters, io, { color: args.color, quiet: args.quiet, isShard: request.invocation.shard !== null })];
  try {
    const { summary, unsubscribe } = await runWithProvider(request, args, io, setup, estimator, reporters);
    return { summary, reporters, runDir, outRoot, isLatest: request.isLatest, close: closer(setup, receiver, unsubscribe, io) };
  } catch (error) {
    await closer(setup, receiver, () => {}, io)();
    throw error;
  }
}

/**
 * What ends a run after its reports: Ctrl-C's handling, the provider (the simulator's server), the
 * webhook receiver. Made here, outside the functions that hold the plan: a closure holds the scope it
 * is made in, and with it whatever else of that scope a closure uses.
 */
function closer(setup: Awaited<ReturnType<typeof createProvider>>, receiver: Awaited<ReturnType<typeof startWebhookReceiver>>, unsubscribe: () => void, io: CliIo): () => Promise<void> {
  return async () => {
    unsubscribe();
    youngGeneration.stop();
    await setup.close();
    if (receiver) {
      const { accepted, duplicates, rejected, ignored } = receiver.stats;
      io.stderr.write(`webhook: ${accepted} results received, ${duplicates} duplicates dropped, ${rejected} requests refused, ${ignored} ignored\n`);
      await receiver.close();
    }
  };
}

/**
 * Ctrl-C while a run sends: the first stops new requests (those in flight get a grace period), a
 * second abandons them. Until `unsubscribe`, after the reports. Made outside the functions that hold
 * the plan, as {@link closer} is.
 */
function handleInterrupts(io: CliIo, requestTimeoutMs: number): { stop: AbortController; abort: AbortController; unsubscribe: () => void } {
  const stop = new AbortController();
  const abort = new AbortController();
  // Every request in flight listens to it: as many listeners as the concurrency, by design.
  setMaxListeners(0, abort.signal);
  let interrupts = 0;
  const unsubscribe = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write('\nStopping: no new requests; waiting for those in flight (Ctrl-C again to abandon them).\n');
      stop.abort();
      // In-flight requests get a bounded grace period, then are abandoned.
      setTimeout(() => abort.abort(), Math.min(requestTimeoutMs, 30_000)).unref();
    } else {
      abort.abort();
    }
  });
  return { stop, abort, unsubscribe };
}

/** The young generation is sized for the plan as the first request goes: the run's estimate before it is one long synchronous stretch (young-generation.ts). */
const sizeYoungGeneration: Reporter = { onRunStarted: ({ plannedSamples }) => youngGeneration.sizeFor(plannedSamples) };

/** The run once its provider is up: sends the plan and summarizes it (the reports come after, in runCommand). */
async function runWithProvider(
  request: RunRequest,
  args: RunArgs,
  io: CliIo,
  setup: Awaited<ReturnType<typeof createProvider>>,
  estimator: Awaited<ReturnType<typeof loadCostEstimator>>,
  reporters: readonly Reporter[],
): Promise<{ summary: RunSummary; unsubscribe: () => void }> {
  const { config, project, trials, runId, runDir, concurrency, providerName, resumed } = request;
  if (providerName === 'replay') refuseUnrecorded(setup.provider as ReplayProvider, trials);
  // Recording and the simulator's scenarios are imported only when used (start-up, docs/performance.md).
  const provider =
    args.record !== undefined
      ? new (await import('../../providers/replay/recording-provider.js')).RecordingProvider(setup.provider, path.resolve(io.cwd, args.record), setup.simulated)
      : setup.provider;
  const placeholderSuites = setup.scenarios ? (await import('../../simulator/scenario.js')).suitesWithoutScenario(project.suites, setup.scenarios) : undefined;
  const configRecord: RunConfigRecord = {
    provider: setup.provider.name,
    concurrency,
    requestTimeoutMs: config.requestTimeoutMs,
    retry: config.retry,
    maxErrorRate: config.maxErrorRate,
    suites: project.suites.map((s) => ({ name: s.name, file: s.file, threshold: s.threshold, gateOn: s.gateOn ?? null, ...(request.sequential?.suites.has(s.name) ? { untilDecided: true } : {}) })),
    filter: request.invocation.filter,
    thinkingLevels: request.invocation.levels,
    numberResults: request.invocation.samples?.map(Number) ?? null,
    apiUrl: setup.apiUrl,
    ...(placeholderSuites ? { placeholderSuites } : {}),
  };
  if (!resumed) {
    await writeManifest(runDir, {
      schemaVersion: 1,
      runId,
      startedAt: request.startedAt.toISOString(),
      invocation: request.invocation,
      plan: { trials: trials.length, allTrials: request.plan.length, fingerprint: request.fingerprint, verdict: request.verdict },
      provider: setup.provider.name,
      simulated: setup.simulated,
      config: configRecord,
    });
  }

  const { stop, abort, unsubscribe } = handleInterrupts(io, config.requestTimeoutMs);

  const monitor = sequentialMonitor(request);
  for (const line of monitor ? tooFewToDecide(monitor.plans) : []) io.stderr.write(`${sanitizeForTerminal(line)}\n`);
  try {
    const summary = await sendRun({
      runId,
      runDir,
      trials,
      provider,
      simulated: setup.simulated,
      thresholds: new Map(project.suites.map((s) => [s.name, s.threshold])),
      assertionTimeoutMs: config.assertionTimeoutMs,
      reporters,
      clock: systemClock,
      stopSignal: stop.signal,
      abortSignal: abort.signal,
      configRecord,
      resume: resumed !== undefined,
      startedAt: request.startedAt,
      ...(request.baseline ? { baseline: { summary: request.baseline, policy: config.gate } } : {}),
      estimateCost: (planned) => estimator.estimate(planned),
      ...(request.traffic ? { traffic: request.traffic } : {}),
      ...(request.budget ? { budget: request.budget } : {}),
      tell: (line) => io.stderr.write(`${sanitizeForTerminal(line)}\n`),
      ...(args.judgeCache ? { judgeCacheDir: path.resolve(config.rootDir, config.judge.cacheDir) } : {}),
      judgeCalibrations: findCalibrations(trials, path.resolve(config.rootDir, config.judge.calibrationsDir)),
      ...(monitor ? { sequential: monitor } : {}),
    });
    return { summary, unsubscribe };
  } catch (error) {
    unsubscribe();
    throw error;
  }
}

/** With --until-decided (or a suite's untilDecided): the monitor of this invocation's settings; each shard decides for its own cases at alpha ÷ shards. */
function sequentialMonitor(request: RunRequest): SequentialMonitor | undefined {
  const { sequential, project, config } = request;
  if (!sequential || sequential.suites.size === 0) return undefined;
  const suites = new Map(project.suites.map((s) => [s.name, s]));
  const alpha = config.gate.alpha / (request.shard?.count ?? 1);
  const plans = planSequential({
    trials: request.trials,
    // The gate judges the whole plan in one family: every suite, sequential or not, and every shard.
    plan: request.plan,
    isSequential: (suite) => sequential.suites.has(suite),
    isGated: (setting) => isGatedSetting(suites.get(setting.suite)?.gateOn ?? null, setting),
    threshold: (suite) => suites.get(suite)?.threshold ?? config.threshold,
    ...(request.baseline ? { baselineCases: request.baseline.cases } : {}),
    policy: config.gate,
    alpha,
  });
  return new SequentialMonitor(plans, {
    orderSeed: sequential.orderSeed,
    undecided: sequential.undecided,
    maxCases: sequential.maxCases,
    alpha,
    minDrop: config.gate.minDrop,
    baselineRunId: request.baseline?.runId ?? null,
  });
}

/** A warning per suite whose gated settings have too few cases to ever decide that they pass: they will take every case. */
function tooFewToDecide(plans: readonly SequentialSettingPlan[]): string[] {
  const lines = new Map<string, string>();
  for (const plan of plans) {
    if (!plan.gated || lines.has(plan.suite)) continue;
    const { above } = fewestCasesToDecide(plan.threshold, plan.levels.threshold);
    if (above === null || plan.cases.length < above) {
      lines.set(
        plan.suite,
        `note: ${plan.suite}: ${plan.cases.length} cases are too few to decide that a setting meets its threshold of ${Math.round(plan.threshold * 100)}% ` +
          `(that takes ${above ?? 'more than 10,000'} cases even if every one passes): --until-decided will take every case unless a setting fails`,
      );
    }
  }
  return [...lines.values()];
}

/** Replay is strict: a trial without a recording is an error before anything runs, naming it. */
function refuseUnrecorded(provider: ReplayProvider, trials: readonly Trial[]): void {
  const missing = provider.missing(trials);
  if (missing.length === 0) return;
  const named = missing.slice(0, 10).map((t) => `  ${t.suite}/${t.caseId} · ${settingLabel(t.setting)}${t.repeat ? ` · repeat ${t.repeat + 1}` : ''}`);
  if (missing.length > 10) named.push(`  … and ${missing.length - 10} more`);
  throw new EvalgateError('USAGE', `${missing.length} of ${trials.length} trials have no recording to replay:\n${named.join('\n')}`, {
    hint: 'record them with --record <dir> (against the API or --provider simulator), or point --cassettes at the right folder',
  });
}

async function writeManifest(runDir: string, manifest: RunManifest): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  await writeFileAtomic(path.join(runDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
