import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ReporterName } from '../../config/config-schema.js';
import { displayPath } from '../../config/display-path.js';
import { EvalgateError } from '../../errors.js';
import { createProvider } from '../../providers/create-provider.js';
import { createConsoleReporter } from '../../reporters/console-reporter.js';
import type { Reporter } from '../../reporters/reporter.js';
import { createSummaryJsonReporter } from '../../reporters/summary-json-reporter.js';
import type { RunConfigRecord } from '../../results/run-summary.js';
import { systemClock } from '../../run/clock.js';
import { runEval } from '../../run/run-eval.js';
import { isColorWanted, type CliIo } from '../cli-io.js';
import type { RunArgs } from '../cli-options.js';
import { loadAndPlan } from './load-and-plan.js';

/** `evalgate run`: load, plan, run, report, gate. Returns the gate's exit code. */
export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const { project, trials } = await loadAndPlan(args, io);
  const { config } = project;
  const providerName = args.provider ?? config.provider;
  const concurrency = args.concurrency ?? config.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new EvalgateError('USAGE', `--concurrency must be a whole number of at least 1, got ${String(args.concurrency)}`);
  }

  const setup = await createProvider(providerName, config, io.env, { cwd: io.cwd, concurrency, ...(args.seed !== undefined ? { seed: args.seed } : {}) });
  const runId = newRunId(new Date());
  const outRoot = path.resolve(config.rootDir, config.outDir);
  const runDir = args.out ? path.resolve(io.cwd, args.out) : path.join(outRoot, runId);

  const stop = new AbortController();
  const abort = new AbortController();
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

  const reporters = buildReporters(args.reporter ?? config.reporters, io, args.color);
  const configRecord: RunConfigRecord = {
    provider: setup.provider.name,
    concurrency,
    requestTimeoutMs: config.requestTimeoutMs,
    retry: config.retry,
    maxErrorRate: config.maxErrorRate,
    suites: project.suites.map((s) => ({ name: s.name, file: s.file, threshold: s.threshold })),
    filter: args.filter,
    thinkingLevels: args.levels ?? null,
    numberResults: args.samples ? args.samples.map(Number) : null,
    apiUrl: setup.apiUrl,
  };

  try {
    const summary = await runEval({
      runId,
      runDir,
      trials,
      provider: setup.provider,
      simulated: setup.simulated,
      thresholds: new Map(project.suites.map((s) => [s.name, s.threshold])),
      concurrency,
      requestTimeoutMs: config.requestTimeoutMs,
      retry: config.retry,
      maxErrorRate: config.maxErrorRate,
      reporters,
      clock: systemClock,
      stopSignal: stop.signal,
      abortSignal: abort.signal,
      configRecord,
    });
    if (!args.out) pointLatestAt(outRoot, runDir);
    if (!reporters.length) io.stdout.write(`${displayPath(runDir, io.cwd)}\n`);
    return summary.gate.exitCode;
  } finally {
    unsubscribe();
    await setup.close();
  }
}

function buildReporters(names: readonly ReporterName[], io: CliIo, color: boolean | undefined): Reporter[] {
  return [...new Set(names)].map((name) => {
    switch (name) {
      case 'console':
        return createConsoleReporter({ write: (t) => io.stdout.write(t), isTTY: io.stdout.isTTY, color: isColorWanted(io, color), now: () => performance.now(), cwd: io.cwd });
      case 'json':
        return createSummaryJsonReporter();
    }
  });
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
