import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelSnapshotSchema, modelSpecsFromSnapshot } from '../../src/config/model-snapshot.js';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/refresh-model-snapshot.mjs');

/** Two models as the TS SDK's registry lists them, and their per-model params as the Python SDK's generated types carry them. */
const TS_REGISTRY = [
  "export const models = {",
  "  'openai:gpt@5.5': { taskType: 'textInference', id: 'openai-gpt-5-5' },",
  "  'acme:new@1': { taskType: 'textInference', id: 'acme-new-1' },",
  "  'runware:101@1': { taskType: 'imageInference', id: 'flux-1-dev' },",
  '}',
].join('\n');
const PY_TASK_MAP = [
  '"""AUTO-GENERATED"""',
  'SCHEMAS_VERSION = "20270101120000"',
  '',
  'class OpenaiGpt55Params(TypedDict, total=False):',
  '    """Inference params for curated model `openai:gpt@5.5` (slug: openai-gpt-5-5)."""',
  '',
  "    model: Literal['openai:gpt@5.5']",
  "    outputFormat: NotRequired[Literal['TEXT']]",
  '    inputs: NotRequired[dict[str, object]]',
  "    taskType: Literal['textInference']",
  '    deliveryMethod: NotRequired[str]',
  '',
  'class AcmeNew1Params(TypedDict, total=False):',
  '    """Inference params for curated model `acme:new@1` (slug: acme-new-1)."""',
  '',
  "    model: Literal['acme:new@1']",
  "    outputFormat: NotRequired[Literal['TEXT', 'JSON']]",
  '    jsonSchema: NotRequired[dict[str, object] | str]',
  '    tools: NotRequired[list[dict[str, object]]]',
  "    taskType: Literal['textInference']",
  "    deliveryMethod: NotRequired[Literal['async']]",
  '',
].join('\n');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'evalgate-refresh-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/refresh-model-snapshot.mjs', () => {
  it("takes what the SDK files settle, dated by their schemas, adds a new model with assumed guesses, and drops one the registry lost", () => {
    const snapshot = JSON.parse(readFileSync(path.join(root, 'data/runware-model-snapshot.json'), 'utf8')) as { models: Record<string, unknown> };
    const file = path.join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
    writeFileSync(path.join(dir, 'task-map.ts'), TS_REGISTRY);
    writeFileSync(path.join(dir, 'task_map.py'), PY_TASK_MAP);
    execFileSync(process.execPath, [script, '--snapshot', file, '--typescript', path.join(dir, 'task-map.ts'), '--python', path.join(dir, 'task_map.py'), '--typescript-schemas', '20270202120000', '--python-version', '9.9.9'], { stdio: 'pipe' });

    const refreshed = ModelSnapshotSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(Object.keys(refreshed.models).sort()).toEqual(['acme-new-1', 'openai-gpt-5-5']);
    expect(refreshed.sources['sdk-python']).toMatchObject({ version: '9.9.9', schemas: '20270101120000', date: '2027-01-01' });
    expect(refreshed.sources['sdk-typescript']).toMatchObject({ schemas: '20270202120000', date: '2027-02-02' });
    const gpt = refreshed.models['openai-gpt-5-5']!;
    expect(gpt.outputFormats).toEqual({ value: ['TEXT'], source: 'sdk-python', date: '2027-01-01' });
    expect(gpt.jsonSchema.value).toBe(false);
    expect(gpt.acceptsTools.value).toBe(false);
    expect(gpt.toolTypes.value).toEqual([]);
    expect(gpt.maxTokens.source).toBe('runware-page'); // kept: not the SDKs' to say
    const added = refreshed.models['acme-new-1']!;
    expect(added).toMatchObject({ air: { value: 'acme:new@1', source: 'sdk-typescript' }, outputFormats: { value: ['TEXT', 'JSON'] }, deliveryMethods: { value: ['async'], source: 'sdk-python' }, toolTypes: { value: ['function'] } });
    expect(added.maxTokens.source).toBe('assumed');
    // The refreshed snapshot generates a table.
    const specs = modelSpecsFromSnapshot(refreshed);
    expect(specs['acme-new-1']!.unconfirmed).toEqual(expect.arrayContaining(['maxTokens', 'thinkingLevels']));
  });
});
