// Refreshes data/runware-model-snapshot.json from the per-model types of Runware's SDKs, which are
// generated from Runware's published per-model schemas. Reads the two files as data; copies no code.
//
//   git --git-dir=<runware-typescript>/.git show HEAD:src/types/task-map.ts > /tmp/task-map.ts
//   git --git-dir=<runware-python>/.git show HEAD:runware/types/task_map.py > /tmp/task_map.py
//   node scripts/refresh-model-snapshot.mjs --typescript /tmp/task-map.ts --python /tmp/task_map.py [--snapshot file] \
//     --typescript-version 1.6.8 --typescript-commit <sha> --typescript-schemas <SCHEMAS_VERSION of src/_schemas-version.ts> \
//     --python-version 1.4.0 --python-commit <sha>
//   npm run models        # regenerates src/config/default-models.ts and the table in docs/models.md
//
// Fields the SDKs settle (AIR, outputFormat, jsonSchema, inputs, tools, an async-only delivery) are
// overwritten, each with its source and the date of the schemas it came from; a model new to the
// registry gets the fields nobody publishes (maxTokens, thinking levels, speed) as `assumed` guesses.
// Fields sourced from Runware's model pages or elsewhere are kept as they are.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    snapshot: { type: 'string' },
    typescript: { type: 'string' },
    python: { type: 'string' },
    'typescript-version': { type: 'string' },
    'typescript-commit': { type: 'string' },
    'typescript-schemas': { type: 'string' },
    'python-version': { type: 'string' },
    'python-commit': { type: 'string' },
  },
});
const SNAPSHOT = args.snapshot ?? new URL('../data/runware-model-snapshot.json', import.meta.url);
if (!args.typescript || !args.python) {
  console.error('usage: node scripts/refresh-model-snapshot.mjs --typescript <task-map.ts> --python <task_map.py> [--typescript-version v --typescript-commit sha --python-version v --python-commit sha]');
  process.exit(2);
}

const ts = readFileSync(args.typescript, 'utf8');
const py = readFileSync(args.python, 'utf8');
/** `20260722152433` → `2026-07-22`. */
const schemaDate = (version) => `${version.slice(0, 4)}-${version.slice(4, 6)}-${version.slice(6, 8)}`;
// The TS SDK keeps its schemas version in src/_schemas-version.ts: pass it with --typescript-schemas.
const tsSchemas = args['typescript-schemas'];
const pySchemas = /SCHEMAS_VERSION = "(\d{14})"/.exec(py)?.[1];
if (!pySchemas) throw new Error('no SCHEMAS_VERSION in the Python task map');

// The TS SDK's registry: `'openai:gpt@5.5': { taskType: 'textInference', id: 'openai-gpt-5-5' }`.
const registry = [...ts.matchAll(/'([^']+)': \{ taskType: 'textInference', id: '([^']+)' \}/g)].map(([, air, slug]) => ({ air, slug }));
if (registry.length === 0) throw new Error('no textInference model in the TS registry');

// The Python SDK's per-model params: one TypedDict per curated model, fields present or not, Literal values.
const paramsByAir = new Map();
for (const block of py.split('\nclass ')) {
  const head = /^(\w+)Params\(TypedDict, total=False\):\n\s+"""Inference params for curated model `([^`]+)`/.exec(block);
  if (!head || !block.includes("taskType: Literal['textInference']")) continue;
  const fields = new Map();
  for (const [, name, type] of block.matchAll(/^\s{4}(\w+): (.+)$/gm)) fields.set(name, type);
  paramsByAir.set(head[2], fields);
}

const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
const read = new Date().toISOString().slice(0, 10);
const tsDate = schemaDate(tsSchemas ?? snapshot.sources['sdk-typescript'].schemas);
snapshot.sources['sdk-typescript'] = {
  ...snapshot.sources['sdk-typescript'],
  ...(args['typescript-version'] ? { version: args['typescript-version'] } : {}),
  ...(args['typescript-commit'] ? { commit: args['typescript-commit'] } : {}),
  ...(tsSchemas ? { schemas: tsSchemas } : {}),
  date: tsDate,
  read,
};
snapshot.sources['sdk-python'] = {
  ...snapshot.sources['sdk-python'],
  ...(args['python-version'] ? { version: args['python-version'] } : {}),
  ...(args['python-commit'] ? { commit: args['python-commit'] } : {}),
  schemas: pySchemas,
  date: schemaDate(pySchemas),
  read,
};
const pyDate = snapshot.sources['sdk-python'].date;
const fromTs = (value) => ({ value, source: 'sdk-typescript', date: tsDate });
const fromPy = (value) => ({ value, source: 'sdk-python', date: pyDate });
const literals = (type) => [...(type ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);

const models = {};
for (const { air, slug } of registry) {
  const old = Object.values(snapshot.models).find((m) => m.air.value === air) ?? snapshot.models[slug] ?? newModel(slug);
  const params = paramsByAir.get(air);
  const model = { ...old, air: fromTs(air) };
  if (params) {
    const formats = literals(params.get('outputFormat'));
    if (formats.length > 0) model.outputFormats = fromPy(formats);
    model.jsonSchema = fromPy(params.has('jsonSchema'));
    model.acceptsImages = fromPy(params.has('inputs'));
    model.acceptsTools = fromPy(params.has('tools'));
    // The schemas say whether a model takes `tools`, not which kinds: function tools then, the built-ins only where a guess says so.
    if (!params.has('tools')) model.toolTypes = fromPy([]);
    else if (!model.toolTypes || model.toolTypes.value.length === 0) model.toolTypes = fromPy(['function']);
    model.acceptsSeed = fromPy(params.has('seed'));
    const delivery = literals(params.get('deliveryMethod'));
    if (delivery.length > 0) model.deliveryMethods = fromPy(delivery);
  } else {
    console.warn(`${air}: no per-model params in the Python task map; its SDK-sourced fields are left as they were`);
  }
  models[slug] = model;
}
for (const slug of Object.keys(snapshot.models)) if (!models[slug]) console.warn(`${slug}: no longer in the TS registry; dropped from the snapshot`);
snapshot.models = models;
writeFileSync(SNAPSHOT, `${JSON.stringify(snapshot, null, 2)}\n`);
console.log(`${registry.length} text models from the registry; ${paramsByAir.size} with per-model params. Now run: npm run models`);

/** A model the registry names and the snapshot does not have: what nobody publishes, assumed. */
function newModel(slug) {
  const assumed = (value) => ({ value, source: 'assumed', date: read });
  console.warn(`${slug}: new; maxTokens, thinking levels, numberResults and speed are assumed: check them`);
  return {
    displayName: slug,
    maxTokens: assumed(32_768),
    maxNumberResults: { value: 4, source: 'runware-text-inference', date: snapshot.sources['runware-text-inference'].date },
    thinkingLevels: assumed(['none', 'low', 'medium', 'high']),
    deliveryMethods: { value: ['sync', 'async', 'stream'], source: 'sdk-typescript-text-params', date: tsDate },
    toolTypes: assumed(['function']),
    outputTokensPerSecond: assumed(60),
    thinkingBilling: assumed('separate'),
    tokenizer: assumed('approximate'),
  };
}
