import { copyFileSync, existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { latestRunDir } from '../../run/latest-run.js';
import { displayPath } from '../../config/display-path.js';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { baselineCaveats, baselineCoverage } from '../../run/baseline-coverage.js';
import { readRunSummary } from '../../run/read-baseline.js';
import { MANIFEST_FILE, readManifest } from '../../run/run-manifest.js';
import type { CliIo } from '../cli-io.js';
import { loadCommandConfig } from './load-command-config.js';
import type { BaselineArgs } from '../cli-options.js';

const FILES = ['summary.json', 'results.jsonl', 'run.json'];

/**
 * `evalgate baseline save [run dir] [--to dir]`: keeps a run (by default the latest) as the baseline
 * that `--baseline` compares with (by default <outDir>/baseline, to commit or to keep as a CI artefact).
 * Refuses (exit 2) a run that makes a poor baseline unless `--force`; writes baseline.json saying
 * what it covers.
 */
export async function baselineCommand(args: BaselineArgs, io: CliIo): Promise<number> {
  const config = await loadCommandConfig(args, io);
  const outRoot = path.resolve(config.rootDir, config.outDir);
  const from = args.runDir !== undefined ? path.resolve(io.cwd, args.runDir) : latestRunDir(outRoot);
  const to = args.to !== undefined ? path.resolve(io.cwd, args.to) : path.join(outRoot, 'baseline');
  if (!existsSync(path.join(from, 'summary.json'))) {
    throw new EvalgateError('USAGE', `${displayPath(from, io.cwd)} has no summary.json to save`, { hint: 'run evalgate run first, or name a run folder' });
  }
  if (existsSync(to) && realpathSync(to) === realpathSync(from)) throw new EvalgateError('USAGE', 'the run is already the baseline');
  const summary = readRunSummary(from, io.cwd, 'baseline save');
  const manifest = existsSync(path.join(from, MANIFEST_FILE)) ? readManifest(from) : undefined;
  const caveats = baselineCaveats(summary, manifest);
  if (caveats.length > 0 && !args.force) {
    throw new EvalgateError('USAGE', `${displayPath(from, io.cwd)} would make a poor baseline: ${caveats.join('; ')}`, {
      hint: 'save a complete, unfiltered run of main (merged, if sharded); or --force to keep it anyway, its caveats recorded in baseline.json',
    });
  }
  mkdirSync(to, { recursive: true });
  const saved = FILES.filter((f) => existsSync(path.join(from, f)));
  for (const file of saved) copyFileSync(path.join(from, file), path.join(to, file));
  writeFileSync(path.join(to, 'baseline.json'), `${JSON.stringify(baselineCoverage(summary, caveats, new Date()), null, 2)}\n`);
  const forced = caveats.length > 0 ? ` (forced: ${caveats.join('; ')})` : '';
  io.stdout.write(`saved ${saved.join(', ')} of ${displayPath(from, io.cwd)} as the baseline in ${displayPath(to, io.cwd)}${forced}\nUse it: evalgate run --baseline ${displayPath(to, io.cwd)}\n`);
  return ExitCode.ok;
}
