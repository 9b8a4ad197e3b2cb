import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../../config/display-path.js';
import { ESTIMATE_SCHEMA_VERSION, type EstimateFile } from '../../cost/cost-estimate.js';
import { loadCostEstimator } from '../../cost/load-cost-estimator.js';
import { projectPlan } from '../../cost/project-settings.js';
import { parseTraffic } from '../../cost/traffic.js';
import { EvalgateError, ExitCode } from '../../errors.js';
import { renderEstimateReport } from '../../reporters/render-estimate-report.js';
import { makePainter } from '../../reporters/terminal-text.js';
import { writeFileAtomic } from '../../reporters/write-file-atomic.js';
import { isColorWanted, type CliIo } from '../cli-io.js';
import type { EstimateArgs } from '../cli-options.js';
import { loadAndPlan } from './load-and-plan.js';

/**
 * `evalgate estimate`: loads and plans like `run`, then estimates what the plan will cost from
 * earlier runs' results (and projects it to `--traffic`); prints the report and writes estimate.json.
 * Sends nothing and spends nothing; exits 0.
 */
export async function estimateCommand(args: EstimateArgs, io: CliIo): Promise<number> {
  const traffic = args.traffic !== undefined ? parseTraffic(args.traffic) : undefined;
  const historyRoot = args.history !== undefined ? path.resolve(io.cwd, args.history) : undefined;
  if (historyRoot !== undefined && !existsSync(historyRoot)) {
    throw new EvalgateError('USAGE', `--history ${args.history} does not exist`, { hint: 'give a run folder (it holds results.jsonl) or a folder of run folders, such as reports/' });
  }
  const { project, trials } = await loadAndPlan(args, io);
  const root = historyRoot ?? path.resolve(project.config.rootDir, project.config.outDir);
  const estimator = await loadCostEstimator(trials, project.config.models, root);
  const estimate = estimator.estimate(trials);
  const file: EstimateFile = {
    schemaVersion: ESTIMATE_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    historyDir: displayPath(root, io.cwd),
    ...estimate,
    projection: traffic ? projectPlan(estimate, estimator.history, traffic) : null,
  };
  const outDir = path.resolve(io.cwd, args.out ?? '.');
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, 'estimate.json');
  await writeFileAtomic(outFile, `${JSON.stringify(file, null, 2)}\n`);
  const paint = makePainter(isColorWanted(io, args.color));
  io.stdout.write(renderEstimateReport(file, project.suites, paint));
  io.stdout.write(paint('dim', `Wrote ${displayPath(outFile, io.cwd)}\n`));
  return ExitCode.ok;
}
