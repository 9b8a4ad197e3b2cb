import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { DOC_TABLE_END, DOC_TABLE_START, ModelSnapshotSchema, modelSpecsFromSnapshot, renderDefaultModelsSource, renderModelsDocTable } from '../../src/config/model-snapshot.js';
import { priceUsage } from '../../src/cost/price-usage.js';

const root = path.resolve(import.meta.dirname, '../..');
const snapshotJson: unknown = JSON.parse(readFileSync(path.join(root, 'data/runware-model-snapshot.json'), 'utf8'));
const snapshot = ModelSnapshotSchema.parse(snapshotJson);
const table = new ModelTable(DEFAULT_MODELS);

/** The 29 text models of the TS SDK registry (Runware/runware-typescript 1.6.8, src/types/task-map.ts). */
const REGISTRY = [
  'alibaba:qwen@3.5-27b', 'alibaba:qwen@3.5-397b', 'anthropic:claude@fable-5', 'anthropic:claude@haiku-4.5', 'anthropic:claude@opus-4.7',
  'anthropic:claude@opus-4.8', 'anthropic:claude@sonnet-4.6', 'deepseek:v4@flash', 'deepseek:v4@pro', 'google:gemini@3-flash',
  'google:gemini@3.1-flash-lite', 'google:gemini@3.1-pro', 'google:gemini@3.5-flash', 'google:gemma@4-31b', 'minimax:m2.5@0', 'minimax:m2.7@0',
  'minimax:m2.7@highspeed', 'minimax:m3@0', 'moonshotai:kimi@k2.6', 'openai:gpt@5-mini', 'openai:gpt@5-nano', 'openai:gpt@5.4', 'openai:gpt@5.4-mini',
  'openai:gpt@5.4-nano', 'openai:gpt@5.4-pro', 'openai:gpt@5.5', 'xai:grok@4.3', 'zai:glm@4.7', 'zai:glm@5.1',
];

describe('the model snapshot and the table generated from it', () => {
  it('agree: src/config/default-models.ts is what `npm run models` writes from the snapshot', () => {
    const generated = renderDefaultModelsSource(modelSpecsFromSnapshot(snapshotJson));
    expect(readFileSync(path.join(root, 'src/config/default-models.ts'), 'utf8')).toBe(generated);
  });

  it('agree: docs/models.md shows the generated table', () => {
    const doc = readFileSync(path.join(root, 'docs/models.md'), 'utf8');
    const between = doc.slice(doc.indexOf(DOC_TABLE_START) + DOC_TABLE_START.length, doc.indexOf(DOC_TABLE_END)).trim();
    expect(between).toBe(renderModelsDocTable(DEFAULT_MODELS));
  });

  it('covers every text model of the TS SDK registry, by AIR and slug, and no other', () => {
    expect(table.entries.map((e) => e.air).sort()).toEqual([...REGISTRY].sort());
    for (const air of REGISTRY) expect(table.find(table.find(air)!.id)!.air).toBe(air);
  });

  it('gives every field a known source, dated as that source is', () => {
    for (const [id, model] of Object.entries(snapshot.models)) {
      for (const [name, value] of Object.entries(model)) {
        if (typeof value !== 'object') continue;
        expect(snapshot.sources[value.source], `${id}.${name}`).toBeDefined();
        expect(value.date, `${id}.${name}`).toBe(snapshot.sources[value.source]!.date);
      }
    }
  });

  it('refuses a snapshot whose field is dated otherwise than its source, or takes JSON without jsonSchema', () => {
    const broken = structuredClone(snapshot);
    broken.models['openai-gpt-5-5']!.air.date = '1999-01-01';
    expect(() => modelSpecsFromSnapshot(broken)).toThrow(/dated 1999-01-01/);
    const json = structuredClone(snapshot);
    json.models['openai-gpt-5-4']!.outputFormats.value = ['TEXT', 'JSON'];
    expect(() => modelSpecsFromSnapshot(json)).toThrow(/JSON and jsonSchema disagree/);
  });

  it("takes JSON output only where Runware's schemas do: not gpt-5.4, -mini, -pro, claude-sonnet-4.6, gemini-3.1-pro, deepseek-v4-pro", () => {
    for (const id of ['openai-gpt-5-4', 'openai-gpt-5-4-mini', 'openai-gpt-5-4-pro', 'anthropic-claude-sonnet-4-6', 'google-gemini-3-1-pro', 'deepseek-v4-pro']) {
      expect(table.find(id)!.outputFormats, id).toEqual(['TEXT']);
      expect(table.find(id)!.unconfirmed, id).not.toContain('outputFormats');
    }
    expect(table.find('openai-gpt-5-5')!.outputFormats).toEqual(['TEXT', 'JSON']);
  });

  it('lets Kimi K2.6 take images, as its Runware page and schema say', () => {
    expect(table.find('moonshotai-kimi-k2-6')!.acceptsImages).toBe(true);
    expect(table.find('moonshotai-kimi-k2-6')!.unconfirmed).not.toContain('acceptsImages');
  });

  it('says where each field comes from, and lists as unconfirmed exactly the fields no per-model source gives', () => {
    const gpt = table.find('openai-gpt-5-5')!;
    expect(gpt.fieldSources).toMatchObject({ air: 'sdk-typescript 2026-07-22', outputFormats: 'sdk-python 2026-06-23', maxTokens: expect.stringContaining('runware-page') });
    const qwen = table.find('alibaba-qwen3-5-27b')!;
    expect(qwen.toolTypes).toEqual([]);
    expect(qwen.unconfirmed).toEqual(expect.arrayContaining(['maxTokens', 'thinkingLevels']));
    expect(table.find('openai-gpt-5-4-pro')!.deliveryMethods).toEqual(['async']);
    expect(table.find('openai-gpt-5-4-pro')!.unconfirmed).not.toContain('deliveryMethods');
  });

  it('prices only where Runware publishes a price, GPT-5.5 excepted and marked', () => {
    const priced = table.entries.filter((e) => e.price).map((e) => e.id);
    expect(priced.sort()).toEqual(['google-gemini-3-1-pro', 'openai-gpt-5-5']);
    expect(table.find('google-gemini-3-1-pro')!.unconfirmed).not.toContain('price');
  });

  it('prices Gemini 3.1 Pro by its tier: $2/$12 up to 200k prompt tokens, $4/$18 above', () => {
    const gemini = table.find('google-gemini-3-1-pro')!;
    const usage = (promptTokens: number) => ({ promptTokens, completionTokens: 1000, thinkingTokens: 0, totalTokens: promptTokens + 1000 });
    expect(priceUsage(usage(200_000), gemini)).toBeCloseTo((200_000 * 2 + 1000 * 12) / 1e6, 10);
    expect(priceUsage(usage(200_001), gemini)).toBeCloseTo((200_001 * 4 + 1000 * 18) / 1e6, 10);
  });
});
