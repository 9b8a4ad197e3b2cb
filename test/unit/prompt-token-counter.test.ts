import { describe, expect, it } from 'vitest';
import { createPromptTokenCounter, MESSAGE_OVERHEAD_TOKENS, REPLY_OVERHEAD_TOKENS } from '../../src/cost/prompt-token-counter.js';

describe('createPromptTokenCounter', () => {
  it('counts a GPT-5 prompt with o200k_base: content and role tokens, 3 per message and 3 for the reply', async () => {
    const counter = await createPromptTokenCounter(['o200k_base']);
    // o200k_base: "hello world" is 2 tokens, "user" and "system" 1 each.
    const one = counter.count({ messages: [{ role: 'user', content: 'hello world' }], outputFormat: 'TEXT' }, 'o200k_base');
    expect(one).toBe(REPLY_OVERHEAD_TOKENS + MESSAGE_OVERHEAD_TOKENS + 1 + 2);
    const withSystem = counter.count({ systemPrompt: 'hello world', messages: [{ role: 'user', content: 'hello world' }], outputFormat: 'TEXT' }, 'o200k_base');
    expect(withSystem).toBe(one + MESSAGE_OVERHEAD_TOKENS + 1 + 2);
  });

  it('counts text that looks like a special token as ordinary text instead of throwing', async () => {
    const counter = await createPromptTokenCounter(['o200k_base']);
    const tokens = counter.count({ messages: [{ role: 'user', content: '<|endoftext|> hi' }], outputFormat: 'TEXT' }, 'o200k_base');
    expect(tokens).toBeGreaterThan(REPLY_OVERHEAD_TOKENS + MESSAGE_OVERHEAD_TOKENS + 2);
  });

  it('counts far fewer tokens than bytes for English with the real tokenizer', async () => {
    const counter = await createPromptTokenCounter(['o200k_base']);
    const content = 'Return the invoice as JSON with vendor, invoiceNumber, total (a number) and currency (ISO 4217 code). '.repeat(20);
    const tokens = counter.count({ messages: [{ role: 'user', content }], outputFormat: 'TEXT' }, 'o200k_base');
    expect(tokens).toBeGreaterThan(content.length / 8);
    expect(tokens).toBeLessThan(content.length / 3);
  });

  it('adds the JSON output schema to the prompt only when the output format is JSON', async () => {
    const counter = await createPromptTokenCounter(['o200k_base']);
    const jsonSchema = { name: 'invoice', strict: true, schema: { type: 'object', properties: { total: { type: 'number' } } } };
    const messages = [{ role: 'user' as const, content: 'ACME Corp, invoice 123' }];
    const text = counter.count({ messages, outputFormat: 'TEXT', jsonSchema }, 'o200k_base');
    const json = counter.count({ messages, outputFormat: 'JSON', jsonSchema }, 'o200k_base');
    expect(json - text).toBeGreaterThan(10);
  });

  it('approximates other models at one token per 4 bytes of UTF-8 per text, without loading a tokenizer', async () => {
    const counter = await createPromptTokenCounter(['approximate']);
    // "héllo wörld": 13 bytes → 4 tokens; "user": 1 token.
    const tokens = counter.count({ messages: [{ role: 'user', content: 'héllo wörld' }], outputFormat: 'TEXT' }, 'approximate');
    expect(tokens).toBe(REPLY_OVERHEAD_TOKENS + MESSAGE_OVERHEAD_TOKENS + 1 + 4);
    expect(() => counter.count({ messages: [], outputFormat: 'TEXT' }, 'o200k_base')).toThrow(/not loaded/);
  });
});
