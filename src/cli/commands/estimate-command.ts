import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../../config/display-path.js';
import { ESTIMATE_SCHEMA_VERSION, type EstimateFile } from '../../cost/cost-estimate.js';
import { loadCostEstimator } from '../../cost/load-cost-estimator.js';
import { projectPlan } from '../../cost/project-settings.js';
import { parseTraffic } from '../../cost/traffic.js';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { resolveRunwareAccess } from '../../providers/runware-access.js';
import { renderEstimateReport } from '../../reporters/render-estimate-report.js';
import { makePainter } from '../../reporters/terminal-text.js';
import { writeFileAtomic } from '../../core/write-file-atomic.js';
import { isColorWanted, type CliIo } from '../cli-io.js';
import type { EstimateArgs } from '../cli-options.js';
import { loadAndPlan } from './load-and-plan.js';
import { isGatedSetting } from '../../config/gate-on.js';
import { isSimulatedRun } from '../../run/run-manifest.js';

/**
 * `evalgate estimate`: loads and plans like `run`, then estimates what the plan will cost from
 * earlier runs' results (and projects it to `--traffic`); prints the report and writes estimate.json.
 * Spends nothing; exits 0. It sends nothing either, except with `--exact`: one dry run per distinct
 * request, which Runware validates and prices without running or charging it. With `--until-decided`,
 * also what sampling until decided is expected to spend, from the pass rates of the same history.
 */
export async function estimateCommand(args: EstimateArgs, io: CliIo): Promise<number> {
  const traffic = args.traffic !== undefined ? parseTraffic(args.traffic) : undefined;
  const historyRoot = args.history !== undefined ? path.resolve(io.cwd, args.history) : undefined;
  if (historyRoot !== undefined && !existsSync(historyRoot)) {
    throw new EvalgateError('USAGE', `--history ${args.history} does not exist`, { hint: 'give a run folder (it holds results.jsonl) or a folder of run folders, such as reports/' });
  }
  const access = args.exact
    ? resolveRunwareAccess(io.env, {
        message: '--exact asks Runware to price the requests, and RUNWARE_API_KEY is not set; nothing was sent.',
        hint: 'export RUNWARE_API_KEY=<your key>, or estimate without --exact (prompt tokens are then counted here)',
      })
    : undefined;
  const { project, trials } = await loadAndPlan(args, io);
  const { config } = project;
  const root = historyRoot ?? path.resolve(config.rootDir, config.outDir);
  const estimator = await loadCostEstimator(trials, config.models, root);
  // The HTTP client (undici, about 100 ms to load) only for --exact.
  const exactPromptUsd = access
    ? await (await import('../../providers/runware/price-by-dry-run.js')).priceByDryRun(trials, {
        apiUrl: access.apiUrl.href,
        apiKey: access.apiKey,
        dryRun: config.dryRun,
        concurrency: config.concurrency,
        timeoutMs: config.requestTimeoutMs,
      })
    : undefined;
  const estimate = estimator.estimate(trials, exactPromptUsd);
  const file: EstimateFile = {
    schemaVersion: ESTIMATE_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    historyDir: displayPath(root, io.cwd),
    ...estimate,
    projection: traffic ? projectPlan(estimate, estimator.history, traffic) : null,
    untilDecided: null,
  };
  if (args.untilDecided) {
    // The sequential tests and their simulation load only for --until-decided (start-up, docs/performance.md).
    const [{ readPassRateHistory }, { estimateSequentialCost }, { orderTrialsByCase }] = await Promise.all([
      import('../../cost/read-pass-rate-history.js'),
      import('../../gate/estimate-sequential-cost.js'),
      import('../../plan/order-cases.js'),
    ]);
    const suites = new Map(project.suites.map((s) => [s.name, s]));
    file.untilDecided = estimateSequentialCost({
      // Which cases a capped run draws does not matter here: every simulated case draws its own rate.
      trials: config.sequential.maxCases !== null ? orderTrialsByCase(trials, 0, config.sequential.maxCases) : trials,
      estimate,
      history: readPassRateHistory(estimator.read.runDirs),
      isGated: (setting) => isGatedSetting(suites.get(setting.suite)?.gateOn ?? null, setting),
      threshold: (suite) => suites.get(suite)?.threshold ?? config.threshold,
      policy: config.gate,
    });
  }
  const outDir = path.resolve(io.cwd, args.out ?? '.');
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, 'estimate.json');
  await writeFileAtomic(outFile, `${JSON.stringify(file, null, 2)}\n`);
  const paint = makePainter(isColorWanted(io, args.color));
  io.stdout.write(renderEstimateReport(file, project.suites, paint));
  const simulated = estimator.read.runDirs.filter(isSimulatedRun).length;
  if (simulated > 0) {
    const runs = estimator.read.runDirs.length;
    const these = `${simulated} of ${runs} run${runs === 1 ? '' : 's'} learned from ${simulated === 1 ? 'was' : 'were'} simulated`;
    io.stdout.write(paint('yellow', `History: ${these} (the built-in simulator, or a replay of it): tokens and costs learned from ${simulated === 1 ? 'it are' : 'them are'} illustrative, not what Runware bills; point --history at runs of the real API before trusting these figures\n`));
  }
  io.stdout.write(paint('dim', `Wrote ${displayPath(outFile, io.cwd)}\n`));
  return ExitCode.ok;
}

