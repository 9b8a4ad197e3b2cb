import { formatDiagnostic } from '../../config/diagnostic.js';
import { GateOnSchema } from '../../config/gate-on.js';
import { loadProject, type Project } from '../../config/load-project.js';
import type { GateOnSpec } from '../../config/resolve-gate-on.js';
import { RUNWARE_LIMITS, THINKING_LEVELS, type ThinkingLevel } from '../../core/runware-limits.js';
import { didYouMean } from '../../config/suggest.js';
import { EvalgateError } from '../../core/evalgate-error.js';
import { planTrials } from '../../plan/plan-trials.js';
import type { Trial } from '../../plan/trial.js';
import type { CliIo } from '../cli-io.js';
import type { ValidateArgs } from '../cli-args.js';

/** What loading and planning take from a command line: `evalgate validate`'s arguments, which run and estimate share. */
export type PlanArgs = Pick<ValidateArgs, 'suites' | 'config' | 'levels' | 'samples' | 'filter' | 'gateOn'>;

/** Loads the project (every problem at once, or a ConfigError) and plans its trials; prints warnings. */
export async function loadAndPlan(args: PlanArgs, io: CliIo): Promise<{ project: Project; trials: Trial[] }> {
  const thinkingLevels = args.levels ? parseLevels(args.levels) : undefined;
  const numberResults = args.samples ? parseSamples(args.samples) : undefined;
  const gateOnOverride = args.gateOn && args.gateOn.length > 0 ? parseGateOn(args.gateOn) : undefined;
  const project = await loadProject({ cwd: io.cwd, ...(args.config ? { configPath: args.config } : {}), suitePaths: args.suites, ...(gateOnOverride ? { gateOnOverride } : {}) });
  for (const warning of project.warnings) io.stderr.write(`${formatDiagnostic(warning)}\n`);
  const trials = planTrials(project.suites, {
    ...(thinkingLevels ? { thinkingLevels } : {}),
    ...(numberResults ? { numberResults } : {}),
    filter: args.filter,
    requestTimeoutMs: project.config.requestTimeoutMs,
  });
  for (const notice of new Set(trials.flatMap((t) => (t.deliveryNotice !== undefined ? [t.deliveryNotice] : [])))) io.stderr.write(`notice: ${notice}\n`);
  if (trials.length === 0) {
    throw new EvalgateError('NO_TRIALS', 'no trials to run: the filter matched no case', { hint: `--filter takes globs over suite/case or tag:<name>; got ${args.filter.join(' ')}` });
  }
  return { project, trials };
}

function parseLevels(values: string[]): ThinkingLevel[] {
  return values.map((value) => {
    if ((THINKING_LEVELS as readonly string[]).includes(value)) return value as ThinkingLevel;
    throw new EvalgateError('USAGE', `--levels: "${value}" is not a thinking level`, { hint: didYouMean(value, THINKING_LEVELS) ?? `use ${THINKING_LEVELS.join(', ')}` });
  });
}

function parseSamples(values: string[]): number[] {
  const { min, max } = RUNWARE_LIMITS.numberResults;
  return values.map((value) => {
    const n = Number(value);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    throw new EvalgateError('USAGE', `--samples: "${value}" is not a numberResults value`, { hint: `use whole numbers from ${min} to ${max}, e.g. --samples 1,4` });
  });
}

/** `--gate-on thinkingLevel=medium,high --gate-on model=openai-gpt-5-5` → a gateOn spec. */
export function parseGateOn(values: readonly string[]): GateOnSpec {
  const keys = Object.keys(GateOnSchema.shape);
  const spec: Record<string, string[]> = {};
  for (const value of values) {
    const [key = '', list = ''] = value.split('=', 2);
    if (!keys.includes(key) || !value.includes('=') || list.trim() === '') {
      throw new EvalgateError('USAGE', `--gate-on: "${value}" is not KEY=VALUE[,VALUE]`, { hint: `keys: ${keys.join(', ')}; e.g. --gate-on thinkingLevel=medium` });
    }
    spec[key] = [...(spec[key] ?? []), ...list.split(',').map((v) => v.trim()).filter(Boolean)];
  }
  const parsed = GateOnSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EvalgateError('USAGE', `--gate-on ${String(issue.path[0])}: ${issue.message}`, { hint: `thinking levels: ${THINKING_LEVELS.join(', ')}` });
  }
  return parsed.data;
}
