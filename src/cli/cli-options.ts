import type { Options, PositionalOptions } from 'yargs';
import { PROVIDERS, REPORTERS } from '../config/choices.js';
import type { RunArgs, ValidateArgs, EstimateArgs, SimulateArgs, ReportArgs, RescoreArgs, CalibrateArgs, MergeArgs, CompareArgs, BaselineArgs, AdviseArgs, ModelsArgs, CommentArgs, ScenarioArgs, InitArgs } from './cli-args.js';

export type { RunArgs, ValidateArgs, EstimateArgs, SimulateArgs, ReportArgs, RescoreArgs, CalibrateArgs, MergeArgs, CompareArgs, BaselineArgs, AdviseArgs, ModelsArgs, CommentArgs, ScenarioArgs, InitArgs } from './cli-args.js';


/** Splits `a,b` and repeated flags into one list. */
const commaList = (values: unknown): string[] =>
  (Array.isArray(values) ? values : [values])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

export const SUITES_POSITIONAL: PositionalOptions = {
  type: 'string',
  array: true,
  default: [],
  describe: 'Suite files, folders or globs (default: `suites` in evalconfig.yaml)',
};

const config: Options = { type: 'string', alias: 'c', describe: 'Path to evalconfig.yaml (default: ./evalconfig.yaml if present)' };
const levels: Options = { type: 'string', array: true, coerce: commaList, describe: 'Thinking levels to run instead of the suites\' own (e.g. low,high)' };
const samples: Options = { type: 'string', array: true, coerce: commaList, describe: 'numberResults values to run instead of the suites\' own (e.g. 1,4)' };
const traffic: Options = { type: 'string', describe: 'Project cost to production traffic, e.g. 50000/day or 1.5M/month' };
const color: Options = { type: 'boolean', describe: 'Colour the output (default: on a terminal, unless NO_COLOR is set)' };
/** Every command takes --color/--no-color (CI scripts pass it to all); those that print no colour ignore it. */
const colorIgnored: Options = { type: 'boolean', describe: 'Accepted, as on every command; this one prints no colour' };
/** -q, on the commands that print the console report (as run does): they show no progress display anyway. */
const quietIgnored: Options = { type: 'boolean', alias: 'q', describe: 'Accepted, as on run; this command shows no progress display anyway' };
const gateOn: Options = {
  type: 'string',
  array: true,
  describe: 'Gate only these settings, e.g. thinkingLevel=medium or model=openai-gpt-5-5 (repeatable; values comma-separated); the others are measured, never failed. Replaces gateOn in suites and evalconfig.yaml',
};
const judgeCache: Options = {
  type: 'boolean',
  default: true,
  describe: 'Reuse judge verdicts cached on disk (judge.cacheDir); --no-judge-cache asks, and pays for, every verdict again',
};
const filter: Options = { type: 'string', array: true, default: [], describe: 'Run only matching cases: a glob over suite/case, or tag:<name>; repeatable' };

/** Flags as data, typed against the parsed arguments: a flag without a field (or the reverse) fails the type check. */
export const RUN_OPTIONS = {
  config,
  provider: { type: 'string', choices: PROVIDERS, describe: 'Where requests go: runware, simulator (offline) or replay (recorded answers); default: `provider` in evalconfig.yaml, else runware' },
  levels,
  samples,
  concurrency: { type: 'number', describe: 'Requests in flight at once, 1 to 1024 (default: `concurrency` in evalconfig.yaml, else 8)' },
  filter,
  out: { type: 'string', describe: 'Run folder to write (default: <outDir>/<run id>)' },
  reporter: { type: 'string', array: true, choices: REPORTERS, coerce: commaList, describe: 'Reports to produce; summary.json is always written (default: `reporters` in evalconfig.yaml)' },
  seed: { type: 'number', describe: 'Seed of the simulator (with --provider simulator)' },
  color,
  resume: { type: 'string', describe: 'Continue the interrupted run in this folder: send only the trials it has not recorded' },
  maxCost: { type: 'number', describe: 'Never spend more than this many USD: refuse a run whose expected cost or worst case is above it, and stop sending before it would be passed' },
  allowPartial: { type: 'boolean', default: false, describe: 'With --max-cost: run a plan whose worst case is above the budget, until the budget is reserved' },
  record: { type: 'string', describe: 'Store every answer in this folder, for --provider replay' },
  cassettes: { type: 'string', describe: 'With --provider replay: the folder of recorded answers (default: `cassettes` in evalconfig.yaml)' },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No progress display (the report at the end is still printed)' },
  baseline: { type: 'string', describe: 'Compare with this run (its folder or summary.json); a significant regression fails the gate (exit 1)' },
  gateOn,
  shard: { type: 'string', describe: 'Run part i of n of the plan (e.g. 2/3), for parallel CI jobs; evalgate merge combines the parts' },
  traffic: { ...traffic, describe: 'Project cost to production traffic in summary.json and the report, e.g. 50000/day or 1.5M/month' },
  history: { type: 'string', describe: 'Learn the cost estimate (and --max-cost\'s expectation) from this run folder or folder of run folders instead of `outDir`, e.g. a baseline downloaded in CI' },
  webhookListen: {
    type: 'string',
    describe: 'Receive async results by webhook: listen on HOST:PORT (e.g. 0.0.0.0:8080) and send each async task a webhookURL with a per-run secret token; polling covers what is late',
  },
  webhookPublicUrl: { type: 'string', describe: 'With --webhook-listen: the URL Runware reaches the listener at (a tunnel, a CI runner); default http://HOST:PORT' },
  judgeCache,
  untilDecided: {
    type: 'boolean',
    describe: 'Draw cases in a seeded random order and stop each setting as soon as anytime-valid tests decide its verdict (threshold; with --baseline, regression); --no-until-decided runs the fixed plan. Default: each suite\'s untilDecided, else sequential.untilDecided in evalconfig.yaml',
  },
  maxCases: { type: 'number', describe: 'At most this many cases of each suite, the first of the seeded random order (default: sequential.maxCases in evalconfig.yaml, else every case)' },
  orderSeed: { type: 'number', describe: 'Seed of the random case order (default: drawn at random; recorded in run.json and summary.json)' },
} satisfies Record<Exclude<keyof RunArgs, 'suites'>, Options>;

export const ESTIMATE_OPTIONS = {
  config,
  levels,
  samples,
  filter,
  history: { type: 'string', describe: 'Learn output and thinking tokens from this run folder, or folder of run folders (default: `outDir` in evalconfig.yaml)' },
  out: { type: 'string', describe: 'Folder to write estimate.json to (default: the current folder)' },
  traffic,
  exact: { type: 'boolean', default: false, describe: 'Price prompts with Runware dry runs (needs RUNWARE_API_KEY; validated and priced, never run or charged)' },
  color,
  untilDecided: {
    type: 'boolean',
    default: false,
    describe: 'Also estimate what run --until-decided would spend: its sequential tests simulated at each setting\'s pass rate in the history (settings without one are priced at the fixed plan)',
  },
} satisfies Record<Exclude<keyof EstimateArgs, 'suites'>, Options>;

export const VALIDATE_OPTIONS = {
  config,
  levels,
  samples,
  filter,
  gateOn,
  showJudgePrompt: { type: 'boolean', default: false, describe: 'Print the prompt judge assertions send (system prompt, message template, verdict schema) and its version' },
  color: colorIgnored,
} satisfies Record<Exclude<keyof ValidateArgs, 'suites'>, Options>;

export const SIMULATE_OPTIONS = {
  config,
  port: { type: 'number', default: 8787, describe: 'Port to listen on (0: any free port)' },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' },
  seed: { type: 'number', describe: 'Seed for the simulated answers (default: simulator.seed in evalconfig.yaml)' },
  scenarios: { type: 'string', describe: 'Folder of scenario files (default: simulator.scenarios in evalconfig.yaml)' },
  latencyScale: { type: 'number', describe: 'Multiply simulated latencies (0: answer at once)' },
  fixedLatencyMs: { type: 'number', describe: 'Answer every request in exactly this many ms (for benchmarks)' },
  color: colorIgnored,
} satisfies Record<keyof SimulateArgs, Options>;

export const REPORT_OPTIONS = {
  config,
  reporter: { type: 'string', array: true, choices: REPORTERS, coerce: commaList, describe: 'Reports to rebuild (default: all five)' },
  color: { type: 'boolean', describe: 'Colour the output (default: on a terminal, unless NO_COLOR is set)' },
  baseline: { type: 'string', describe: 'Compare with this run (its folder or summary.json)' },
  quiet: quietIgnored,
} satisfies Record<Exclude<keyof ReportArgs, 'runDir'>, Options>;

export const RESCORE_OPTIONS = {
  out: { type: 'string', describe: 'The new run folder to write (default: <outDir>/<new run id>)' },
  reporter: { type: 'string', array: true, choices: REPORTERS, coerce: commaList, describe: 'Reports to write (default: `reporters` in evalconfig.yaml)' },
  color,
  baseline: { type: 'string', describe: 'Compare the rescored run with this run (its folder or summary.json)' },
  judgeCache,
  quiet: quietIgnored,
} satisfies Record<Exclude<keyof RescoreArgs, 'runDir'>, Options>;

export const CALIBRATE_OPTIONS = {
  labels: { type: 'string', demandOption: true, describe: 'Human labels: a .jsonl or .csv file with case, text, pass (true/false) and an optional note' },
  config,
  provider: { type: 'string', choices: PROVIDERS, describe: 'Where judge requests go (default: `provider` in evalconfig.yaml)' },
  seed: { type: 'number', describe: 'Seed of the simulator (with --provider simulator)' },
  json: { type: 'boolean', default: false, describe: 'Print the calibration as JSON' },
  judgeCache,
  color: colorIgnored,
} satisfies Record<Exclude<keyof CalibrateArgs, 'suite'>, Options>;

export const MERGE_OPTIONS = {
  config,
  out: { type: 'string', demandOption: true, describe: 'The merged run folder to write' },
  allowIncomplete: { type: 'boolean', default: false, describe: 'Merge even when shards are missing (the run counts as interrupted)' },
  baseline: { type: 'string', describe: 'Compare the merged run with this run (its folder or summary.json)' },
  reporter: { type: 'string', array: true, choices: REPORTERS, coerce: commaList, describe: 'Reports to write; summary.json is always written (default: `reporters` in evalconfig.yaml)' },
  color: { type: 'boolean', describe: 'Colour the output (default: on a terminal, unless NO_COLOR is set)' },
  quiet: quietIgnored,
} satisfies Record<Exclude<keyof MergeArgs, 'runDirs'>, Options>;

export const COMPARE_OPTIONS = {
  config,
  by: { type: 'string', choices: ['setting', 'suite'] as const, default: 'setting', describe: 'Pair groups with the same setting, or (suite) the one group of each suite in each run' },
  json: { type: 'boolean', default: false, describe: 'Print the comparison as JSON' },
  allCases: { type: 'boolean', default: false, describe: 'List every case the runs share side by side (default: the first 20, changed cases first)' },
  color: colorIgnored,
} satisfies Record<Exclude<keyof CompareArgs, 'runA' | 'runB'>, Options>;

export const BASELINE_OPTIONS = {
  config,
  to: { type: 'string', describe: 'Where to keep it (default: <outDir>/baseline)' },
  force: { type: 'boolean', default: false, describe: 'Save a run that makes a poor baseline (interrupted, filtered, one shard, cut short by the budget, too many errors); its caveats are recorded in baseline.json' },
  color: colorIgnored,
} satisfies Record<Exclude<keyof BaselineArgs, 'action' | 'runDir'>, Options>;

export const ADVISE_OPTIONS = {
  config,
  drop: { type: 'number', demandOption: true, describe: 'The drop in pass rate to detect, e.g. 0.1 for 10 points' },
  rate: { type: 'number', describe: 'The pass rate to plan for, instead of a run\'s observed rates' },
  power: { type: 'number', default: 0.8, describe: 'Chance of detecting the drop' },
  alpha: { type: 'number', describe: 'False-alarm rate (default: gate.alpha in evalconfig.yaml)' },
  color: colorIgnored,
} satisfies Record<Exclude<keyof AdviseArgs, 'runDir'>, Options>;

export const MODELS_OPTIONS = {
  config,
  json: { type: 'boolean', default: false, describe: 'Print the table as JSON, with the source of every field' },
  color: colorIgnored,
} satisfies Record<keyof ModelsArgs, Options>;

export const INIT_OPTIONS = {
  force: { type: 'boolean', default: false, describe: 'Overwrite files that exist' },
  color: colorIgnored,
} satisfies Record<keyof InitArgs, Options>;

export const COMMENT_OPTIONS = {
  config,
  github: { type: 'boolean', default: false, describe: 'Post to the pull request (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL)' },
  gitlab: { type: 'boolean', default: false, describe: 'Post to the merge request (CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, GITLAB_TOKEN)' },
  artifact: { type: 'string', default: 'evalgate-report', describe: 'Name of the CI artefact that holds the full report, for the comment\'s pointer' },
  color: colorIgnored,
} satisfies Record<Exclude<keyof CommentArgs, 'runDir'>, Options>;

export const SCENARIO_OPTIONS = {
  config,
  out: { type: 'string', describe: 'File to write (default: <simulator.scenarios>/<suite name>.yaml)' },
  force: { type: 'boolean', default: false, describe: 'Overwrite the file if it exists' },
  color: colorIgnored,
} satisfies Record<Exclude<keyof ScenarioArgs, 'suite'>, Options>;
