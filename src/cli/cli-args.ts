import type { ProviderName, ReporterName } from '../config/choices.js';

/** The parsed arguments of each command, as its handler receives them; the flags that produce them are declared in cli-options.ts. */

/** Arguments of `evalgate run`, after parsing. */
export interface RunArgs {
  suites: string[];
  config?: string;
  provider?: ProviderName;
  levels?: string[];
  samples?: string[];
  concurrency?: number;
  filter: string[];
  out?: string;
  reporter?: ReporterName[];
  seed?: number;
  color?: boolean;
  resume?: string;
  maxCost?: number;
  allowPartial: boolean;
  record?: string;
  cassettes?: string;
  quiet: boolean;
  baseline?: string;
  gateOn?: string[];
  shard?: string;
  traffic?: string;
  /** A run folder (or folder of them) the cost estimate learns from instead of `outDir`: a downloaded baseline in CI. */
  history?: string;
  webhookListen?: string;
  webhookPublicUrl?: string;
  /** False with --no-judge-cache. */
  judgeCache: boolean;
  /** `--until-decided` (true) or `--no-until-decided` (false); absent: each suite's `untilDecided`, else the config's. */
  untilDecided?: boolean;
  /** At most this many cases of each suite, the first of the seeded order. */
  maxCases?: number;
  /** Seed of the case order; absent: drawn at random and recorded in run.json. */
  orderSeed?: number;
}

/** Arguments of `evalgate validate`. */
export interface ValidateArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  suites: string[];
  config?: string;
  levels?: string[];
  samples?: string[];
  filter: string[];
  gateOn?: string[];
  showJudgePrompt: boolean;
}

/** Arguments of `evalgate estimate`. */
export interface EstimateArgs {
  suites: string[];
  config?: string;
  levels?: string[];
  samples?: string[];
  filter: string[];
  history?: string;
  out?: string;
  traffic?: string;
  exact: boolean;
  color?: boolean;
  /** `--until-decided`: also the expected cost of sampling until decided, from the pass rates in history. */
  untilDecided: boolean;
}

/** Arguments of `evalgate simulate`. */
export interface SimulateArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  config?: string;
  port: number;
  host: string;
  seed?: number;
  scenarios?: string;
  latencyScale?: number;
  fixedLatencyMs?: number;
}

/** Arguments of `evalgate report`. */
export interface ReportArgs {
  /** `-q`, accepted as on run; this command shows no progress display anyway. */
  quiet?: boolean;
  config?: string;
  runDir: string;
  reporter?: ReporterName[];
  color?: boolean;
  baseline?: string;
}

/** Arguments of `evalgate rescore`. */
export interface RescoreArgs {
  /** `-q`, accepted as on run; this command shows no progress display anyway. */
  quiet?: boolean;
  runDir: string;
  out?: string;
  reporter?: ReporterName[];
  color?: boolean;
  baseline?: string;
  judgeCache: boolean;
}

/** Arguments of `evalgate calibrate`. */
export interface CalibrateArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  suite: string;
  labels: string;
  config?: string;
  provider?: ProviderName;
  seed?: number;
  json: boolean;
  judgeCache: boolean;
}

/** Arguments of `evalgate merge`. */
export interface MergeArgs {
  /** `-q`, accepted as on run; this command shows no progress display anyway. */
  quiet?: boolean;
  config?: string;
  runDirs: string[];
  out: string;
  allowIncomplete: boolean;
  baseline?: string;
  reporter?: ReporterName[];
  color?: boolean;
}

/** Arguments of `evalgate compare`. */
export interface CompareArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  config?: string;
  runA: string;
  runB: string;
  by: 'setting' | 'suite';
  json: boolean;
  /** List every shared case side by side, not only the first 20 (changed first). */
  allCases: boolean;
}

/** Arguments of `evalgate baseline save`. */
export interface BaselineArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  config?: string;
  action: 'save';
  runDir?: string;
  to?: string;
  force: boolean;
}

/** Arguments of `evalgate advise`. */
export interface AdviseArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  config?: string;
  drop: number;
  runDir?: string;
  rate?: number;
  power: number;
  alpha?: number;
}

/** Arguments of `evalgate models`. */
export interface ModelsArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  config?: string;
  json: boolean;
}

/** Arguments of `evalgate comment`. */
export interface CommentArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  runDir?: string;
  config?: string;
  github: boolean;
  gitlab: boolean;
  /** The name of the artefact that holds the full report, for the comment's pointer. */
  artifact: string;
}

/** Arguments of `evalgate scenario`. */
export interface ScenarioArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  suite: string;
  config?: string;
  out?: string;
  force: boolean;
}

/** Arguments of `evalgate init`. */
export interface InitArgs {
  /** `--color`/`--no-color`, accepted so scripts can pass it to every command; this one prints no colour. */
  color?: boolean;
  force: boolean;
}
