import { z } from 'zod';
import { DELIVERY_METHODS, OUTPUT_FORMATS, THINKING_LEVELS, TOOL_TYPES } from '../core/runware-limits.js';

/** Price of a model in USD per million tokens. */
export const PriceSchema = z
  .strictObject({
    input: z.number().nonnegative().describe('USD per 1M prompt tokens.'),
    output: z.number().nonnegative().describe('USD per 1M completion tokens (and thinking tokens, billed at this rate).'),
    cachedInput: z.number().nonnegative().optional().describe('USD per 1M cached prompt tokens, where known. Informational: Runware\'s usage reports no cached-token count, so no cost evalgate computes applies it.'),
    above: z
      .strictObject({
        promptTokens: z.int().positive().describe('The tier starts above this many prompt tokens in one request.'),
        input: z.number().nonnegative().describe('USD per 1M prompt tokens in this tier.'),
        output: z.number().nonnegative().describe('USD per 1M completion (and thinking) tokens in this tier.'),
      })
      .optional()
      .describe('A second price tier: a request whose prompt is above `promptTokens` pays these rates for all its tokens (Gemini 3.1 Pro: $4/$18 above 200k).'),
  })
  .describe('USD per 1M tokens.');
export type Price = z.infer<typeof PriceSchema>;

/** What evalgate knows about one Runware text model: its ids, its limits and its price. */
export const ModelSpecSchema = z.strictObject({
  air: z
    .string()
    .regex(/^[a-z0-9-]+:[^@\s]+@\S+$/, 'an AIR looks like provider:model@version')
    .describe('The id the API knows (AIR), e.g. `openai:gpt@5.5`. Sent on the wire.'),
  displayName: z.string().optional().describe('Shown in reports.'),
  maxTokens: z.int().min(1).max(1_000_000).describe('Largest `settings.maxTokens` the model takes.'),
  maxNumberResults: z.int().min(1).max(4).describe('Largest `numberResults` per task.'),
  thinkingLevels: z.array(z.enum(THINKING_LEVELS)).min(1).describe('The `thinkingLevel` values the model accepts.'),
  outputFormats: z.array(z.enum(OUTPUT_FORMATS)).min(1).describe('The `outputFormat` values the model accepts.'),
  deliveryMethods: z.array(z.enum(DELIVERY_METHODS)).min(1).describe('The `deliveryMethod` values the model accepts.'),
  toolTypes: z
    .array(z.enum(TOOL_TYPES))
    .default([...TOOL_TYPES])
    .describe('The kinds of `tools` the model takes: `function`, `search`, `codeInterpreter`. @default all three'),
  acceptsImages: z.boolean().default(false).describe('Whether the model takes `inputs.images`. @default false'),
  outputTokensPerSecond: z
    .number()
    .positive()
    .optional()
    .describe(
      'Typical output speed, tokens per second. Used only to tell whether a worst-case xhigh request could outlive `requestTimeoutMs` on sync delivery (then async is chosen, with a notice).',
    ),
  price: PriceSchema.optional().describe('Price per 1M tokens; without it, cost comes from the API only.'),
  thinkingBilling: z
    .enum(['separate', 'includedInCompletion'])
    .default('separate')
    .describe(
      'How thinking tokens are billed. `separate`: `thinkingTokens` are billed at the output rate on top of ' +
        '`completionTokens`. `includedInCompletion`: `completionTokens` already contains them. Runware has not ' +
        'confirmed which holds; the cost is never counted twice either way. @default separate',
    ),
  tokenizer: z
    .enum(['o200k_base', 'approximate'])
    .default('approximate')
    .describe(
      'How `evalgate estimate` counts prompt tokens. `o200k_base`: the GPT-4o/GPT-5 tokenizer, exactly. `approximate`: ' +
        'one token per 4 bytes of UTF-8, for models whose tokenizer evalgate does not have. @default approximate',
    ),
  source: z.string().optional().describe('Where the limits and price come from.'),
  fieldSources: z
    .record(z.string(), z.string())
    .optional()
    .describe('Per field, where its value comes from and that source\'s date (the built-in table says; a field set in evalconfig.yaml says `evalconfig.yaml`).'),
  unconfirmed: z
    .array(z.enum(['maxTokens', 'maxNumberResults', 'thinkingLevels', 'outputFormats', 'deliveryMethods', 'toolTypes', 'acceptsImages', 'outputTokensPerSecond', 'price']))
    .default([])
    .describe('The fields above that Runware has not confirmed for this model: best guesses, to be checked against a real call. @default []'),
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

/**
 * A model under `models:` in evalconfig.yaml: every field optional and without its default, so that
 * correcting one field of a built-in model leaves the others as the table has them.
 */
export const ModelOverrideSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(ModelSpecSchema.shape).map(([key, schema]) => {
      const bare = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
      return [key, bare.optional().describe(schema.description ?? '')];
    }),
  ) as { [K in keyof typeof ModelSpecSchema.shape]: z.ZodOptional<z.ZodType<z.output<(typeof ModelSpecSchema.shape)[K]>>> },
);

/** A model with the id suites use (the slug on Runware's model page). */
export interface ModelEntry extends ModelSpec {
  id: string;
}


/** Looks models up by the id a suite uses, or by the AIR the API uses. */
export class ModelTable {
  private readonly byKey = new Map<string, ModelEntry>();
  readonly entries: readonly ModelEntry[];

  constructor(specs: Readonly<Record<string, ModelSpec>>) {
    this.entries = Object.entries(specs).map(([id, spec]) => ({ id, ...spec }));
    for (const entry of this.entries) {
      this.byKey.set(entry.id, entry);
      this.byKey.set(entry.air, entry);
    }
  }

  /** The model for a slug or AIR, or undefined. */
  find(idOrAir: string): ModelEntry | undefined {
    return this.byKey.get(idOrAir);
  }

  /** Every name a user may write: slugs and AIRs. */
  names(): string[] {
    return [...this.byKey.keys()];
  }
}
