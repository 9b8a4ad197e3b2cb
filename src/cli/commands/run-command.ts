import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { loadCostEstimator } from '../../cost/load-cost-estimator.js';
import { parseTraffic } from '../../cost/traffic.js';
import { MAX_CONCURRENCY } from '../../config/config-schema.js';
import { EvalgateError } from '../../core/evalgate-error.js';
import type { Trial } from '../../plan/trial.js';
import { createProvider } from '../../providers/create-provider.js';
import { suitesWithoutScenario } from '../../simulator/scenario.js';
import { RecordingProvider } from '../../providers/replay/recording-provider.js';
import { ReplayProvider } from '../../providers/replay/replay-provider.js';
import { sanitizeForTerminal } from '../../reporters/terminal-text.js';
import { writeFileAtomic } from '../../core/write-file-atomic.js';
import type { RunConfigRecord } from '../../results/run-summary.js';
import { systemClock } from '../../run/clock.js';
import { runEval } from '../../run/run-eval.js';
import { findCalibrations } from '../../run/find-calibrations.js';
import { parseShard, selectShard } from '../../plan/select-shard.js';
import { readBaseline } from '../../run/read-baseline.js';
import { verdictChanges, verdictFingerprint } from '../../run/verdict-fingerprint.js';
import { MANIFEST_FILE, planFingerprint, readManifest, type RunManifest } from '../../run/run-manifest.js';
import type { CliIo } from '../cli-io.js';
import type { RunArgs } from '../cli-options.js';
import { buildReporters } from './build-reporters.js';
import { loadAndPlan } from './load-and-plan.js';
import { startWebhookReceiver } from './start-webhook-receiver.js';
import { settingLabel } from '../../core/setting.js';

/** `evalgate run`: load, plan, run, report, gate. Returns the gate's exit code. */
export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const resumeDir = args.resume !== undefined ? path.resolve(io.cwd, args.resume) : undefined;
  const previous = resumeDir ? readManifest(resumeDir) : undefined;
  if (previous) refusePlanFlags(args);
  if (args.seed !== undefined && !Number.isSafeInteger(args.seed)) throw new EvalgateError('USAGE', `--seed must be a whole number, got ${String(args.seed)}`);
  const traffic = args.traffic !== undefined ? parseTraffic(args.traffic) : undefined;
  if (args.maxCost !== undefined && !(args.maxCost > 0)) throw new EvalgateError('USAGE', `--max-cost must be a positive number of USD, got ${String(args.maxCost)}`);
  const baselineSummary = args.baseline !== undefined ? readBaseline(args.baseline, io.cwd) : undefined;

  // A resumed run asks again exactly what it first asked: the same suites, config, filters and levels.
  const invocation = previous?.invocation;
  const { project, trials: plan } = await loadAndPlan(
    invocation
      ? {
          suites: invocation.suites,
          ...(invocation.config ? { config: invocation.config } : {}),
          ...(invocation.levels ? { levels: invocation.levels } : {}),
          ...(invocation.samples ? { samples: invocation.samples } : {}),
          ...(invocation.gateOn ? { gateOn: invocation.gateOn } : {}),
          filter: invocation.filter,
        }
      : args,
    io,
  );
  const { config } = project;
  const fingerprint = planFingerprint(plan);
  const shard = invocation ? (invocation.shard ?? undefined) : args.shard !== undefined ? parseShard(args.shard) : undefined;
  const trials = shard ? selectShard(plan, shard) : plan;
  if (previous && previous.plan.fingerprint !== fingerprint) {
    throw new EvalgateError('USAGE', `cannot resume ${args.resume}: its suites or config changed since it started, so its answers would mix two versions of the prompts`, {
      hint: 'start a new run; to keep the old answers, restore the suites as they were',
    });
  }
  const verdict = verdictFingerprint(project.suites, config.gate);
  const verdictChanged = previous?.plan.verdict ? verdictChanges(previous.plan.verdict, verdict) : [];
  if (verdictChanged.length > 0) {
    throw new EvalgateError('USAGE', `cannot resume ${args.resume}: ${verdictChanged.join(' and ')} changed since it started, so its first answers would be judged by other rules than its last`, {
      hint: 'start a new run; to re-judge stored answers under new rules, restore the rules and resume, then compare',
    });
  }
  const providerName = invocation?.provider ?? args.provider ?? config.provider;
  const seed = invocation ? (invocation.seed ?? undefined) : args.seed;
  const cassettes = invocation ? (invocation.cassettes ?? undefined) : args.cassettes;
  const concurrency = args.concurrency ?? config.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new EvalgateError('USAGE', `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${String(args.concurrency)}`);
  }

  const runId = previous?.runId ?? newRunId(new Date());
  const outRoot = path.resolve(config.rootDir, config.outDir);
  const runDir = resumeDir ?? (args.out ? path.resolve(io.cwd, args.out) : path.join(outRoot, runId));
  if (!previous && existsSync(path.join(runDir, 'results.jsonl'))) {
    throw new EvalgateError('USAGE', `${args.out ?? runDir} already holds a run; nothing was sent`, { hint: `continue it with --resume ${args.out ?? runDir}, or choose another --out` });
  }
  // Earlier runs in outDir (or --history), never this one, teach the estimate recorded beside the actual cost.
  const historyRoot = args.history !== undefined ? path.resolve(io.cwd, args.history) : outRoot;
  if (args.history !== undefined && !existsSync(historyRoot)) {
    throw new EvalgateError('USAGE', `--history ${args.history} does not exist`, { hint: 'give a run folder (it holds results.jsonl) or a folder of run folders, such as a downloaded baseline' });
  }
  const estimator = await loadCostEstimator(trials, config.models, historyRoot, { exclude: runDir, prompts: 'measured' });
  const receiver = await startWebhookReceiver(args, trials, providerName, io);
  let setup: Awaited<ReturnType<typeof createProvider>>;
  try {
    setup = await createProvider(providerName, config, io.env, {
      cwd: io.cwd,
      concurrency,
      ...(seed !== undefined ? { seed } : {}),
      ...(cassettes !== undefined ? { cassettes } : {}),
      ...(receiver ? { webhook: { receiver, fallbackAfterMs: config.webhook.fallbackAfterMs } } : {}),
    });
  } catch (error) {
    await receiver?.close();
    throw error;
  }
  if (setup.provider instanceof ReplayProvider) refuseUnrecorded(setup.provider, trials);
  const provider = args.record !== undefined ? new RecordingProvider(setup.provider, path.resolve(io.cwd, args.record), setup.simulated) : setup.provider;
  const configRecord: RunConfigRecord = {
    provider: setup.provider.name,
    concurrency,
    requestTimeoutMs: config.requestTimeoutMs,
    retry: config.retry,
    maxErrorRate: config.maxErrorRate,
    suites: project.suites.map((s) => ({ name: s.name, file: s.file, threshold: s.threshold, gateOn: s.gateOn ?? null })),
    filter: invocation?.filter ?? args.filter,
    thinkingLevels: invocation?.levels ?? args.levels ?? null,
    numberResults: (invocation?.samples ?? args.samples)?.map(Number) ?? null,
    apiUrl: setup.apiUrl,
    ...(setup.scenarios ? { placeholderSuites: suitesWithoutScenario(project.suites, setup.scenarios) } : {}),
  };
  const startedAt = previous ? new Date(previous.startedAt) : new Date();
  if (!previous) {
    await writeManifest(runDir, {
      schemaVersion: 1,
      runId,
      startedAt: startedAt.toISOString(),
      invocation: {
        suites: args.suites.map((s) => path.resolve(io.cwd, s)),
        config: config.configFile ?? null,
        provider: providerName,
        levels: args.levels ?? null,
        samples: args.samples ?? null,
        filter: args.filter,
        seed: args.seed ?? null,
        cassettes: args.cassettes !== undefined ? path.resolve(io.cwd, args.cassettes) : null,
        shard: shard ?? null,
        gateOn: args.gateOn ?? null,
      },
      plan: { trials: trials.length, allTrials: plan.length, fingerprint, verdict },
      provider: setup.provider.name,
      simulated: setup.simulated,
      config: configRecord,
    });
  }

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
      setTimeout(() => abort.abort(), Math.min(config.requestTimeoutMs, 30_000)).unref();
    } else {
      abort.abort();
    }
  });

  const reporters = buildReporters(args.reporter ?? config.reporters, io, { color: args.color, quiet: args.quiet, isShard: shard !== undefined });

  try {
    const summary = await runEval({
      runId,
      runDir,
      trials,
      provider,
      simulated: setup.simulated,
      thresholds: new Map(project.suites.map((s) => [s.name, s.threshold])),
      concurrency,
      requestTimeoutMs: config.requestTimeoutMs,
      retry: config.retry,
      assertionTimeoutMs: config.assertionTimeoutMs,
      reporters,
      clock: systemClock,
      stopSignal: stop.signal,
      abortSignal: abort.signal,
      configRecord,
      resume: previous !== undefined,
      startedAt,
      ...(baselineSummary ? { baseline: { summary: baselineSummary, policy: config.gate } } : {}),
      estimateCost: (planned) => estimator.estimate(planned),
      ...(traffic ? { traffic } : {}),
      ...(args.maxCost !== undefined ? { budget: { maxCostUsd: args.maxCost, allowPartial: args.allowPartial } } : {}),
      tell: (line) => io.stderr.write(`${sanitizeForTerminal(line)}\n`),
      ...(args.judgeCache ? { judgeCacheDir: path.resolve(config.rootDir, config.judge.cacheDir) } : {}),
      judgeCalibrations: findCalibrations(trials, path.resolve(config.rootDir, config.judge.calibrationsDir)),
    });
    if (!args.out && !resumeDir) pointLatestAt(outRoot, runDir);
    return summary.gate.exitCode;
  } finally {
    unsubscribe();
    await setup.close();
    if (receiver) {
      const { accepted, duplicates, rejected, ignored } = receiver.stats;
      io.stderr.write(`webhook: ${accepted} results received, ${duplicates} duplicates dropped, ${rejected} requests refused, ${ignored} ignored\n`);
      await receiver.close();
    }
  }
}

/** What defines the plan comes from run.json on resume; giving it again would be ambiguous. */
function refusePlanFlags(args: RunArgs): void {
  const given = [
    args.suites.length > 0 && 'suite paths',
    args.config !== undefined && '--config',
    args.provider !== undefined && '--provider',
    args.levels !== undefined && '--levels',
    args.samples !== undefined && '--samples',
    args.filter.length > 0 && '--filter',
    args.seed !== undefined && '--seed',
    args.out !== undefined && '--out',
    args.cassettes !== undefined && '--cassettes',
    args.shard !== undefined && '--shard',
    args.gateOn !== undefined && '--gate-on',
  ].filter(Boolean);
  if (given.length > 0) {
    throw new EvalgateError('USAGE', `--resume takes the plan from the run's run.json; ${given.join(', ')} cannot be given with it`, {
      hint: 'drop them, or start a new run',
    });
  }
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

/** `20261127-224552-3f9c`: sortable, unique enough, safe in a path. */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** `reports/latest` → the newest run (a relative symlink; a text file where links are not allowed). */
function pointLatestAt(outRoot: string, runDir: string): void {
  mkdirSync(outRoot, { recursive: true });
  const link = path.join(outRoot, 'latest');
  const target = path.relative(outRoot, runDir);
  rmSync(link, { force: true, recursive: false });
  try {
    symlinkSync(target, link, 'dir');
  } catch {
    writeFileSync(link, `${target}\n`);
  }
}
