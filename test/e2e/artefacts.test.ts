import { cpSync, existsSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import { configJsonSchema, suiteJsonSchema } from '../../src/config/config-json-schemas.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import { artefactValidator } from '../support/artefact-schema.js';
import { validateJunit } from '../support/junit-schemas.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/projects/sentiment');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const readLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('artefacts match their JSON Schemas', () => {
  let project: string;
  const validSummary = artefactValidator('summary.schema.json');
  const validLine = artefactValidator('result-line.schema.json');

  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'evalgate-artefacts-'));
    cpSync(fixture, project, { recursive: true });
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('writes summary.json and results.jsonl under reports/<run id>, and points reports/latest at it', async () => {
    const io = memoryIo({ cwd: project });
    const code = await runCli(['run', '--provider', 'simulator'], io);
    expect([0, 1]).toContain(code);
    const runs = readdirSync(path.join(project, 'reports')).filter((n) => n !== 'latest');
    expect(runs).toHaveLength(1);
    expect(readlinkSync(path.join(project, 'reports', 'latest'))).toBe(runs[0]);
    const runDir = path.join(project, 'reports', runs[0]!);

    const summary = readJson(path.join(runDir, 'summary.json')) as { simulated: boolean; provider: string; totals: { samples: number }; estimate: { groups: unknown[] } };
    expect(validSummary(summary)).toBe('valid');
    expect(summary.estimate.groups.length).toBeGreaterThan(0);
    expect(summary).toMatchObject({ simulated: true, provider: 'simulator' });
    const lines = readLines(path.join(runDir, 'results.jsonl'));
    expect(lines).toHaveLength(summary.totals.samples);
    for (const line of lines) expect(validLine(line)).toBe('valid');
    expect(io.out()).toContain('simulated answers, not a real model');

    // The other reports of a default run: JUnit valid against the schema CI tools read, Markdown, HTML.
    const junit = await validateJunit(readFileSync(path.join(runDir, 'junit.xml'), 'utf8'));
    expect(junit.jenkins).toEqual([]);
    expect(junit.windyroadWithoutSummary).toEqual([]);
    expect(readFileSync(path.join(runDir, 'summary.md'), 'utf8')).toMatch(/^## (✅|❌) evalgate/);
    expect(readFileSync(path.join(runDir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);

    // Every report of a simulated run says so (report.html draws its note from the data it embeds).
    expect(io.out()).toContain('These answers are simulated by the built-in simulator');
    expect(readFileSync(path.join(runDir, 'summary.md'), 'utf8')).toContain('> Answers from the built-in simulator, not a real model');
    const properties = readFileSync(path.join(runDir, 'junit.xml'), 'utf8').match(/<property name="simulated" value="[^"]*"\/>/g) ?? [];
    expect(properties.length).toBeGreaterThan(0);
    expect(new Set(properties)).toEqual(new Set(['<property name="simulated" value="true"/>']));
    const html = readFileSync(path.join(runDir, 'report.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="evalgate-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { meta: { simulated: boolean } };
    expect(data.meta.simulated).toBe(true);
  });

  it('records a run where every request failed as errored samples, exit 3, and validates those lines too', async () => {
    const simulator = await startSimulator({
      seed: 1, scenarios: await loadScenarios(path.join(fixture, 'scenarios'), fixture), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, apiKey: 'the-right-key',
    });
    const out = path.join(project, 'bad-key-run');
    try {
      const io = memoryIo({ cwd: project, env: { RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'canary-wrong-key-7f3a' } });
      const code = await runCli(['run', '--provider', 'runware', '--out', out], io);
      expect(code).toBe(3);
      const lines = readLines(path.join(out, 'results.jsonl'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(validLine(line)).toBe('valid');
        expect(line).toMatchObject({ status: 'errored', pass: null, attempts: 1, error: { code: 'INVALID_API_KEY', httpStatus: 401, providerCode: 'invalidApiKey' } });
      }
      // A 401 is never retried: one request per trial.
      expect(simulator.stats.requests).toBe(lines.length / 2);
      const summary = readJson(path.join(out, 'summary.json'));
      expect(validSummary(summary)).toBe('valid');
      expect(summary).toMatchObject({ totals: { errored: lines.length, passed: 0, failed: 0, passRate: null }, gate: { passed: false, exitCode: 3 } });
      for (const text of [io.out(), io.err(), readFileSync(path.join(out, 'summary.json'), 'utf8'), readFileSync(path.join(out, 'results.jsonl'), 'utf8')]) {
        expect(text).not.toContain('canary-wrong-key-7f3a');
      }
    } finally {
      await simulator.close();
    }
  });

  it('refuses to run without RUNWARE_API_KEY, before any request', async () => {
    const io = memoryIo({ cwd: project, env: {} });
    const code = await runCli(['run', '--provider', 'runware', '--out', path.join(project, 'never')], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('MISSING_API_KEY');
    expect(io.err()).toContain('--provider simulator');
    expect(existsSync(path.join(project, 'never'))).toBe(false);
  });

  it('stops at a config error with exit 2 and sends nothing', async () => {
    const simulator = await startSimulator({ seed: 1, scenarios: [], models: new ModelTable(DEFAULT_MODELS), latencyScale: 0 });
    try {
      const broken = path.join(project, 'broken.yaml');
      writeFileSync(broken, 'suite: broken\nsettings: {maxTokens: 0}\ncases:\n  - id: a\n    messages: [{role: user, content: hi}]\n');
      const io = memoryIo({ cwd: project, env: { RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'k' } });
      const code = await runCli(['run', 'broken.yaml', '--provider', 'runware'], io);
      expect(code).toBe(2);
      expect(io.err()).toContain('broken.yaml:2:23 error OUT_OF_RANGE');
      expect(simulator.stats.requests).toBe(0);
    } finally {
      await simulator.close();
    }
  });
});

describe('suite and config formats', () => {
  it('keeps schemas/suite.schema.json and schemas/config.schema.json in step with the zod schemas (npm run schemas)', () => {
    expect(readJson(path.join(root, 'schemas/suite.schema.json'))).toEqual(suiteJsonSchema());
    expect(readJson(path.join(root, 'schemas/config.schema.json'))).toEqual(configJsonSchema());
  });

  it('keeps the estimate definitions in summary.schema.json equal to those of estimate.schema.json', () => {
    const summary = readJson(path.join(root, 'schemas/summary.schema.json')) as { $defs: Record<string, unknown> };
    const estimate = readJson(path.join(root, 'schemas/estimate.schema.json')) as { $defs: Record<string, unknown> };
    for (const name of ['usd', 'usdInterval', 'history', 'unpriced', 'figures', 'meanAndP95', 'estimateGroup', 'costEstimate', 'usdWithCi', 'projection', 'thinkingLevel']) {
      expect(summary.$defs[name], name).toEqual(estimate.$defs[name]);
    }
  });

  it('accepts the example suites and the repository config', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const suite = ajv.compile(suiteJsonSchema());
    for (const file of readdirSync(path.join(root, 'evals'))) {
      const value = parseYaml(readFileSync(path.join(root, 'evals', file), 'utf8')) as unknown;
      expect(suite(value), `${file}: ${JSON.stringify(suite.errors)}`).toBe(true);
    }
    const config = ajv.compile(configJsonSchema());
    expect(config(parseYaml(readFileSync(path.join(root, 'evalconfig.yaml'), 'utf8')))).toBe(true);
  });
});
