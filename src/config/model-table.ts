import { z } from 'zod';
import { DELIVERY_METHODS, OUTPUT_FORMATS, THINKING_LEVELS } from './runware-limits.js';

/** Price of a model in USD per million tokens. */
export const PriceSchema = z
  .strictObject({
    input: z.number().nonnegative().describe('USD per 1M prompt tokens.'),
    output: z.number().nonnegative().describe('USD per 1M completion tokens (and thinking tokens, billed at this rate).'),
    cachedInput: z.number().nonnegative().optional().describe('USD per 1M cached prompt tokens, where known.'),
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
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

/** A model with the id suites use (the slug on Runware's model page). */
export interface ModelEntry extends ModelSpec {
  id: string;
}

const GPT_LEVELS = ['none', 'low', 'medium', 'high', 'xhigh'] as const;

/**
 * The built-in model table. Extend or override it under `models:` in evalconfig.yaml; keep per-model
 * limits here, never in if-statements. Entries other than GPT-5.5 have limits that Runware has not
 * confirmed (see `source`).
 */
export const DEFAULT_MODELS: Readonly<Record<string, ModelSpec>> = {
  'openai-gpt-5-5': {
    air: 'openai:gpt@5.5',
    displayName: 'GPT-5.5',
    maxTokens: 128_000,
    maxNumberResults: 4,
    thinkingLevels: [...GPT_LEVELS],
    outputFormats: ['TEXT', 'JSON'],
    deliveryMethods: ['sync', 'async', 'stream'],
    price: { input: 5, output: 30, cachedInput: 0.5 },
    thinkingBilling: 'separate',
    tokenizer: 'o200k_base',
    source: 'Runware price; matches the cost returned by a real call (162 in + 41 out = $0.00204)',
  },
  'google-gemini-3-1-pro': {
    air: 'google:gemini@3.1-pro',
    displayName: 'Gemini 3.1 Pro',
    maxTokens: 65_536,
    maxNumberResults: 4,
    thinkingLevels: ['low', 'medium', 'high'],
    outputFormats: ['TEXT', 'JSON'],
    deliveryMethods: ['sync', 'async', 'stream'],
    price: { input: 2, output: 12 },
    thinkingBilling: 'separate',
    tokenizer: 'approximate',
    source: 'price from the Runware CLI test fixture; limits unconfirmed',
  },
  'deepseek-v4-flash': {
    air: 'deepseek:v4@flash',
    displayName: 'DeepSeek V4 Flash',
    maxTokens: 32_768,
    maxNumberResults: 4,
    thinkingLevels: ['none', 'low', 'medium', 'high'],
    outputFormats: ['TEXT', 'JSON'],
    deliveryMethods: ['sync', 'async', 'stream'],
    price: { input: 0.076, output: 0.153 },
    thinkingBilling: 'separate',
    tokenizer: 'approximate',
    source: 'price from a third-party list; limits unconfirmed',
  },
};

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
