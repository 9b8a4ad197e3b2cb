import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Diagnostic } from '../config/diagnostic.js';
import { displayPath, howFileLeaves } from '../config/display-path.js';
import { THINKING_LEVELS, type ThinkingLevel } from '../core/runware-limits.js';
import { diagnosticsFromZod } from '../config/zod-diagnostics.js';
import { YamlSource } from '../config/yaml-source.js';
import { ConfigError } from '../config/config-error.js';

/** An answer that calls a tool (when the task offers it), with optional text beside the call. */
const ToolAnswerSchema = z.strictObject({
  text: z.string().default('').describe('Text beside the call (often none).'),
  toolCall: z
    .strictObject({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) })
    .describe('The tool to call and its arguments; without the tool on offer (or with toolChoice none) the answer is its text.'),
});
const answer = z.union([z.string(), ToolAnswerSchema]);
const texts = z.union([answer, z.array(answer).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
/** One answer a scenario may give: a text, or a tool call. */
export type ScenarioAnswer = z.infer<typeof answer>;

const LevelBehaviourSchema = z.strictObject({
  accuracy: z.number().min(0).max(1).describe('Probability that a result is a correct answer.'),
  thinkingTokens: z.number().min(0).describe('Median thinking tokens per result (log-normal spread).'),
  latencyMs: z.number().min(0).describe('Median latency of a request (log-normal spread), before latencyScale.'),
});

/** A scenario file in fixtures/simulator/: how the simulated model behaves for one kind of prompt. */
export const ScenarioSchema = z.strictObject({
  scenario: z.string().min(1).describe('Name, for logs.'),
  match: z.string().min(1).describe('Regex (case-insensitive) tried on the system prompt and messages; the first scenario that matches answers.'),
  levels: z.partialRecord(z.enum(THINKING_LEVELS), LevelBehaviourSchema).describe('Behaviour per thinkingLevel; missing levels borrow the nearest one below.'),
  models: z
    .record(
      z.string(),
      z.strictObject({
        accuracyDelta: z.number().min(-1).max(1).default(0),
        latencyFactor: z.number().positive().default(1),
        thinkingFactor: z.number().min(0).default(1),
      }),
    )
    .default({})
    .describe('Adjustments for other models (by AIR or id): cheaper models answer worse and faster.'),
  answers: z
    .array(
      z.strictObject({
        when: z.string().default('').describe('Regex on the last user message; empty matches any.'),
        difficulty: z.number().min(-1).max(1).default(0).describe('Subtracted from the level accuracy for this case.'),
        correct: texts.describe('Correct answers (texts, or `{toolCall: {name, arguments}}`); one is chosen at random.'),
        wrong: texts.describe('Wrong answers (texts, or tool calls); one is chosen at random.'),
      }),
    )
    .min(1),
});
export type ScenarioSpec = z.infer<typeof ScenarioSchema>;
export type LevelBehaviour = z.infer<typeof LevelBehaviourSchema>;

/** A scenario with its regexes compiled. */
export interface Scenario {
  name: string;
  match: RegExp;
  levels: Partial<Record<ThinkingLevel, LevelBehaviour>>;
  models: ScenarioSpec['models'];
  answers: { when: RegExp; difficulty: number; correct: ScenarioAnswer[]; wrong: ScenarioAnswer[] }[];
}

/** Used when no scenario matches a prompt: a plain answer whose effort still grows with the level. */
export const GENERIC_SCENARIO: Scenario = {
  name: 'generic',
  match: /[\s\S]*/,
  levels: {
    none: { accuracy: 1, thinkingTokens: 0, latencyMs: 150 },
    low: { accuracy: 1, thinkingTokens: 200, latencyMs: 300 },
    medium: { accuracy: 1, thinkingTokens: 600, latencyMs: 600 },
    high: { accuracy: 1, thinkingTokens: 1500, latencyMs: 1200 },
    xhigh: { accuracy: 1, thinkingTokens: 4000, latencyMs: 2500 },
  },
  models: {},
  answers: [{ when: /(?:)/, difficulty: 0, correct: ['This is a simulated answer from the evalgate simulator.'], wrong: ['(simulated) I am not sure.'] }],
};

/** The scenario that answers a prompt: the first whose `match` finds the system prompt or a message; none means placeholder answers. */
export function scenarioFor(scenarios: readonly Scenario[], prompt: { systemPrompt?: string | undefined; messages: readonly { content: string }[] }): Scenario | undefined {
  const haystack = [prompt.systemPrompt ?? '', ...prompt.messages.map((m) => m.content)].join('\n');
  return scenarios.find((s) => s.match.test(haystack));
}

/** Suites with a case no scenario matches: the simulator answers them with placeholders that say nothing about the prompt. */
export function suitesWithoutScenario(suites: readonly { name: string; cases: readonly { systemPrompt?: string | undefined; messages: readonly { content: string }[] }[] }[], scenarios: readonly Scenario[]): string[] {
  return suites.filter((suite) => suite.cases.some((kase) => scenarioFor(scenarios, kase) === undefined)).map((suite) => suite.name);
}

/** Compiles a validated scenario spec. */
export function compileScenario(spec: ScenarioSpec): Scenario {
  return {
    name: spec.scenario,
    match: new RegExp(spec.match, 'i'),
    levels: spec.levels,
    models: spec.models,
    answers: spec.answers.map((a) => ({ when: new RegExp(a.when, 'i'), difficulty: a.difficulty, correct: a.correct, wrong: a.wrong })),
  };
}

/** Reads every `*.yaml` scenario in a folder, in name order. Throws a ConfigError listing every problem. */
export async function loadScenarios(folder: string, cwd: string, root: string = folder): Promise<Scenario[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return [];
  }
  const diagnostics: Diagnostic[] = [];
  const scenarios: Scenario[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    // Like suites: a scenario is read only if it stays inside the project once every link is followed.
    const how = await howFileLeaves(root, file);
    if (how !== undefined) {
      const shown = displayPath(file, cwd);
      diagnostics.push({
        severity: 'error', code: 'PATH_OUTSIDE_PROJECT', file: shown, line: 1, column: 1, length: 1,
        message: `scenario ${shown} leaves ${root === folder ? 'its folder' : 'the project folder'}${how}; it was not read`,
        hint: 'keep scenarios as files in their folder, not links to elsewhere',
      });
      continue;
    }
    const source = await YamlSource.read(file, displayPath(file, cwd));
    if (Array.isArray(source)) {
      diagnostics.push(...source);
      continue;
    }
    const parsed = ScenarioSchema.safeParse(source.value);
    if (!parsed.success) {
      diagnostics.push(...diagnosticsFromZod(parsed.error.issues, source, ScenarioSchema));
      continue;
    }
    const regexes: [string, (string | number)[]][] = [[parsed.data.match, ['match']], ...parsed.data.answers.map((a, i): [string, (string | number)[]] => [a.when, ['answers', i, 'when']])];
    const bad = regexes.map(([pattern, at]) => ({ at, error: regexError(pattern) })).filter((r) => r.error !== undefined);
    if (bad.length > 0) {
      diagnostics.push(...bad.map((b) => source.diagnostic(b.at, 'BAD_REGEX', `regex does not compile: ${b.error}`)));
      continue;
    }
    scenarios.push(compileScenario(parsed.data));
  }
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return scenarios;
}

function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'i');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
