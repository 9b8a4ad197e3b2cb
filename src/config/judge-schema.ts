import { z } from 'zod';
import { THINKING_LEVELS } from '../core/runware-limits.js';

const judgeModel = z.string().min(1).describe('The grader: a model id or AIR of the model table. @default openai-gpt-5-5');
const judgeLevel = z.enum(THINKING_LEVELS).describe("The grader's thinkingLevel. @default low");
const judgeSamples = z
  .int()
  .min(1)
  .max(15)
  .describe('Verdicts asked per answer; the assertion passes on their majority (a tie fails) and a split is marked "judge unsure". @default 1');
const judgeMaxTokens = z.int().min(1).max(128_000).describe("The grader's maxTokens, thinking included. @default 2000");
const judgeThreshold = z.number().min(0).max(1).describe("Pass when the verdict's score is at least this; without it, the verdict's own pass decides.");

/** Defaults of every `judge` assertion of a suite (`judge:` at the top of the suite). */
export const JudgeDefaultsSchema = z
  .strictObject({
    model: judgeModel.optional(),
    thinkingLevel: judgeLevel.optional(),
    samples: judgeSamples.optional(),
    maxTokens: judgeMaxTokens.optional(),
    threshold: judgeThreshold.optional(),
  })
  .describe("Defaults for this suite's judge assertions; they override evalconfig.yaml's judge:.");
export type JudgeDefaults = z.infer<typeof JudgeDefaultsSchema>;

/** `judge:` in evalconfig.yaml: defaults of every judge assertion, and the verdict cache. */
export const JudgeConfigSchema = z
  .strictObject({
    model: judgeModel.default('openai-gpt-5-5'),
    thinkingLevel: judgeLevel.default('low'),
    samples: judgeSamples.default(1),
    maxTokens: judgeMaxTokens.default(2000),
    threshold: judgeThreshold.optional(),
    cacheDir: z
      .string()
      .min(1)
      .default('.evalgate/judge-cache')
      .describe('Folder of cached verdicts, relative to this file; `--no-judge-cache` bypasses it. @default .evalgate/judge-cache'),
    calibrationsDir: z
      .string()
      .min(1)
      .default('.evalgate/calibrations')
      .describe('Folder where `evalgate calibrate` keeps its results, relative to this file; runs record the calibration of each rubric they use. @default .evalgate/calibrations'),
  })
  .describe('Defaults of judge assertions (a suite\'s judge: and each assertion override them), and where verdicts are cached.');
export type JudgeConfig = z.infer<typeof JudgeConfigSchema>;

/** `judge`: a model grades the answer against a rubric. */
export const JudgeSpecSchema = z
  .strictObject({
    type: z.literal('judge'),
    rubric: z.string().min(1).describe('What a good answer does, in plain words. `{{var}}` inserts a case variable.'),
    reference: z.string().min(1).optional().describe('An expected answer the grader may compare with. `{{var}}` works (`{{expected}}` from a data file).'),
    threshold: judgeThreshold.optional(),
    model: judgeModel.optional(),
    thinkingLevel: judgeLevel.optional(),
    samples: judgeSamples.optional(),
    maxTokens: judgeMaxTokens.optional(),
    description: z.string().optional().describe('Shown beside the outcome in reports.'),
  })
  .describe('A model grades the answer against a rubric (see docs/judges.md).');
