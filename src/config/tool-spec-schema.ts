import { z } from 'zod';
import { TOOL_CHOICE_TYPES } from '../core/runware-limits.js';

/** A function tool's name: what the model calls it by. */
export const ToolNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'a tool name uses letters, digits, "_" and "-" only')
  .describe('Letters, digits, `_` and `-`; at most 64 characters.');

/** A function the model may call: its name, what it does, and its arguments as a JSON Schema. */
export const FunctionToolSpecSchema = z
  .strictObject({
    type: z.literal('function'),
    name: ToolNameSchema,
    description: z.string().min(1).optional().describe('What the function does; the model reads it to decide when to call it.'),
    schema: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe('The arguments, as a JSON Schema: a path (relative to the suite) or inline. Compiled at load. @default an object with no properties'),
  })
  .describe('A function the model may ask to call.');

/** `search`: a built-in tool the provider runs (web search). */
export const SearchToolSpecSchema = z.strictObject({ type: z.literal('search') }).describe('The built-in search tool, run by the provider.');

/** `codeInterpreter`: a built-in tool the provider runs. */
export const CodeInterpreterToolSpecSchema = z.strictObject({ type: z.literal('codeInterpreter') }).describe('The built-in code interpreter, run by the provider.');

/** One entry of a suite's `tools`. */
export const ToolSpecSchema = z.discriminatedUnion('type', [FunctionToolSpecSchema, SearchToolSpecSchema, CodeInterpreterToolSpecSchema]);
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

/** `toolChoice`: whether and which tool the model must call. */
export const ToolChoiceSpecSchema = z
  .strictObject({
    type: z
      .enum(TOOL_CHOICE_TYPES)
      .describe('`auto`: the model decides; `any`: it must call some tool; `tool`: it must call `name`; `none`: it must not call any.'),
    name: ToolNameSchema.optional().describe('With `type: tool`: the function tool to call; one of the suite\'s `tools`.'),
  })
  .describe('Whether, and which, tool the model must call.');
export type ToolChoiceSpec = z.infer<typeof ToolChoiceSpecSchema>;
