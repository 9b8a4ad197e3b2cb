import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import { JsonSchemaCompiler } from '../../src/config/json-schema-compiler.js';
import { PLACEHOLDER_WARNING } from '../../src/reporters/placeholder-note.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo } from '../support/memory-io.js';

const TEXT_SUITE = `suite: greeting
settings: {systemPrompt: "Greet the customer by name.", maxTokens: 500}
sweep: {thinkingLevel: [low, high], numberResults: [2]}
messages: [{role: user, content: "My name is {{name}}."}]
assert: [{type: contains, value: "{{name}}"}]
cases:
  - {id: ada, vars: {name: Ada}}
  - {id: bob, vars: {name: Bob}}
`;

const SCHEMA = { type: 'object', required: ['total', 'currency', 'lines'], additionalProperties: false, properties: { total: { type: 'number', minimum: 0 }, currency: { enum: ['EUR', 'USD'] }, lines: { type: 'array', minItems: 1, items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string', minLength: 3 } } } } } };
const JSON_SUITE = `suite: invoice
settings: {systemPrompt: "Return the invoice as JSON.", maxTokens: 2000}
outputFormat: JSON
jsonSchema: ../schemas/invoice.schema.json
sweep: {thinkingLevel: [low], numberResults: [4]}
assert: [{type: jsonSchema}]
cases:
  - {id: acme, messages: [{role: user, content: "ACME, total 45.10 EUR"}]}
  - {id: globex, messages: [{role: user, content: "Globex, total 12 USD"}]}
`;

describe('a suite with no simulator scenario, and evalgate scenario', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-scenario-'));
    mkdirSync(path.join(dir, 'evals'));
    mkdirSync(path.join(dir, 'schemas'));
    writeFileSync(path.join(dir, 'evalconfig.yaml'), 'provider: simulator\nsimulator: {latencyScale: 0}\n');
    writeFileSync(path.join(dir, 'evals/greeting.yaml'), TEXT_SUITE);
    writeFileSync(path.join(dir, 'schemas/invoice.schema.json'), JSON.stringify(SCHEMA));
    writeFileSync(path.join(dir, 'evals/invoice.yaml'), JSON_SUITE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (out: string, suite: string) => {
    const io = memoryIo({ cwd: dir });
    const code = await runCli(['run', suite, '--out', out, '--quiet'], io);
    return { code, io, summary: JSON.parse(readFileSync(path.join(dir, out, 'summary.json'), 'utf8')) as RunSummary };
  };
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  it('says "placeholder answers" in every report when no scenario matches the suite', async () => {
    const { io, summary } = await run('run', 'evals/greeting.yaml');
    expect(summary.config.placeholderSuites).toEqual(['greeting']);
    expect(io.out()).toContain(`⚠ ${PLACEHOLDER_WARNING}. No simulator scenario matches suite greeting; write one with: evalgate scenario evals/greeting.yaml`);
    expect(read('run/summary.md')).toContain(PLACEHOLDER_WARNING);
    expect(read('run/report.html')).toContain(PLACEHOLDER_WARNING);
    expect(read('run/junit.xml')).toContain(`<property name="placeholderAnswers" value="${PLACEHOLDER_WARNING}"/>`);
  });

  it('writes a scenario for a text suite with answers to fill in; the next run answers from it, without the warning', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['scenario', 'evals/greeting.yaml'], io)).toBe(0);
    expect(io.out()).toContain('wrote fixtures/simulator/greeting.yaml (2 cases): replace each TODO');
    const scenario = parse(read('fixtures/simulator/greeting.yaml')) as { match: string; answers: { when: string; correct: string }[] };
    expect(scenario.match).toBe('Greet the customer by name\\.');
    expect(scenario.answers.map((a) => a.when)).toEqual(['My name is Ada\\.', 'My name is Bob\\.']);

    const { io: runIo, summary } = await run('run', 'evals/greeting.yaml');
    expect(summary.config.placeholderSuites).toEqual([]);
    expect(runIo.out()).not.toContain(PLACEHOLDER_WARNING);
    const texts = read('run/results.jsonl').trim().split('\n').map((l) => (JSON.parse(l) as SampleRecord).text);
    expect(texts.every((t) => t?.startsWith('TODO: '))).toBe(true);

    expect(await runCli(['scenario', 'evals/greeting.yaml'], memoryIo({ cwd: dir }))).toBe(2);
  });

  it("writes right answers valid against a JSON suite's schema: an offline run passes where the scenario answers right", async () => {
    expect(await runCli(['scenario', 'evals/invoice.yaml'], memoryIo({ cwd: dir }))).toBe(0);
    const scenario = parse(read('fixtures/simulator/invoice.yaml')) as { answers: { correct: string; wrong: string }[] };
    const compiled = new JsonSchemaCompiler().compile(SCHEMA);
    if (!compiled.ok) throw new Error(compiled.message);
    for (const answer of scenario.answers) {
      expect(compiled.validate(JSON.parse(answer.correct))).toBe(true);
      expect(compiled.validate(JSON.parse(answer.wrong))).toBe(false);
    }
    const { summary } = await run('run', 'evals/invoice.yaml');
    expect(summary.config.placeholderSuites).toEqual([]);
    expect(summary.totals.passed).toBeGreaterThan(0);
    expect(summary.totals.failed).toBeGreaterThan(0);
  });

  it('refuses a simulator.scenarios folder that does not exist, at its line in evalconfig.yaml', async () => {
    writeFileSync(path.join(dir, 'evalconfig.yaml'), 'provider: simulator\nsimulator:\n  scenarios: fixtures/scenarioz\n');
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['validate'], io)).toBe(2);
    expect(io.err()).toContain('evalconfig.yaml:3:14 error FILE_NOT_FOUND simulator.scenarios: folder fixtures/scenarioz does not exist');
    expect(existsSync(path.join(dir, 'fixtures'))).toBe(false);
  });
});
