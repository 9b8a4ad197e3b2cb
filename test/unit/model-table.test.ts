import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelSpecSchema, ModelTable } from '../../src/config/model-table.js';

const root = path.resolve(import.meta.dirname, '../..');
const modelsDoc = readFileSync(path.join(root, 'docs/models.md'), 'utf8');

/** Every text model Runware's docs name (../shared/runware-api.md), by AIR. */
const NAMED_BY_RUNWARE = [
  'openai:gpt@5.5', 'google:gemini@3.1-pro', 'deepseek:v4@flash', 'openai:gpt@5.4', 'openai:gpt@5.4-mini', 'openai:gpt@5-mini',
  'anthropic:claude@sonnet-4.6', 'google:gemini@3.5-flash', 'deepseek:v4@pro', 'minimax:m2.7@0', 'moonshotai:kimi@k2.6', 'openai:gpt@5.4-pro',
];

describe('the built-in model table', () => {
  const table = new ModelTable(DEFAULT_MODELS);

  it('holds every text model Runware names, each findable by slug and by AIR', () => {
    for (const air of NAMED_BY_RUNWARE) {
      const entry = table.find(air);
      expect(entry, air).toBeDefined();
      expect(table.find(entry!.id)).toBe(entry);
    }
    expect(new Set(table.entries.map((e) => e.air)).size).toBe(table.entries.length);
  });

  it('has entries its own schema accepts unchanged', () => {
    for (const [id, spec] of Object.entries(DEFAULT_MODELS)) expect(ModelSpecSchema.parse(spec), id).toEqual(spec);
  });

  it('prices GPT-5.5 consistently with the example call in shared/runware-api.md (a third-party price, marked unconfirmed)', () => {
    const price = table.find('openai:gpt@5.5')!.price!;
    expect((162 * price.input + 41 * price.output) / 1e6).toBeCloseTo(0.00204, 10);
    expect(table.find('openai:gpt@5.5')!.unconfirmed).toContain('price');
    expect(price.cachedInput).toBeUndefined();
  });

  it('keeps limits per model in the table: gpt-5.4-pro is async only, and says which limits are guesses', () => {
    expect(table.find('openai-gpt-5-4-pro')!.deliveryMethods).toEqual(['async']);
    expect(table.find('openai-gpt-5-5')!.unconfirmed).not.toContain('maxTokens');
    expect(table.find('minimax-m2-7')!.unconfirmed).toContain('thinkingLevels');
    expect(table.find('minimax-m2-7')!.unconfirmed).not.toContain('outputFormats');
  });

  it('is the table docs/models.md shows: every id and AIR, and a price only where the table has one', () => {
    for (const entry of table.entries) {
      const row = modelsDoc.split('\n').find((line) => line.startsWith(`| \`${entry.id}\` | \`${entry.air}\` |`));
      expect(row, entry.id).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells.at(-3) === '—', `${entry.id} price`).toBe(entry.price === undefined);
      expect(cells[7]!.includes('async only'), `${entry.id} delivery`).toBe(entry.deliveryMethods.length === 1 && entry.deliveryMethods[0] === 'async');
    }
  });
});
