import type { ModelSpec, Price } from '../config/model-table.js';
import type { Usage } from '../core/sample-record.js';

/**
 * What a sample costs by the price table, in USD, or null when the model has no price. Thinking tokens
 * are billed at the output rate, once: on top of `completionTokens` when the model's `thinkingBilling`
 * is `separate`, already inside it when `includedInCompletion`. Every prompt token is priced at `input`:
 * Runware's usage has no cached-token count, so `cachedInput` is not applied (docs/cost.md).
 */
export function priceUsage(usage: Usage, model: Pick<ModelSpec, 'price' | 'thinkingBilling'>): number | null {
  if (!model.price) return null;
  const outputTokens = model.thinkingBilling === 'separate' ? usage.completionTokens + usage.thinkingTokens : usage.completionTokens;
  const rates = ratesFor(model.price, usage.promptTokens);
  return (usage.promptTokens * rates.input + outputTokens * rates.output) / 1_000_000;
}

/** The rates, USD per 1M tokens, a request with this many prompt tokens pays: its price's second tier above its threshold. */
export function ratesFor(price: Price, promptTokens: number): { input: number; output: number } {
  return price.above && promptTokens > price.above.promptTokens ? price.above : price;
}

/**
 * The output tokens one sample was billed for (thinking included), read as {@link priceUsage} reads
 * them: `completionTokens + thinkingTokens` when thinking is billed `separate`, `completionTokens` alone
 * when it is included in them.
 */
export function billedOutputTokens(usage: Usage, model: Pick<ModelSpec, 'thinkingBilling'>): number {
  return model.thinkingBilling === 'includedInCompletion' ? usage.completionTokens : usage.completionTokens + usage.thinkingTokens;
}
