// Writes src/config/default-models.ts and the model table in docs/models.md from
// data/runware-model-snapshot.json (run after a build: `npm run models`). test/unit/model-snapshot.test.ts
// fails when the files and the snapshot disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_TABLE_END, DOC_TABLE_START, modelSpecsFromSnapshot, renderDefaultModelsSource, renderModelsDocTable } from '../dist/config/model-snapshot.js';

const specs = modelSpecsFromSnapshot(JSON.parse(readFileSync(new URL('../data/runware-model-snapshot.json', import.meta.url), 'utf8')));
writeFileSync(new URL('../src/config/default-models.ts', import.meta.url), renderDefaultModelsSource(specs));
const docUrl = new URL('../docs/models.md', import.meta.url);
const doc = readFileSync(docUrl, 'utf8');
const start = doc.indexOf(DOC_TABLE_START);
const end = doc.indexOf(DOC_TABLE_END);
if (start === -1 || end === -1) throw new Error('docs/models.md has lost the markers around its model table');
writeFileSync(docUrl, `${doc.slice(0, start + DOC_TABLE_START.length)}\n${renderModelsDocTable(specs)}\n${doc.slice(end)}`);
console.log(`wrote src/config/default-models.ts and the table in docs/models.md: ${Object.keys(specs).length} models`);
