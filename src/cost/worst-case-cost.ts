import { ratesFor } from './price-usage.js';
import type { ModelSpec } from '../config/model-table.js';
import type { InferenceRequest } from '../plan/trial.js';

/** Tokens a chat format adds per message, and once per request, beyond the text (generous). */
const MESSAGE_OVERHEAD_TOKENS = 8;
const REQUEST_OVERHEAD_TOKENS = 16;
/**
 * Prompt tokens one image may take. Runware does not say how images are counted; OpenAI's vision
 * models take at most about 1,600 per image at high detail. Four times that, to stay a bound.
 */
export const IMAGE_WORST_CASE_TOKENS = 6400;

/**
 * The most prompt tokens one result of a request can be billed for. A token is never shorter than
 * one byte, so the UTF-8 size of the prompt bounds its tokens (the structured-output schema and the
 * tool definitions are part of the prompt, and each image counts IMAGE_WORST_CASE_TOKENS).
 */
export function worstCasePromptTokens(request: InferenceRequest): number {
  const texts = [request.systemPrompt ?? '', ...request.messages.map((m) => m.content)];
  const structured = [request.outputFormat === 'JSON' ? request.jsonSchema : undefined, request.tools, request.toolChoice]
    .filter((part) => part !== undefined)
    .reduce((sum, part) => sum + Buffer.byteLength(JSON.stringify(part), 'utf8'), 0);
  return (
    texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0) +
    structured +
    (request.images?.length ?? 0) * IMAGE_WORST_CASE_TOKENS +
    MESSAGE_OVERHEAD_TOKENS * texts.length +
    REQUEST_OVERHEAD_TOKENS
  );
}

/**
 * The most a request can cost, in USD, or null when the model has no price: every result pays the
 * worst-case prompt ({@link worstCasePromptTokens}) and `outputTokensPerResult` of output, thinking
 * included, at the price tier that prompt falls in. Each of `numberResults` results pays both, however
 * they are delivered (a stream of N is N tasks of one).
 * @param outputTokensPerResult the output one result may be billed for.
 * @default outputTokensPerResult request.maxTokens: the bound the API documents. A server that bills
 * past it is met by the run's budget guard, which then reserves from what it observed (docs/cost.md).
 */
export function worstCaseCostUsd(request: InferenceRequest, pricing: Pick<ModelSpec, 'price'>, outputTokensPerResult = request.maxTokens): number | null {
  if (!pricing.price) return null;
  const promptTokens = worstCasePromptTokens(request);
  const rates = ratesFor(pricing.price, promptTokens);
  const perResult = (promptTokens * rates.input + outputTokensPerResult * rates.output) / 1_000_000;
  return perResult * request.numberResults;
}
