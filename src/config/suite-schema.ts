import { z } from 'zod';
import { GateOnSchema } from './gate-on.js';
import { AssertionSpecSchema } from './assertion-spec-schema.js';
import { JudgeDefaultsSchema } from './judge-schema.js';
import { DELIVERY_METHODS, MESSAGE_ROLES, OUTPUT_FORMATS, RUNWARE_LIMITS, THINKING_LEVELS } from '../core/runware-limits.js';
import { ToolChoiceSpecSchema, ToolSpecSchema } from './tool-spec-schema.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const name = (what: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .regex(NAME_PATTERN, `${what} uses letters, digits, ".", "_" and "-", and starts with a letter or digit`);

const { maxTokens, numberResults, systemPromptChars } = RUNWARE_LIMITS;

/** One chat message. Its content may use `{{var}}` placeholders. */
export const MessageSpecSchema = z
  .strictObject({
    role: z.enum(MESSAGE_ROLES).describe('`user` or `assistant`; the system prompt goes in `settings.systemPrompt`.'),
    content: z.string().describe('The message text; `{{var}}` inserts a variable.'),
  })
  .describe('One chat message.');

/** Runware `settings` a suite or case may set. */
export const SettingsSpecSchema = z
  .strictObject({
    systemPrompt: z
      .string()
      .min(systemPromptChars.min)
      .max(systemPromptChars.max)
      .optional()
      .describe('The system prompt (1 to 200,000 characters); `{{var}}` inserts a variable.'),
    maxTokens: z
      .int()
      .min(maxTokens.min)
      .max(maxTokens.max)
      .optional()
      .describe('Most tokens the model may produce, thinking included (1 to 128,000). @default 4096'),
    thinkingLevel: z.enum(THINKING_LEVELS).optional().describe('Reasoning effort. @default medium'),
  })
  .describe('Runware `settings` for every request of the suite or case.');

/** Inputs other than the conversation: images. */
export const InputsSpecSchema = z
  .strictObject({
    images: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'Images sent with the request: URLs (https://…), data URIs (data:image/png;base64,…), Runware image UUIDs, or paths to PNG, JPEG, GIF or WebP files relative to the suite (read at load and sent as base64). `{{var}}` inserts a variable.',
      ),
  })
  .describe('Runware `inputs`: images for models that take them.');

/** Template variables: identifiers mapped to scalars. */
export const VarsSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name is an identifier'), z.union([z.string(), z.number(), z.boolean()]))
  .describe('Variables for `{{name}}` placeholders in messages, the system prompt and assertions.');

const TagsSchema = z.array(name('a tag')).describe('Labels to select cases with `--filter tag:<name>`.');

/** One conversation and its expectations. */
export const CaseSpecSchema = z
  .strictObject({
    id: name('a case id').describe('Unique within the suite; names the case in every report.'),
    description: z.string().optional().describe('What the case checks.'),
    messages: z.array(MessageSpecSchema).min(1).optional().describe("The conversation; omitted: the suite's `messages` template."),
    vars: VarsSchema.optional(),
    tags: TagsSchema.optional(),
    settings: SettingsSpecSchema.optional().describe('Overrides of the suite settings for this case.'),
    inputs: InputsSpecSchema.optional().describe("This case's images; they replace the suite's `inputs`."),
    assert: z.array(AssertionSpecSchema).optional().describe("Checks for this case, after the suite's."),
  })
  .describe('One conversation and its expectations.');

/** A data file whose rows are cases. */
export const CasesFileSpecSchema = z
  .strictObject({
    file: z
      .string()
      .min(1)
      .describe(
        'A data file, relative to the suite, inside the project: `.jsonl` (one JSON object a line), `.csv` (a header row, then one case a row) or `.yaml`/`.yml` (a list). Each row is a case: `id` (else `<file name>-<row number>`), optional `description`, `messages` and `assert` (JSON text in a CSV cell), `tags`, and every other column a variable (`expected` included, for `{{expected}}`).',
      ),
  })
  .describe('Cases read from a data file.');

/** The points a suite sweeps; lists are crossed. */
export const SweepSpecSchema = z
  .strictObject({
    thinkingLevel: z.array(z.enum(THINKING_LEVELS)).min(1).optional().describe('Reasoning levels to try.'),
    numberResults: z
      .array(z.int().min(numberResults.min).max(numberResults.max))
      .min(1)
      .optional()
      .describe('Samples per request to try (1 to 4).'),
    model: z.array(z.string().min(1)).min(1).optional().describe('Models to try (slugs or AIRs).'),
  })
  .describe('Settings to sweep; every combination becomes one setting.');

/** One suite file. Keys mirror Runware's names so a request copied from its docs reads the same. */
export const SuiteSpecSchema = z
  .strictObject({
    suite: name('a suite name').describe('The suite name; unique across the run.'),
    description: z.string().optional().describe('What the suite evaluates.'),
    model: z.string().min(1).optional().describe('Model slug (`openai-gpt-5-5`) or AIR (`openai:gpt@5.5`). @default openai-gpt-5-5'),
    settings: SettingsSpecSchema.optional(),
    outputFormat: z.enum(OUTPUT_FORMATS).optional().describe('`TEXT` or `JSON`. @default TEXT'),
    jsonSchema: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe('JSON Schema sent with `outputFormat: JSON`: a path (relative to the suite) or inline; bare schemas are wrapped as {name, strict, schema}.'),
    numberResults: z
      .int()
      .min(numberResults.min)
      .max(numberResults.max)
      .optional()
      .describe('Samples per request when not swept (1 to 4). @default 1'),
    deliveryMethod: z
      .enum(DELIVERY_METHODS)
      .optional()
      .describe(
        'How results come back: `sync` (in the response), `async` (polled with getResponse, or POSTed to a webhook), `stream` (server-sent events; measures time to first token; numberResults N sends N tasks). @default `deliveryMethod` in evalconfig.yaml, else sync',
      ),
    tools: z
      .array(ToolSpecSchema)
      .min(1)
      .optional()
      .describe('Tools the model may call: functions (`{type: function, name, description, schema}`) and the built-ins `{type: search}` and `{type: codeInterpreter}`.'),
    toolChoice: ToolChoiceSpecSchema.optional(),
    inputs: InputsSpecSchema.optional().describe('Images for every case that gives none of its own.'),
    messages: z.array(MessageSpecSchema).min(1).optional().describe('A conversation template for cases that give only `vars`.'),
    vars: VarsSchema.optional(),
    tags: TagsSchema.optional(),
    sweep: SweepSpecSchema.optional(),
    repeats: z.int().min(1).max(1000).optional().describe('Requests per case and setting (more samples per case). @default 1'),
    assert: z.array(AssertionSpecSchema).optional().describe('Checks for every case.'),
    threshold: z.number().min(0).max(1).optional().describe('Minimum pass rate of every gated setting (0 to 1). @default the config threshold'),
    gateOn: GateOnSchema.optional(),
    untilDecided: z.boolean().optional().describe('Sample this suite until its settings are decided (see `sequential` in evalconfig.yaml). @default the config\'s sequential.untilDecided'),
    judge: JudgeDefaultsSchema.optional(),
    cases: z
      .union([z.array(z.union([CaseSpecSchema, CasesFileSpecSchema])).min(1), CasesFileSpecSchema])
      .describe('The cases: a list of cases and `{file: …}` entries (each row of the file a case), or one `{file: …}`.'),
  })
  .describe('An evalgate suite: cases, the settings to sweep, and the checks.');

export type SuiteSpec = z.infer<typeof SuiteSpecSchema>;
export type CaseSpec = z.infer<typeof CaseSpecSchema>;
export type CasesFileSpec = z.infer<typeof CasesFileSpecSchema>;
export type SettingsSpec = z.infer<typeof SettingsSpecSchema>;
export type Vars = z.infer<typeof VarsSchema>;
