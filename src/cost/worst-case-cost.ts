import type { ModelSpec } from '../config/model-table.js';
import type { InferenceRequest } from '../plan/trial.js';

/** Tokens a chat format adds per message, and once per request, beyond the text (generous). */
const MESSAGE_OVERHEAD_TOKENS = 8;
const REQUEST_OVERHEAD_TOKENS = 16;

/**
 * The most a request can cost, in USD, or null when the model has no price. A token is never
 * shorter than one byte, so the UTF-8 size of the prompt bounds its tokens; `maxTokens` bounds
 * everything the model produces, thinking included. Each of `numberResults` results pays both.
 */
export function worstCaseCostUsd(request: InferenceRequest, pricing: Pick<ModelSpec, 'price'>): number | null {
  if (!pricing.price) return null;
  const texts = [request.systemPrompt ?? '', ...request.messages.map((m) => m.content)];
  const promptTokens =
    texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0) + MESSAGE_OVERHEAD_TOKENS * texts.length + REQUEST_OVERHEAD_TOKENS;
  const perResult = (promptTokens * pricing.price.input + request.maxTokens * pricing.price.output) / 1_000_000;
  return perResult * request.numberResults;
}
