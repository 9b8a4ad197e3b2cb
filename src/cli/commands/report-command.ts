import { existsSync } from 'node:fs';
import path from 'node:path';
import { EvalgateError } from '../../core/evalgate-error.js';
import { announceFinished } from '../../run/finish-run.js';
import { readBaseline } from '../../run/read-baseline.js';
import { MANIFEST_FILE, readManifest } from '../../run/run-manifest.js';
import { summarizeRunFolder } from '../../run/summarize-run-folder.js';
import { readRecordedSequential } from '../../run/read-recorded-sequential.js';
import type { CliIo } from '../cli-io.js';
import { loadCommandConfig } from './load-command-config.js';
import type { ReportArgs } from '../cli-options.js';
import { buildReporters } from './build-reporters.js';

/**
 * `evalgate report <run dir>`: rebuilds every report of a run from its results.jsonl (and run.json,
 * for thresholds and what the run was), without sending anything. Exits with the gate's verdict.
 */
export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number> {
  const runDir = path.resolve(io.cwd, args.runDir);
  if (!existsSync(path.join(runDir, 'results.jsonl'))) {
    throw new EvalgateError('USAGE', `${args.runDir} holds no results.jsonl`, { hint: 'give the folder of a run (reports/<run id>, or the --out of evalgate run)' });
  }
  const config = await loadCommandConfig(args, io);
  const manifest = existsSync(path.join(runDir, MANIFEST_FILE)) ? readManifest(runDir) : undefined;
  if (!manifest) io.stderr.write(`note: ${args.runDir} has no ${MANIFEST_FILE}; thresholds are the config's default (${config.threshold})\n`);
  const baseline = args.baseline !== undefined ? { summary: readBaseline(args.baseline, io.cwd), policy: config.gate } : undefined;
  // A sequential run's decisions are read back from its summary.json: its samples alone cannot give them.
  const sequential = readRecordedSequential([runDir], manifest, (line) => io.stderr.write(`${line}\n`));
  const summary = await summarizeRunFolder(runDir, manifest, config, baseline, sequential);
  const reporters = buildReporters(args.reporter ?? ['console', 'json', 'junit', 'markdown', 'html'], io, { color: args.color, quiet: true });
  await announceFinished(reporters, summary, runDir);
  return summary.gate.exitCode;
}
