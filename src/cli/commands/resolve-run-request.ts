import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../../config/load-config.js';
import type { Project } from '../../config/load-project.js';
import { MAX_CONCURRENCY, type ProviderName } from '../../config/config-schema.js';
import { parseTraffic, type Traffic } from '../../cost/traffic.js';
import { EvalgateError } from '../../core/evalgate-error.js';
import { parseShard, selectShard, selectShardByCase, type Shard } from '../../plan/select-shard.js';
import { orderTrialsByCase } from '../../plan/order-cases.js';
import type { UndecidedPolicy } from '../../results/sequential-summary.js';
import type { Trial } from '../../plan/trial.js';
import type { RunSummary } from '../../results/run-summary.js';
import { readBaseline } from '../../run/read-baseline.js';
import { verdictChanges, verdictFingerprint, type VerdictFingerprint } from '../../run/verdict-fingerprint.js';
import { planFingerprint, readManifest, type RunInvocation, type RunManifest } from '../../run/run-manifest.js';
import type { CliIo } from '../cli-io.js';
import type { RunArgs } from '../cli-options.js';
import { loadAndPlan } from './load-and-plan.js';

/**
 * Everything `evalgate run` decided from its command line, the configuration and (with `--resume`)
 * the run's run.json, before it builds a provider or sends anything: the plan, where the run goes and
 * how it is sent. Resume is settled here and only here: a resumed run's plan comes from its manifest.
 */
export interface RunRequest {
  project: Project;
  config: ResolvedConfig;
  /** Every trial of the plan, all shards. */
  plan: readonly Trial[];
  /** The trials of this invocation: the plan, or its shard. */
  trials: readonly Trial[];
  fingerprint: string;
  /** What decides the verdict (thresholds, gateOn, the gate's policy), recorded so that --resume cannot change it. */
  verdict: VerdictFingerprint;
  runId: string;
  runDir: string;
  /** The folder of run folders (`outDir`), where `latest` points at the newest. */
  outRoot: string;
  /** Point `<outDir>/latest` at this run when it ends (a run without --out or --resume). */
  isLatest: boolean;
  /** The manifest of the run being resumed; undefined for a new run. */
  resumed: RunManifest | undefined;
  startedAt: Date;
  /** What a new run's run.json records, for `--resume` to ask again exactly the same. */
  invocation: RunInvocation;
  providerName: ProviderName;
  seed: number | undefined;
  cassettes: string | undefined;
  concurrency: number;
  baseline: RunSummary | undefined;
  traffic: Traffic | undefined;
  budget: { maxCostUsd: number; allowPartial: boolean } | undefined;
  /** The case order (with --until-decided or --max-cases) and which suites sample until decided; undefined: the fixed plan in plan order. */
  sequential: SequentialRequest | undefined;
  /** `--shard i/n`, when given. */
  shard: Shard | undefined;
}

/** How a run draws its cases: in a seeded order, at most maxCases per suite, and which suites stop when decided. */
export interface SequentialRequest {
  orderSeed: number;
  maxCases: number | null;
  /** Suites that sample until decided (none: --max-cases alone draws a random subset of each suite). */
  suites: ReadonlySet<string>;
  undecided: UndecidedPolicy;
}

/** Reads the command line, the configuration and, on `--resume`, run.json into one RunRequest; sends nothing. */
export async function resolveRunRequest(args: RunArgs, io: CliIo): Promise<RunRequest> {
  const resumeDir = args.resume !== undefined ? path.resolve(io.cwd, args.resume) : undefined;
  const previous = resumeDir ? readManifest(resumeDir) : undefined;
  if (previous) refusePlanFlags(args);
  if (args.seed !== undefined && !Number.isSafeInteger(args.seed)) throw new EvalgateError('USAGE', `--seed must be a whole number, got ${String(args.seed)}`);
  const traffic = args.traffic !== undefined ? parseTraffic(args.traffic) : undefined;
  if (args.orderSeed !== undefined && !Number.isSafeInteger(args.orderSeed)) throw new EvalgateError('USAGE', `--order-seed must be a whole number, got ${String(args.orderSeed)}`);
  if (args.maxCases !== undefined && !(Number.isInteger(args.maxCases) && args.maxCases >= 1)) {
    throw new EvalgateError('USAGE', `--max-cases must be a whole number of at least 1, got ${String(args.maxCases)}`);
  }
  if (args.maxCost !== undefined && !(args.maxCost > 0)) throw new EvalgateError('USAGE', `--max-cost must be a positive number of USD, got ${String(args.maxCost)}`);

  // A resumed run asks again exactly what it first asked: the same suites, config, filters and levels.
  const invocation = previous?.invocation;
  const { project, trials: planned } = await loadAndPlan(
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
  const untilDecided = invocation ? (invocation.untilDecided ?? undefined) : args.untilDecided;
  const maxCases = (invocation ? invocation.maxCases : args.maxCases) ?? config.sequential.maxCases;
  const sequentialSuites = new Set(project.suites.filter((s) => untilDecided ?? s.untilDecided ?? false).map((s) => s.name));
  const ordered = sequentialSuites.size > 0 || maxCases !== null;
  const orderSeed = invocation ? (invocation.orderSeed ?? 0) : (args.orderSeed ?? randomBytes(4).readUInt32BE(0));
  // Sequential sampling takes cases in a seeded random order; --max-cases keeps the first drawn.
  const plan = ordered ? orderTrialsByCase(planned, orderSeed, maxCases) : planned;
  const fingerprint = planFingerprint(plan);
  const baseline = resolveBaseline(args, io, previous, sequentialSuites.size > 0);
  const shard: Shard | undefined = invocation ? (invocation.shard ?? undefined) : args.shard !== undefined ? parseShard(args.shard) : undefined;
  // Sampling until decided weighs whole cases, so its shards are dealt by case (in the drawn order).
  const trials = shard ? (ordered ? selectShardByCase(plan, shard) : selectShard(plan, shard)) : plan;
  if (previous && previous.plan.fingerprint !== fingerprint) {
    throw new EvalgateError('USAGE', `cannot resume ${args.resume}: its suites or config changed since it started, so its answers would mix two versions of the prompts`, {
      hint: 'start a new run; to keep the old answers, restore the suites as they were',
    });
  }
  // With sequential sampling on, when a setting stops is part of its verdict too.
  const verdict = verdictFingerprint(project.suites, sequentialSuites.size > 0 ? { gate: config.gate, sequential: { undecided: config.sequential.undecided, suites: [...sequentialSuites].sort() } } : config.gate);
  const verdictChanged = previous?.plan.verdict ? verdictChanges(previous.plan.verdict, verdict) : [];
  if (verdictChanged.length > 0) {
    throw new EvalgateError('USAGE', `cannot resume ${args.resume}: ${verdictChanged.join(' and ')} changed since it started, so its first answers would be judged by other rules than its last`, {
      hint: 'start a new run; to re-judge stored answers under new rules, restore the rules and resume, then compare',
    });
  }
  const providerName = invocation?.provider ?? args.provider ?? config.provider;
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
  return {
    project,
    config,
    plan,
    trials,
    fingerprint,
    verdict,
    runId,
    runDir,
    outRoot,
    isLatest: !args.out && !resumeDir,
    resumed: previous,
    startedAt: previous ? new Date(previous.startedAt) : new Date(),
    invocation: invocation ?? {
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
      untilDecided: args.untilDecided ?? null,
      maxCases: args.maxCases ?? null,
      orderSeed: ordered ? orderSeed : null,
      baseline: sequentialSuites.size > 0 && baseline && args.baseline !== undefined ? { path: path.resolve(io.cwd, args.baseline), runId: baseline.runId } : null,
    },
    providerName,
    seed: invocation ? (invocation.seed ?? undefined) : args.seed,
    cassettes: invocation ? (invocation.cassettes ?? undefined) : args.cassettes,
    concurrency,
    baseline,
    traffic,
    budget: args.maxCost !== undefined ? { maxCostUsd: args.maxCost, allowPartial: args.allowPartial } : undefined,
    sequential: ordered ? { orderSeed, maxCases, suites: sequentialSuites, undecided: config.sequential.undecided } : undefined,
    shard,
  };
}

/**
 * `--baseline`. A run that samples until decided stops against its baseline, so its resume must keep
 * it: without the flag it reads the one run.json recorded, and refuses another, or one newly given.
 */
function resolveBaseline(args: RunArgs, io: CliIo, previous: RunManifest | undefined, sequential: boolean): RunSummary | undefined {
  const given = args.baseline !== undefined ? readBaseline(args.baseline, io.cwd) : undefined;
  if (!previous || !sequential) return given;
  const recorded = previous.invocation.baseline ?? null;
  if (recorded === null) {
    if (!given) return undefined;
    throw new EvalgateError('USAGE', `cannot resume ${args.resume} with --baseline: it samples until decided and started without one, so a baseline now would change when its settings stop`, {
      hint: 'resume without --baseline, then compare the finished run with evalgate compare',
    });
  }
  const baseline = given ?? readBaseline(recorded.path, io.cwd);
  if (baseline.runId !== recorded.runId) {
    throw new EvalgateError('USAGE', `cannot resume ${args.resume}: it samples until decided against baseline ${recorded.runId}, and ${given ? `--baseline ${args.baseline}` : recorded.path} is run ${baseline.runId}`, {
      hint: `resume with --baseline pointing at run ${recorded.runId} (it was ${recorded.path}), or start a new run`,
    });
  }
  return baseline;
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
    args.untilDecided !== undefined && '--until-decided',
    args.maxCases !== undefined && '--max-cases',
    args.orderSeed !== undefined && '--order-seed',
  ].filter(Boolean);
  if (given.length > 0) {
    throw new EvalgateError('USAGE', `--resume takes the plan from the run's run.json; ${given.join(', ')} cannot be given with it`, {
      hint: 'drop them, or start a new run',
    });
  }
}

/** `20261127-224552-3f9c`: sortable, unique enough, safe in a path. */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
