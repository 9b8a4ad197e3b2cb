import type { Options, PositionalOptions } from 'yargs';
import { ExitCode } from '../core/evalgate-error.js';
import { ConfigError } from '../config/config-error.js';
import type { CliIo } from './cli-io.js';
import { packageVersion } from './package-version.js';
import {
  ADVISE_OPTIONS,
  BASELINE_OPTIONS,
  COMMENT_OPTIONS,
  COMPARE_OPTIONS,
  ESTIMATE_OPTIONS,
  INIT_OPTIONS,
  MERGE_OPTIONS,
  MODELS_OPTIONS,
  REPORT_OPTIONS,
  RESCORE_OPTIONS,
  CALIBRATE_OPTIONS,
  RUN_OPTIONS,
  SCENARIO_OPTIONS,
  SIMULATE_OPTIONS,
  SUITES_POSITIONAL,
  VALIDATE_OPTIONS,
  type AdviseArgs,
  type BaselineArgs,
  type CommentArgs,
  type CompareArgs,
  type EstimateArgs,
  type InitArgs,
  type MergeArgs,
  type ModelsArgs,
  type ReportArgs,
  type RescoreArgs,
  type CalibrateArgs,
  type RunArgs,
  type ScenarioArgs,
  type SimulateArgs,
  type ValidateArgs,
} from './cli-options.js';
import { reportError } from './report-error.js';
import { misusedBooleanFlag } from './boolean-flag-values.js';
import { endChoiceLists } from './end-choice-lists.js';
import { misusedNumberFlag } from './number-flag-values.js';
import { kebab, parseFast } from './parse-fast.js';
import { skipHelpCache } from './skip-help-cache.js';

/** What each command does, given its parsed arguments; returns the exit code. */
export interface CommandHandlers {
  run(args: RunArgs, io: CliIo): Promise<number>;
  validate(args: ValidateArgs, io: CliIo): Promise<number>;
  estimate(args: EstimateArgs, io: CliIo): Promise<number>;
  simulate(args: SimulateArgs, io: CliIo): Promise<number>;
  init(args: InitArgs, io: CliIo): Promise<number>;
  report(args: ReportArgs, io: CliIo): Promise<number>;
  compare(args: CompareArgs, io: CliIo): Promise<number>;
  merge(args: MergeArgs, io: CliIo): Promise<number>;
  baseline(args: BaselineArgs, io: CliIo): Promise<number>;
  advise(args: AdviseArgs, io: CliIo): Promise<number>;
  models(args: ModelsArgs, io: CliIo): Promise<number>;
  rescore(args: RescoreArgs, io: CliIo): Promise<number>;
  calibrate(args: CalibrateArgs, io: CliIo): Promise<number>;
  comment(args: CommentArgs, io: CliIo): Promise<number>;
  scenario(args: ScenarioArgs, io: CliIo): Promise<number>;
}

/** The real handlers, each loaded only when its command runs, so `--version` and `--help` start fast. */
export const defaultHandlers: CommandHandlers = {
  run: async (args, io) => (await import('./commands/run-command.js')).runCommand(args, io),
  validate: async (args, io) => (await import('./commands/validate-command.js')).validateCommand(args, io),
  estimate: async (args, io) => (await import('./commands/estimate-command.js')).estimateCommand(args, io),
  simulate: async (args, io) => (await import('./commands/simulate-command.js')).simulateCommand(args, io),
  init: async (args, io) => (await import('./commands/init-command.js')).initCommand(args, io),
  report: async (args, io) => (await import('./commands/report-command.js')).reportCommand(args, io),
  compare: async (args, io) => (await import('./commands/compare-command.js')).compareCommand(args, io),
  merge: async (args, io) => (await import('./commands/merge-command.js')).mergeCommand(args, io),
  baseline: async (args, io) => (await import('./commands/baseline-command.js')).baselineCommand(args, io),
  advise: async (args, io) => (await import('./commands/advise-command.js')).adviseCommand(args, io),
  models: async (args, io) => (await import('./commands/models-command.js')).modelsCommand(args, io),
  rescore: async (args, io) => (await import('./commands/rescore-command.js')).rescoreCommand(args, io),
  calibrate: async (args, io) => (await import('./commands/calibrate-command.js')).calibrateCommand(args, io),
  comment: async (args, io) => (await import('./commands/comment-command.js')).commentCommand(args, io),
  scenario: async (args, io) => (await import('./commands/scenario-command.js')).scenarioCommand(args, io),
};

/** The commands, as data: usage, description and flags; handlers are looked up by name. */
export const COMMANDS: readonly { name: keyof CommandHandlers; usage: string; describe: string; options: Record<string, Options>; positional?: [string, PositionalOptions] }[] = [
  {
    name: 'run',
    usage: 'run [suites..]',
    describe: 'Run suites, report, and gate (exit 0 pass, 1 gate failed, 2 config error, 3 infrastructure, 130 interrupted)',
    options: RUN_OPTIONS,
    positional: ['suites', SUITES_POSITIONAL],
  },
  { name: 'validate', usage: 'validate [suites..]', describe: 'Check the config and suites and show the plan; sends nothing', options: VALIDATE_OPTIONS, positional: ['suites', SUITES_POSITIONAL] },
  { name: 'simulate', usage: 'simulate', describe: 'Serve the Runware wire format locally with simulated answers', options: SIMULATE_OPTIONS },
  { name: 'init', usage: 'init', describe: 'Create evalconfig.yaml, an example suite and its simulator scenario here', options: INIT_OPTIONS },
  {
    name: 'report',
    usage: 'report <runDir>',
    describe: 'Rebuild every report of a run from its results.jsonl; sends nothing',
    options: REPORT_OPTIONS,
    positional: ['runDir', { type: 'string', describe: 'The run folder (reports/<run id>, or the --out of a run)' }],
  },
  {
    name: 'rescore',
    usage: 'rescore <runDir>',
    describe: "Check a run's stored answers with the suites' current assertions (judges through the cache) into a new run folder, reported and gated; sends no candidate request",
    options: RESCORE_OPTIONS,
    positional: ['runDir', { type: 'string', describe: 'The run folder whose answers to check again' }],
  },
  {
    name: 'calibrate',
    usage: 'calibrate <suite>',
    describe: "Measure a suite's judge against human labels (--labels): accuracy with its 95% interval, Cohen's kappa, the confusion matrix, cost",
    options: CALIBRATE_OPTIONS,
    positional: ['suite', { type: 'string', describe: 'The suite whose judge assertion to calibrate' }],
  },
  {
    name: 'compare',
    usage: 'compare <runA> <runB>',
    describe: 'Compare run B with run A setting by setting (pass rate by a paired test, cost, p95 latency), then case by case',
    options: COMPARE_OPTIONS,
  },
  {
    name: 'merge',
    usage: 'merge <runDirs..>',
    describe: 'Merge the shard folders of a run (--shard i/n) into one run, reported and gated as one',
    options: MERGE_OPTIONS,
    positional: ['runDirs', { type: 'string', array: true, describe: 'The shard folders' }],
  },
  {
    name: 'baseline',
    usage: 'baseline <action> [runDir]',
    describe: 'baseline save [run dir]: keep a run (default: the latest) as the baseline for --baseline',
    options: BASELINE_OPTIONS,
    positional: ['action', { type: 'string', choices: ['save'], describe: 'save' }],
  },
  {
    name: 'advise',
    usage: 'advise [runDir]',
    describe: 'How many cases each setting needs to detect a given drop (--drop 0.1)',
    options: ADVISE_OPTIONS,
  },
  { name: 'models', usage: 'models', describe: "List the model table: each model's AIR, what it takes, its price, and what is unconfirmed; sends nothing", options: MODELS_OPTIONS },
  {
    name: 'scenario',
    usage: 'scenario <suite>',
    describe: 'Write a starting simulator scenario for a suite, so an offline run answers its cases instead of placeholders',
    options: SCENARIO_OPTIONS,
    positional: ['suite', { type: 'string', describe: 'The suite file' }],
  },
  {
    name: 'comment',
    usage: 'comment [runDir]',
    describe: 'Post a run\'s verdict to the pull request (--github) or merge request (--gitlab) as one comment, updated by later runs',
    options: COMMENT_OPTIONS,
    positional: ['runDir', { type: 'string', describe: 'The run folder (default: <outDir>/latest)' }],
  },
  {
    name: 'estimate',
    usage: 'estimate [suites..]',
    describe: 'Estimate what a run will cost, learning from earlier runs, and project it to production traffic; sends nothing',
    options: ESTIMATE_OPTIONS,
    positional: ['suites', SUITES_POSITIONAL],
  },
];

type Chosen = { [K in keyof CommandHandlers]: { command: K; args: Parameters<CommandHandlers[K]>[0] } }[keyof CommandHandlers];

/**
 * Parses the command line, then runs the chosen command. Parsing is kept apart from doing: `handlers`
 * are injected, so tests check what a command line means without running anything. Every error ends
 * here, printed once, as an exit code; nothing deeper calls process.exit.
 */
export async function runCli(given: readonly string[], io: CliIo, handlers: CommandHandlers = defaultHandlers): Promise<number> {
  // `--reporter json evals/x.yaml`: the suite is the positional, not a reporter (both parsers see the same line).
  const argv = endChoiceLists(given, COMMANDS);
  // The usual command lines need no yargs (80–120 ms to load); anything else, help and every mistake included, goes to it.
  const misused = misusedBooleanFlag(argv, COMMANDS) ?? misusedNumberFlag(argv, COMMANDS);
  const fast = misused === undefined ? (parseFast(argv, COMMANDS) as Chosen | undefined) : undefined;
  const { chosen, usageError, printed } =
    misused !== undefined ? { chosen: undefined, usageError: misused, printed: '' } : fast ? { chosen: fast, usageError: undefined, printed: '' } : await parseWithYargs(argv);
  if (usageError !== undefined) {
    io.stderr.write(`${printed ? `${printed}\n\n` : ''}error USAGE: ${usageError}\n  hint: evalgate --help lists commands and options\n`);
    return ExitCode.usage;
  }
  if (!chosen) {
    if (printed) io.stdout.write(`${printed}\n`);
    return ExitCode.ok;
  }
  try {
    const handler = handlers[chosen.command] as (args: unknown, io: CliIo) => Promise<number>;
    return await handler(chosen.args, io);
  } catch (error) {
    if (error instanceof ConfigError && io.env.GITHUB_ACTIONS === 'true') {
      const { annotateDiagnostics } = await import('../reporters/workflow-annotations.js');
      io.stdout.write(`${annotateDiagnostics(error.diagnostics).join('\n')}\n`);
    }
    return reportError(error, io.stderr);
  }
}

/** What yargs makes of a command line: the command chosen, or a usage error, and what it printed (help, version). */
export async function parseWithYargs(argv: readonly string[]): Promise<{ chosen: Chosen | undefined; usageError: string | undefined; printed: string }> {
  const { default: yargs } = await import('yargs');
  let chosen: Chosen | undefined;
  let parser = yargs()
    .scriptName('evalgate')
    .usage('$0 <command> [options]\n\nEvaluate prompts on the Runware API across reasoning levels, and gate CI on the result.');
  for (const spec of COMMANDS) {
    parser = parser.command(
      spec.usage,
      spec.describe,
      (y) => (spec.positional ? y.positional(...spec.positional) : y).options(kebabCaseKeys(spec.options)),
      (args) => {
        chosen = { command: spec.name, args } as unknown as Chosen;
      },
    );
  }
  parser = parser
    .demandCommand(1, 'Give a command: run, validate, estimate, report, rescore, calibrate, compare, merge, baseline, advise, models, comment, scenario, simulate or init.')
    .strict()
    .recommendCommands()
    .version(packageVersion())
    .alias('h', 'help')
    .alias('v', 'version')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false);
  skipHelpCache(parser);

  let usageError: string | undefined;
  let printed = '';
  try {
    await parser.parseAsync([...argv], {}, (error: Error | undefined, _parsed: unknown, output: string) => {
      if (error) usageError = error.message;
      printed = output;
    });
  } catch (error) {
    usageError ??= (error as Error).message;
  }
  return { chosen: usageError === undefined ? chosen : undefined, usageError, printed };
}

/**
 * The flags as yargs shows them in help: kebab-case (`--max-cost`), as the docs and messages spell them.
 * Its camel-case expansion still hands the handlers `maxCost`, and still accepts `--maxCost`.
 */
function kebabCaseKeys<T>(options: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(options).map(([key, option]) => [kebab(key), option]));
}
