import path from 'node:path';
import { announceFinished } from '../../run/finish-run.js';
import { mergeRuns } from '../../run/merge-runs.js';
import { readBaseline } from '../../run/read-baseline.js';
import { summarizeRunFolder } from '../../run/summarize-run-folder.js';
import { readRecordedSequential } from '../../run/read-recorded-sequential.js';
import type { CliIo } from '../cli-io.js';
import { loadCommandConfig } from './load-command-config.js';
import type { MergeArgs } from '../cli-options.js';
import { buildReporters } from './build-reporters.js';
import { newRunId } from './resolve-run-request.js';

/** `evalgate merge <dirs..> --out <dir>`: one run from the shards of a run, reported and gated as one. */
export async function mergeCommand(args: MergeArgs, io: CliIo): Promise<number> {
  const config = await loadCommandConfig(args, io);
  const baseline = args.baseline !== undefined ? { summary: readBaseline(args.baseline, io.cwd), policy: config.gate } : undefined;
  const outDir = path.resolve(io.cwd, args.out);
  const merged = await mergeRuns(
    args.runDirs.map((d) => path.resolve(io.cwd, d)),
    outDir,
    { allowIncomplete: args.allowIncomplete, runId: newRunId(new Date()) },
  );
  io.stderr.write(`merged ${args.runDirs.length} folder${args.runDirs.length === 1 ? '' : 's'}: ${merged.samples} samples${merged.duplicates ? ` (${merged.duplicates} duplicates dropped)` : ''}\n`);
  // Each shard decided for its own cases at alpha ÷ shards; the merged run combines their decisions.
  const sequential = readRecordedSequential(args.runDirs.map((d) => path.resolve(io.cwd, d)), merged.manifest, (line) => io.stderr.write(`${line}\n`));
  const summary = await summarizeRunFolder(outDir, merged.manifest, config, baseline, sequential);
  await announceFinished(buildReporters(args.reporter ?? config.reporters, io, { color: args.color, quiet: true }), summary, outDir);
  return summary.gate.exitCode;
}
