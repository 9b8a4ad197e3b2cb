import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { memoryIo } from '../support/memory-io.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'evalgate-models-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Listed {
  id: string;
  air: string;
  thinkingLevels: string[];
  outputFormats: string[];
  acceptsImages: boolean;
  price: { input: number; output: number; above?: { promptTokens: number; input: number; output: number } } | null;
  unconfirmed: string[];
  fieldSources: Record<string, string>;
  fromConfig: boolean;
}

async function listJson(cwd: string): Promise<Listed[]> {
  const io = memoryIo({ cwd });
  expect(await runCli(['models', '--json'], io)).toBe(0);
  return (JSON.parse(io.out()) as { models: Listed[] }).models;
}

describe('evalgate models', () => {
  it('lists every model of the table as JSON: AIR, what it takes, price (with its tier), unconfirmed fields and their sources', async () => {
    const models = await listJson(dir);
    expect(models.map((m) => m.id)).toEqual(Object.keys(DEFAULT_MODELS));
    const gemini = models.find((m) => m.id === 'google-gemini-3-1-pro')!;
    expect(gemini).toMatchObject({ air: 'google:gemini@3.1-pro', outputFormats: ['TEXT'], acceptsImages: true, price: { input: 2, output: 12, above: { promptTokens: 200_000, input: 4, output: 18 } }, fromConfig: false });
    expect(gemini.unconfirmed).toContain('thinkingLevels');
    expect(gemini.fieldSources.price).toContain('runware-page');
    expect(models.find((m) => m.id === 'zai-glm-5-1')!.price).toBeNull();
  });

  it('shows what evalconfig.yaml adds or fixes, and names it as the source', async () => {
    writeFileSync(path.join(dir, 'evalconfig.yaml'), 'models:\n  zai-glm-5-1: {thinkingLevels: [none, high]}\n  acme-lm: {air: "acme:lm@1", maxTokens: 100, maxNumberResults: 1, thinkingLevels: [none], outputFormats: [TEXT], deliveryMethods: [sync]}\n');
    const models = await listJson(dir);
    expect(models.find((m) => m.id === 'zai-glm-5-1')).toMatchObject({ thinkingLevels: ['none', 'high'], fromConfig: true, fieldSources: { thinkingLevels: 'evalconfig.yaml' } });
    expect(models.find((m) => m.id === 'zai-glm-5-1')!.unconfirmed).not.toContain('thinkingLevels');
    expect(models.find((m) => m.id === 'acme-lm')).toMatchObject({ air: 'acme:lm@1', fromConfig: true });

    const io = memoryIo({ cwd: dir });
    expect(await runCli(['models'], io)).toBe(0);
    expect(io.out()).toMatch(/zai-glm-5-1 \*[\s│]+zai:glm@5\.1/);
    expect(io.out()).toContain('set or changed under models: in evalconfig.yaml');
  });

  it('prints a table for people: one row per model, its price and what is unconfirmed', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['models'], io)).toBe(0);
    const row = io.out().split('\n').find((l) => l.includes('google:gemini@3.1-pro'))!;
    expect(row).toContain('2 / 12 (4 / 18 above 200k prompt)');
    expect(row).toContain('thinkingLevels');
    expect(io.out()).toContain(`${Object.keys(DEFAULT_MODELS).length} models.`);
  });

  it('reports a broken evalconfig.yaml as a config error (exit 2) at its line', async () => {
    writeFileSync(path.join(dir, 'evalconfig.yaml'), 'models:\n  zai-glm-5-1: {thinkingLevels: [sometimes]}\n');
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['models'], io)).toBe(2);
    expect(io.err()).toMatch(/evalconfig\.yaml:2/);
  });
});
