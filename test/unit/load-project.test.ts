import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../src/config/diagnostic.js';
import { loadProject } from '../../src/config/load-project.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { buildSampleRecords } from '../../src/run/build-sample-records.js';
import { makeProviderResult, makeTrialOutcome } from '../support/builders.js';

describe('loadProject, for valid input', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-load-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);

  it('accepts YAML merge keys for sharing settings between cases', async () => {
    write('s.yaml', ['suite: s', 'x-common: &common {role: user, content: "shared"}', 'cases:', '  - id: a', '    messages: [{<<: *common}]'].join('\n'));
    // x-common is not a suite key: the merge works, and the unknown key is still reported.
    await expect(loadProject({ cwd: dir, suitePaths: ['s.yaml'] })).rejects.toMatchObject({ diagnostics: [expect.objectContaining({ code: 'UNKNOWN_KEY', line: 2 })] });
    write('t.yaml', ['suite: t', 'cases:', '  - id: a', '    messages: [&m {role: user, content: "shared"}]', '  - id: b', '    messages: [{<<: *m, content: "own"}]'].join('\n'));
    const project = await loadProject({ cwd: dir, suitePaths: ['t.yaml'] });
    expect(project.suites[0]!.cases.map((c) => c.messages[0])).toEqual([{ role: 'user', content: 'shared' }, { role: 'user', content: 'own' }]);
  });

  it('reports an unknown YAML tag as a warning and still loads', async () => {
    write('s.yaml', ['suite: s', 'description: !weird "x"', 'cases:', '  - {id: a, messages: [{role: user, content: hi}]}'].join('\n'));
    const project = await loadProject({ cwd: dir, suitePaths: ['s.yaml'] });
    expect(project.suites).toHaveLength(1);
    expect(project.warnings).toEqual([expect.objectContaining({ severity: 'warning', code: 'YAML_WARNING', line: 2 })]);
  });

  it('finds suites under evals/ with no config at all, whether .yaml or .yml', async () => {
    mkdirSync(path.join(dir, 'evals'));
    write('evals/a.yaml', 'suite: a\ncases:\n  - {id: x, messages: [{role: user, content: hi}]}\n');
    expect((await loadProject({ cwd: dir })).suites.map((s) => s.name)).toEqual(['a']);
    write('evals/b.yml', 'suite: b\ncases:\n  - {id: x, messages: [{role: user, content: hi}]}\n');
    const project = await loadProject({ cwd: dir });
    expect(project.suites.map((s) => s.name)).toEqual(['a', 'b']);
    expect(project.warnings).toEqual([]);
  });

  it('warns about a configured glob that matches nothing when others match', async () => {
    mkdirSync(path.join(dir, 'evals'));
    write('evals/a.yaml', 'suite: a\ncases:\n  - {id: x, messages: [{role: user, content: hi}]}\n');
    write('evalconfig.yaml', 'suites: ["evals/*.yaml", "more/*.yaml"]\n');
    const project = await loadProject({ cwd: dir });
    expect(project.warnings).toEqual([expect.objectContaining({ severity: 'warning', code: 'NO_SUITES', file: 'more/*.yaml' })]);
  });

  it('treats an empty evalconfig.yaml as all defaults', async () => {
    write('evalconfig.yaml', '');
    write('s.yaml', 'suite: s\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n');
    const project = await loadProject({ cwd: dir, suitePaths: ['s.yaml'] });
    expect(project.config).toMatchObject({ provider: 'runware', concurrency: 8, threshold: 0.8, rootDir: dir });
  });

  it('lets a suite use a model added under models: in evalconfig.yaml, with its AIR, limits and price', async () => {
    write('evalconfig.yaml', [
      'models:',
      '  acme-lm-2:',
      '    air: "acme:lm@2"',
      '    maxTokens: 8000',
      '    maxNumberResults: 2',
      '    thinkingLevels: [none, low]',
      '    outputFormats: [TEXT]',
      '    deliveryMethods: [sync]',
      '    price: {input: 2, output: 10}',
    ].join('\n'));
    write('s.yaml', 'suite: s\nmodel: acme-lm-2\nsettings: {maxTokens: 4000}\nsweep: {thinkingLevel: [none, low], numberResults: [2]}\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n');
    const project = await loadProject({ cwd: dir, suitePaths: ['s.yaml'] });
    expect(project.config.models.find('acme:lm@2')?.id).toBe('acme-lm-2');
    const trials = planTrials(project.suites);
    expect(trials.map((t) => [t.setting.model, t.request.model, t.setting.thinkingLevel, t.request.numberResults])).toEqual([
      ['acme-lm-2', 'acme:lm@2', 'none', 2],
      ['acme-lm-2', 'acme:lm@2', 'low', 2],
    ]);
    // A result without the API's cost is priced from the new row: 100 prompt tokens at $2/1M, 10 + 40 output at $10/1M.
    const usage = { promptTokens: 100, completionTokens: 10, thinkingTokens: 40, totalTokens: 150 };
    const [record] = await buildSampleRecords(trials[0]!, makeTrialOutcome({ results: [makeProviderResult({ usage, costUsd: null })] }), []);
    expect(record).toMatchObject({ costSource: 'priceTable' });
    expect(record!.costUsd).toBeCloseTo((100 * 2 + 50 * 10) / 1_000_000, 12);

    // Its own limits hold: more tokens, results or effort than the row allows are refused at load.
    write('t.yaml', 'suite: t\nmodel: acme-lm-2\nsettings: {maxTokens: 9000, thinkingLevel: high}\nsweep: {numberResults: [3]}\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n');
    const refused = await loadProject({ cwd: dir, suitePaths: ['t.yaml'] }).catch((error: { diagnostics: Diagnostic[] }) => error.diagnostics);
    expect(Array.isArray(refused) ? refused.map((d) => [d.code, d.line, d.message]) : refused).toEqual([
      ['UNSUPPORTED_BY_MODEL', 3, "maxTokens 9000 is above acme-lm-2's limit of 8000"],
      ['UNSUPPORTED_BY_MODEL', 3, 'acme-lm-2 does not take thinkingLevel high'],
      ['UNSUPPORTED_BY_MODEL', 4, 'acme-lm-2 takes at most 2 results per request, not 3'],
    ]);
  });

  it("fixes a built-in model's thinking levels from evalconfig.yaml, leaving its other fields as the table has them", async () => {
    const builtIn = DEFAULT_MODELS['google-gemini-3-1-pro']!;
    expect(builtIn.thinkingLevels).not.toContain('none');
    write('evalconfig.yaml', 'models:\n  google-gemini-3-1-pro: {thinkingLevels: [none, high]}\n');
    write('s.yaml', 'suite: s\nmodel: google-gemini-3-1-pro\nsweep: {thinkingLevel: [none, high]}\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n');
    const project = await loadProject({ cwd: dir, suitePaths: ['s.yaml'] });
    const fixed = project.config.models.find('google-gemini-3-1-pro')!;
    expect(fixed.thinkingLevels).toEqual(['none', 'high']);
    expect({ ...fixed, thinkingLevels: builtIn.thinkingLevels, unconfirmed: builtIn.unconfirmed, fieldSources: builtIn.fieldSources }).toEqual({ id: 'google-gemini-3-1-pro', ...builtIn });
    expect(fixed.unconfirmed).not.toContain('thinkingLevels');
    expect(fixed.fieldSources?.thinkingLevels).toBe('evalconfig.yaml');
    expect(planTrials(project.suites).map((t) => t.setting.thinkingLevel)).toEqual(['none', 'high']);

    // A level the fixed list no longer has is a load error at its line, naming the levels it takes.
    write('t.yaml', 'suite: t\nmodel: google-gemini-3-1-pro\nsettings: {thinkingLevel: medium}\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n');
    const refused = await loadProject({ cwd: dir, suitePaths: ['t.yaml'] }).catch((error: { diagnostics: Diagnostic[] }) => error.diagnostics);
    expect(Array.isArray(refused) ? refused.map((d) => [d.file, d.code, d.line, d.hint]) : refused).toEqual([['t.yaml', 'UNSUPPORTED_BY_MODEL', 3, 'it takes: none, high']]);
  });

  it('resolves suite-level defaults into each case', async () => {
    write('s.yaml', [
      'suite: s', 'settings: {systemPrompt: "Be {{tone}}.", maxTokens: 500}', 'vars: {tone: terse}',
      'messages: [{role: user, content: "Say {{word}}"}]', 'sweep: {thinkingLevel: [low, high]}',
      'cases:', '  - {id: a, vars: {word: hi}}', '  - {id: b, vars: {word: yo, tone: warm}, settings: {maxTokens: 900}}',
    ].join('\n'));
    const [a, b] = (await loadProject({ cwd: dir, suitePaths: ['s.yaml'] })).suites[0]!.cases;
    expect(a).toMatchObject({ systemPrompt: 'Be terse.', maxTokens: 500, thinkingLevels: ['low', 'high'], messages: [{ role: 'user', content: 'Say hi' }] });
    expect(b).toMatchObject({ systemPrompt: 'Be warm.', maxTokens: 900, messages: [{ role: 'user', content: 'Say yo' }] });
  });
});

describe('formatDiagnostic on a long line', () => {
  it('shows a window of the line around the column, with the caret still under the problem', async () => {
    const line = `${'x'.repeat(5000)}BAD${'y'.repeat(5000)}`;
    const d: Diagnostic = { severity: 'error', code: 'INVALID_VALUE', file: 'f.yaml', line: 1, column: 5001, length: 3, message: 'bad', sourceLine: line };
    const [, excerpt, caret] = formatDiagnostic(d).split('\n');
    expect(excerpt!.length).toBeLessThan(140);
    expect(excerpt!.indexOf('BAD')).toBe(caret!.indexOf('^^^'));
  });
});
