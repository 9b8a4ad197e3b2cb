import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { startSimulator, type AnsweredTask } from '../../src/simulator/simulator-server.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo, type MemoryIo } from '../support/memory-io.js';

const pixel = path.resolve(import.meta.dirname, '../fixtures/invalid/images/red-pixel.png');
const URL_IMAGE = 'https://example.com/cat.png';
const UUID_IMAGE = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const DATA_IMAGE = `data:image/png;base64,${readFileSync(pixel).toString('base64')}`;

describe('inputs.images, end to end: files read and sent as base64, URLs, data URIs and UUIDs as they are', () => {
  let dir: string;
  let io: MemoryIo;
  let records: SampleRecord[];
  const answered: AnsweredTask[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-images-'));
    mkdirSync(path.join(dir, 'evals/images'), { recursive: true });
    copyFileSync(pixel, path.join(dir, 'evals/images/pixel.png'));
    writeFileSync(
      path.join(dir, 'evals/describe.yaml'),
      [
        'suite: describe-image',
        'settings: {systemPrompt: "Describe the image in one word.", maxTokens: 300}',
        'inputs: {images: [images/pixel.png]}',
        'cases:',
        '  - id: suite-image',
        '    messages: [{role: user, content: "What colour is it?"}]',
        '  - id: own-images',
        '    messages: [{role: user, content: "Compare them."}]',
        `    inputs: {images: ["{{file}}", "${URL_IMAGE}", "${UUID_IMAGE}", "${DATA_IMAGE}"]}`,
        '    vars: {file: images/pixel.png}',
      ].join('\n'),
    );
    const simulator = await startSimulator({ seed: 1, scenarios: [], models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, onTaskAnswered: (t) => answered.push(t) });
    try {
      io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: simulator.url } });
      expect(await runCli(['run', 'evals', '--provider', 'runware', '--out', 'out'], io)).toBe(0);
    } finally {
      await simulator.close();
    }
    records = readFileSync(path.join(dir, 'out/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("sends a case's own images in its request, and the suite's to a case that gives none", () => {
    const byCase = (text: string) => answered.find((t) => t.messages.at(-1)!.content === text)!;
    expect(byCase('What colour is it?').images).toEqual([DATA_IMAGE]);
    expect(byCase('Compare them.').images).toEqual([DATA_IMAGE, URL_IMAGE, UUID_IMAGE, DATA_IMAGE]);
  });

  it('gets an answer for each, and keeps the base64 out of the artefacts', () => {
    expect(records.map((r) => r.status)).toEqual(['completed', 'completed']);
    const written = readFileSync(path.join(dir, 'out/results.jsonl'), 'utf8') + readFileSync(path.join(dir, 'out/summary.json'), 'utf8');
    expect(written).not.toContain(DATA_IMAGE.slice(30));
    // The simulator counts a flat 258 prompt tokens per image.
    const own = records.find((r) => r.case === 'own-images')!;
    expect(own.usage!.promptTokens).toBeGreaterThan(4 * 258);
  });
});
