import type { AssertionType } from '../core/assertion-type.js';
import { z } from 'zod';
import { JudgeSpecSchema } from './judge-schema.js';
import { FINISH_REASONS } from '../core/runware-limits.js';
import { ToolNameSchema } from './tool-spec-schema.js';

const not = z.boolean().default(false).describe('Invert the check: pass when it would fail. @default false');
const description = z.string().optional().describe('Shown beside the outcome in reports.');

/** `regex`: the text matches (or, with `not`, does not match) a regular expression. */
export const RegexSpecSchema = z
  .strictObject({
    type: z.literal('regex'),
    pattern: z.string().min(1).describe('A JavaScript regular expression. `{{var}}` inserts a case variable, escaped as a literal.'),
    flags: z.string().regex(/^[imsu]*$/, 'flags are a subset of "imsu"').optional().describe('Regex flags, a subset of `imsu`.'),
    not,
    description,
  })
  .describe('The text matches a regular expression.');

/** `contains`: the text contains every one of the given strings (or, with `not`, none). */
export const ContainsSpecSchema = z
  .strictObject({
    type: z.literal('contains'),
    value: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('A string, or a list of strings that must all appear. `{{var}}` inserts a case variable.'),
    ignoreCase: z.boolean().default(false).describe('Compare case-insensitively. @default false'),
    not,
    description,
  })
  .describe('The text contains a string.');

/** `isJson`: the text parses as JSON. */
export const IsJsonSpecSchema = z
  .strictObject({ type: z.literal('isJson'), description })
  .describe('The text parses as JSON.');

/** `jsonSchema`: the text parses as JSON that a JSON Schema accepts. */
export const JsonSchemaSpecSchema = z
  .strictObject({
    type: z.literal('jsonSchema'),
    schema: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe("A path to a JSON Schema file (relative to the suite) or an inline schema. Omitted: the suite's `jsonSchema`."),
    description,
  })
  .describe('The text is JSON valid against a JSON Schema (draft 2020-12 or draft-07).');

/** `finishReason`: why the model stopped. */
export const FinishReasonSpecSchema = z
  .strictObject({
    type: z.literal('finishReason'),
    equals: z
      .union([z.enum(FINISH_REASONS), z.array(z.enum(FINISH_REASONS)).min(1)])
      .describe('One finish reason, or a list of accepted ones.'),
    not,
    description,
  })
  .describe('The finish reason is one of the given values.');

const tokenLimit = z.int().min(0);
/** `tokens`: token counts stay within budgets. */
export const TokensSpecSchema = z
  .strictObject({
    type: z.literal('tokens'),
    maxPrompt: tokenLimit.optional().describe('Most prompt tokens allowed.'),
    maxCompletion: tokenLimit.optional().describe('Most completion (visible output) tokens allowed.'),
    maxThinking: tokenLimit.optional().describe('Most thinking (reasoning) tokens allowed.'),
    maxTotal: tokenLimit.optional().describe('Most tokens in all allowed.'),
    description,
  })
  .refine((s) => s.maxPrompt !== undefined || s.maxCompletion !== undefined || s.maxThinking !== undefined || s.maxTotal !== undefined, {
    message: 'give at least one of maxPrompt, maxCompletion, maxThinking, maxTotal',
  })
  .describe('Token counts stay within budgets.');

/** `costUsd`: one sample costs at most `max` USD. */
export const CostSpecSchema = z
  .strictObject({
    type: z.literal('costUsd'),
    max: z.number().positive().describe('Most USD one sample may cost.'),
    description,
  })
  .describe('A sample costs at most this much.');

/** `latencyMs`: the request took at most `max` milliseconds. */
export const LatencySpecSchema = z
  .strictObject({
    type: z.literal('latencyMs'),
    max: z.number().positive().describe('Most milliseconds the request may take (its own time, not queueing or retries).'),
    description,
  })
  .describe('The request finished within this many milliseconds.');

const callCount = z.int().min(0);
/** `toolCall`: the model asked to call a tool, so many times, with arguments a schema accepts. */
export const ToolCallSpecSchema = z
  .strictObject({
    type: z.literal('toolCall'),
    name: ToolNameSchema.optional().describe("The tool, one of the suite's `tools`. Omitted: any tool."),
    count: callCount.optional().describe('Exactly this many calls.'),
    min: callCount.optional().describe('At least this many calls. @default 1, unless `count` or `max` is given'),
    max: callCount.optional().describe('At most this many calls.'),
    schema: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe("A JSON Schema every matching call's arguments must satisfy (a path or inline). Omitted: the tool's own schema, when it has one."),
    not: z.boolean().default(false).describe('Pass when the tool (any tool, without `name`) is not called at all. @default false'),
    description,
  })
  .refine((s) => s.count === undefined || (s.min === undefined && s.max === undefined), { message: 'give count, or min and max, not both', path: ['count'] })
  .refine((s) => !s.not || (s.count === undefined && s.min === undefined && s.max === undefined && s.schema === undefined), {
    message: 'not: true means no call at all; it takes no count, min, max or schema',
    path: ['not'],
  })
  .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, { message: 'min is above max', path: ['min'] })
  .describe('The model called a tool (how often, with which arguments).');

/** `equals`: the whole text, trimmed, is exactly the value. */
export const EqualsSpecSchema = z
  .strictObject({
    type: z.literal('equals'),
    value: z.string().describe('The expected text, compared with the trimmed output (the value is trimmed too). `{{var}}` inserts a case variable, e.g. `{{expected}}`.'),
    ignoreCase: z.boolean().default(false).describe('Compare case-insensitively. @default false'),
    not,
    description,
  })
  .describe('The whole text (trimmed) equals a value.');

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** `jsonField`: one field of the JSON output satisfies a condition. */
export const JsonFieldSpecSchema = z
  .strictObject({
    type: z.literal('jsonField'),
    path: z
      .string()
      .min(1)
      .describe('Where the field is: a JSONPath subset, `$` then `.name`, `["name"]` or `[index]` steps (`$.items[0].total`).'),
    equals: z
      .union([jsonScalar, z.array(z.unknown()), z.record(z.string(), z.unknown())])
      .optional()
      .describe('The field equals this JSON value (objects and lists compared deeply). A string value also matches a number or boolean written the same (`"45.1"` matches 45.1), so `{{expected}}` from a data file works. `{{var}}` is rendered in strings.'),
    oneOf: z.array(jsonScalar).min(1).optional().describe('The field equals one of these values (compared as `equals` does).'),
    matches: z.string().min(1).optional().describe('The field (a string, or a number as written) matches this regular expression. `{{var}}` inserts a variable, escaped as a literal.'),
    flags: z.string().regex(/^[imsu]*$/, 'flags are a subset of "imsu"').optional().describe('Flags for `matches`, a subset of `imsu`.'),
    min: z.number().optional().describe('The field is a number at least this.'),
    max: z.number().optional().describe('The field is a number at most this.'),
    not,
    description,
  })
  .refine((s) => s.equals !== undefined || s.oneOf !== undefined || s.matches !== undefined || s.min !== undefined || s.max !== undefined, {
    message: 'give at least one of equals, oneOf, matches, min, max',
  })
  .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, { message: 'min is above max', path: ['min'] })
  .refine((s) => s.flags === undefined || s.matches !== undefined, { message: 'flags apply to matches; give matches too', path: ['flags'] })
  .describe('One field of the JSON output equals, is one of, matches, or lies between values.');

/** `script`: a function in a module next to the suite decides. */
export const ScriptSpecSchema = z
  .strictObject({
    type: z.literal('script'),
    module: z
      .string()
      .min(1)
      .describe('A .ts, .mts, .js or .mjs module, relative to the suite, inside the project. TypeScript loads without a build step.'),
    export: z
      .string()
      .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'an export name is an identifier')
      .optional()
      .describe('The exported function to call. @default the default export'),
    timeoutMs: z.int().min(1).max(600_000).optional().describe('Longest one call may take before the sample is errored (SCRIPT_ERROR). @default 10000'),
    description,
  })
  .describe('A function `(output, context) => boolean | {pass, score?, reason?}` (or a Promise of it) decides.');

export const AssertionSpecSchema = z.discriminatedUnion('type', [
  RegexSpecSchema,
  ContainsSpecSchema,
  IsJsonSpecSchema,
  JsonSchemaSpecSchema,
  FinishReasonSpecSchema,
  TokensSpecSchema,
  CostSpecSchema,
  LatencySpecSchema,
  ToolCallSpecSchema,
  EqualsSpecSchema,
  JsonFieldSpecSchema,
  ScriptSpecSchema,
  JudgeSpecSchema,
]);

/** What a suite says about one check, as written in YAML (after defaults). */
export type AssertionSpec = z.infer<typeof AssertionSpecSchema>;
export type { AssertionType };
// The suite's spec types and core's list of assertion types name the same set, both ways.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const assertionTypesAgree: SameSet<AssertionSpec['type'], AssertionType> = true;
void assertionTypesAgree;
export type AssertionSpecOf<T extends AssertionType> = Extract<AssertionSpec, { type: T }>;

/** Every assertion type, for hints ("did you mean regex?") and docs. */
export const ASSERTION_TYPES: readonly AssertionType[] = AssertionSpecSchema.options.map((o) => o.shape.type.value);
