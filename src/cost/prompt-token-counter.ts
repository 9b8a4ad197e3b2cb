import type { ModelSpec } from '../config/model-table.js';
import type { InferenceRequest } from '../plan/trial.js';

/** How a model's prompt tokens are counted (the model table's `tokenizer`). */
export type TokenizerName = ModelSpec['tokenizer'];

/** What of a request is sent to the model as its prompt. */
export type PromptParts = Pick<InferenceRequest, 'messages' | 'systemPrompt' | 'outputFormat' | 'jsonSchema'>;

/**
 * Tokens the chat format adds to every message (`<|im_start|>`, `<|im_sep|>`, `<|im_end|>`) beyond
 * its role and content, and once per request to start the reply: OpenAI's published counting rule
 * for its chat models (tokens_per_message = 3, reply primed with 3).
 */
export const MESSAGE_OVERHEAD_TOKENS = 3;
export const REPLY_OVERHEAD_TOKENS = 3;

/** The `approximate` rule: one token per this many bytes of UTF-8, rounded up, per text. */
export const APPROXIMATE_BYTES_PER_TOKEN = 4;

/** Counts the prompt tokens a request will be billed for. */
export interface PromptTokenCounter {
  count(prompt: PromptParts, tokenizer: TokenizerName): number;
}

type Encode = (text: string) => number;

/**
 * A counter for the given tokenizers. `o200k_base` (GPT-4o and the GPT-5 family) is the real BPE
 * tokenizer from `gpt-tokenizer`, imported only when a model needs it (it takes most of a second to
 * load); `approximate` needs nothing. Both apply the same chat overhead: the system prompt is one
 * `system` message, each message costs its role, its content and {@link MESSAGE_OVERHEAD_TOKENS},
 * the reply {@link REPLY_OVERHEAD_TOKENS}, and a JSON output schema is counted as its JSON text.
 */
export async function createPromptTokenCounter(tokenizers: Iterable<TokenizerName>): Promise<PromptTokenCounter> {
  const encoders = new Map<TokenizerName, Encode>([['approximate', approximateTokens]]);
  if ([...tokenizers].includes('o200k_base')) {
    const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
    // Text that looks like a special token (`<|endoftext|>`) is ordinary text in a prompt.
    const asText = { disallowedSpecial: new Set<string>() };
    encoders.set('o200k_base', (text) => countTokens(text, asText));
  }
  const cache = new Map<string, number>();
  return {
    count(prompt, tokenizer) {
      const encode = encoders.get(tokenizer);
      if (!encode) throw new Error(`tokenizer ${tokenizer} was not loaded`);
      const key = `${tokenizer}\u0000${prompt.systemPrompt ?? ''}\u0000${JSON.stringify(prompt.messages)}\u0000${prompt.outputFormat === 'JSON' && prompt.jsonSchema ? JSON.stringify(prompt.jsonSchema) : ''}`;
      let tokens = cache.get(key);
      if (tokens === undefined) cache.set(key, (tokens = countPrompt(prompt, encode)));
      return tokens;
    },
  };
}

function countPrompt(prompt: PromptParts, encode: Encode): number {
  const messages = [...(prompt.systemPrompt !== undefined ? [{ role: 'system', content: prompt.systemPrompt }] : []), ...prompt.messages];
  let tokens = REPLY_OVERHEAD_TOKENS;
  for (const message of messages) tokens += MESSAGE_OVERHEAD_TOKENS + encode(message.role) + encode(message.content);
  if (prompt.outputFormat === 'JSON' && prompt.jsonSchema) tokens += encode(JSON.stringify(prompt.jsonSchema));
  return tokens;
}

/** A prompt's tokens by the `approximate` rule, with the chat overhead; needs no tokenizer. */
export function approximatePromptTokens(prompt: PromptParts): number {
  return countPrompt(prompt, approximateTokens);
}

/** One token per {@link APPROXIMATE_BYTES_PER_TOKEN} bytes of UTF-8, rounded up. */
export function approximateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / APPROXIMATE_BYTES_PER_TOKEN);
}
