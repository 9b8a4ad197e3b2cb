// node bench/data-file-load.mjs [rows]: how long `load` takes for a suite whose cases come from a CSV
// and a JSONL data file of `rows` rows each (default 10,000), measured in-process on the built code
// (npm run build first). A benchmark, not a test: it prints the median of five loads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProject } from '../dist/config/load-project.js';

const rows = Number(process.argv[2] ?? 10_000);
const root = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-data-'));
mkdirSync(path.join(root, 'data'));
const csv = ['id,ticket,expected', ...Array.from({ length: rows }, (_, i) => `t${i},"Ticket ${i}: I was charged twice, please help",billing`)].join('\n');
const jsonl = Array.from({ length: rows }, (_, i) => JSON.stringify({ id: `j${i}`, ticket: `Ticket ${i}`, expected: 'bug' })).join('\n');
writeFileSync(path.join(root, 'data/tickets.csv'), `${csv}\n`);
writeFileSync(path.join(root, 'data/tickets.jsonl'), `${jsonl}\n`);
for (const [name, file] of [['csv', 'tickets.csv'], ['jsonl', 'tickets.jsonl']]) {
  writeFileSync(
    path.join(root, `${name}.yaml`),
    `suite: ${name}\nsettings: {systemPrompt: "Classify.", maxTokens: 200}\nmessages: [{role: user, content: "{{ticket}}"}]\nassert: [{type: equals, value: "{{expected}}"}, {type: regex, pattern: '^[a-z]+$'}]\ncases: {file: data/${file}}\n`,
  );
}
for (const name of ['csv', 'jsonl']) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const project = await loadProject({ cwd: root, suitePaths: [`${name}.yaml`] });
    times.push(performance.now() - started);
    if (project.suites[0].cases.length !== rows) throw new Error(`expected ${rows} cases`);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: ${rows} rows loaded in ${times[2].toFixed(0)} ms (median of 5; min ${times[0].toFixed(0)} ms)`);
}
rmSync(root, { recursive: true, force: true });
