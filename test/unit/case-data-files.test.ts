import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProjectFiles } from '../support/write-project.js';
import type { Diagnostic } from '../../src/config/diagnostic.js';
import { loadProject } from '../../src/config/load-project.js';
import { parseCsv } from '../../src/config/parse-csv.js';
import { ConfigError } from '../../src/config/config-error.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'evalgate-data-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const project = (files: Record<string, string>) => writeProjectFiles(dir, files);

const SUITE = (cases: string, extra = '') => `suite: tickets
settings: {systemPrompt: "Classify the ticket.", maxTokens: 500}
messages:
  - {role: user, content: "Ticket: {{ticket}}"}
assert:
  - {type: equals, value: "{{expected}}", ignoreCase: true}
${extra}cases: ${cases}
`;

async function diagnosticsOf(root: string, suite = 'evals/tickets.yaml'): Promise<Diagnostic[]> {
  const error = await loadProject({ cwd: root, suitePaths: [suite] }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error instanceof ConfigError ? error.diagnostics.filter((d) => d.severity === 'error') : [];
}
const brief = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.code}`;

describe('cases from a data file', () => {
  it('reads CSV with a header: id column, vars from the other columns, expected usable as {{expected}}', async () => {
    const root = await project({
      'evals/tickets.yaml': SUITE('{file: ../data/tickets.csv}'),
      'data/tickets.csv': 'id,ticket,expected\nrefund-1,"I want my money back, now",refund\nbug-1,"The app says ""error 5""",bug\n',
    });
    const { suites } = await loadProject({ cwd: root, suitePaths: ['evals/tickets.yaml'] });
    const cases = suites[0]!.cases;
    expect(cases.map((c) => c.id)).toEqual(['refund-1', 'bug-1']);
    expect(cases[0]!.messages).toEqual([{ role: 'user', content: 'Ticket: I want my money back, now' }]);
    expect(cases[1]!.messages[0]!.content).toBe('Ticket: The app says "error 5"');
    expect(cases[1]!.assertions).toEqual([{ type: 'equals', value: 'bug', ignoreCase: true, not: false }]);
  });

  it('reads JSONL and YAML lists, names rows without an id by file and row number, and mixes them with inline cases', async () => {
    const root = await project({
      'evals/tickets.yaml': SUITE(`
  - {id: inline, vars: {ticket: "hi", expected: greeting}}
  - {file: ../data/more.jsonl}
  - file: ../data/yaml-rows.yaml`),
      'data/more.jsonl': '{"ticket": "charged twice", "expected": "billing"}\n\n{"id": "j2", "vars": {"ticket": "x"}, "expected": "other", "assert": [{"type": "contains", "value": "o"}]}\n',
      'data/yaml-rows.yaml': '- id: y1\n  ticket: "crash on start"\n  expected: bug\n  messages: [{role: user, content: "Bug? {{ticket}}"}]\n',
    });
    const { suites } = await loadProject({ cwd: root, suitePaths: ['evals/tickets.yaml'] });
    const cases = suites[0]!.cases;
    expect(cases.map((c) => c.id)).toEqual(['inline', 'more-1', 'j2', 'y1']);
    expect(cases[1]!.messages[0]!.content).toBe('Ticket: charged twice');
    expect(cases[2]!.assertions.map((a) => a.type)).toEqual(['equals', 'contains']);
    expect(cases[3]!.messages[0]!.content).toBe('Bug? crash on start');
  });

  it('takes per-row assert and messages as JSON in CSV cells', async () => {
    const root = await project({
      'evals/tickets.yaml': SUITE('[{file: ../data/t.csv}]'),
      'data/t.csv': 'ticket,expected,assert,messages\nx,bug,"[{""type"": ""regex"", ""pattern"": ""^b""}]","[{""role"": ""user"", ""content"": ""Own {{ticket}}""}]"\n',
    });
    const { suites } = await loadProject({ cwd: root, suitePaths: ['evals/tickets.yaml'] });
    const [only] = suites[0]!.cases;
    expect(only!.id).toBe('t-1');
    expect(only!.messages[0]!.content).toBe('Own x');
    expect(only!.assertions.map((a) => a.type)).toEqual(['equals', 'regex']);
  });

  it('reports every bad row at once, at the data file’s own line and column, before any request', async () => {
    const root = await project({
      'evals/tickets.yaml': SUITE('{file: ../data/bad.csv}'),
      'data/bad.csv': [
        'id,ticket,expected,assert',
        'ok,fine,bug,',
        'two words,fine,bug,', // a bad id
        'short,only two', // too few cells
        'r4,x,bug,"[{""type"": ""regex"", ""pattern"": ""(""}]"', // a regex that does not compile
        'r5,x,bug,not json', // assert is not JSON
        'ok,dup,bug,', // a duplicate id
        '',
      ].join('\n'),
    });
    const diagnostics = await diagnosticsOf(root);
    // A row that cannot be read hides nothing: the rows that can are checked for their meaning too.
    expect(diagnostics.map(brief)).toEqual([
      'data/bad.csv:3:1 INVALID_VALUE',
      'data/bad.csv:4:7 BAD_DATA_FILE',
      'data/bad.csv:5:10 BAD_REGEX',
      'data/bad.csv:6:10 BAD_DATA_FILE',
      'data/bad.csv:7:1 DUPLICATE_CASE_ID',
    ]);
    expect(diagnostics[1]!.message).toBe('row 3 has 2 cells; the header has 4 columns');
    expect(diagnostics[3]!.message).toMatch(/^row 5: assert is not JSON/);
  });

  it('checks the other rows of a JSONL file with a broken line, and words the regex hint for JSON, not YAML', async () => {
    const root = await project({
      'evals/tickets.yaml': SUITE('{file: ../data/t.jsonl}'),
      'data/t.jsonl': '[1,2]\n{"id": "b", "ticket": "t", "expected": "x", "assert": {"type": "regex", "pattern": "("}}\n{"id": "c", oops}\n',
    });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map(brief)).toEqual(['data/t.jsonl:1:1 BAD_DATA_FILE', 'data/t.jsonl:2:45 BAD_REGEX', 'data/t.jsonl:3:13 BAD_DATA_FILE']);
    expect(diagnostics[1]!.hint).toMatch(/^in JSON \(a JSONL line, a CSV assert cell\), write each backslash twice/);
    expect(diagnostics[1]!.hint).not.toContain('YAML');
  });

  it('checks the rows that parse for their meaning, each pinned to its cell', async () => {
    const root = await project({
      'evals/tickets.yaml': SUITE('{file: ../data/bad.csv}'),
      'data/bad.csv': ['id,ticket,expected,assert', 'ok,fine,bug,', 'two words,fine,bug,', 'r4,x,bug,"[{""type"": ""regex"", ""pattern"": ""(""}]"', 'ok,dup,bug,'].join('\n'),
    });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map(brief)).toEqual(['data/bad.csv:3:1 INVALID_VALUE', 'data/bad.csv:4:10 BAD_REGEX', 'data/bad.csv:5:1 DUPLICATE_CASE_ID']);
    expect(diagnostics[2]!.hint).toContain('line 2');
  });

  it('pins a missing variable to the suite template and names the row', async () => {
    const root = await project({ 'evals/tickets.yaml': SUITE('{file: ../data/t.jsonl}'), 'data/t.jsonl': '{"id": "a", "expected": "x"}\n' });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map(brief)).toEqual(['evals/tickets.yaml:4:27 UNDEFINED_VARIABLE']);
    expect(diagnostics[0]!.message).toContain('case "a"');
  });

  it('points the hint of a missing variable at the row in its data file, not at a line of the suite', async () => {
    const root = await project({ 'evals/tickets.yaml': SUITE('{file: ../data/t.jsonl}'), 'data/t.jsonl': '\n\n{"id": "a", "expected": "x", "vars": {"other": 1}}\n' });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map(brief)).toEqual(['evals/tickets.yaml:4:27 UNDEFINED_VARIABLE']);
    expect(diagnostics[0]!.hint).toBe('add it to vars of case "a" (data/t.jsonl:3)');
  });

  it('reports JSONL lines that are not JSON objects, with the line and the column of the problem', async () => {
    const root = await project({ 'evals/tickets.yaml': SUITE('{file: ../data/t.jsonl}'), 'data/t.jsonl': '{"ticket": "a", "expected": "x"}\n{"ticket": "b", oops}\n[1, 2]\n' });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map(brief)).toEqual(['data/t.jsonl:2:17 BAD_DATA_FILE', 'data/t.jsonl:3:1 BAD_DATA_FILE']);
  });

  it('refuses a data file outside the project, a missing one and an unknown extension, at the suite’s line', async () => {
    const root = await project({
      'evals/tickets.yaml': SUITE('\n  - {file: ../../outside.csv}\n  - {file: ../data/missing.csv}\n  - {file: ../data/cases.txt}'),
      'data/cases.txt': 'x',
    });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map(brief)).toEqual([
      'evals/tickets.yaml:8:12 PATH_OUTSIDE_PROJECT',
      'evals/tickets.yaml:9:12 FILE_NOT_FOUND',
      'evals/tickets.yaml:10:12 BAD_DATA_FILE',
    ]);
  });

  it('refuses a data file that leaves the project through a symlink', async () => {
    const outside = await mkdtemp(path.join(dir, 'outside-'));
    await writeFile(path.join(outside, 'secret.csv'), 'id,ticket,expected\na,b,c\n');
    const root = await project({ 'evals/tickets.yaml': SUITE('{file: ../data/linked.csv}') });
    await mkdir(path.join(root, 'data'));
    await symlink(path.join(outside, 'secret.csv'), path.join(root, 'data/linked.csv'));
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map((d) => d.code)).toEqual(['PATH_OUTSIDE_PROJECT']);
    expect(diagnostics[0]!.message).toContain('through a symlink');
  });

  it('reports an unknown key in a file entry like any other', async () => {
    const root = await project({ 'evals/tickets.yaml': SUITE('{file: ../data/t.jsonl, format: csv}'), 'data/t.jsonl': '{"ticket": "a", "expected": "x"}\n' });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_KEY']);
  });
});

describe('a list mixing cases and files, with mistakes in both', () => {
  it('reports a typo in an inline case as the case’s, and a bad file entry as the entry’s', async () => {
    const root = await project({ 'evals/tickets.yaml': SUITE('\n  - {id: a, vars: {ticket: x, expected: y}, mesages: []}\n  - {file: 3}') });
    const diagnostics = await diagnosticsOf(root);
    expect(diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['8 UNKNOWN_KEY', '9 WRONG_TYPE']);
    expect(diagnostics[0]!.hint).toBe('did you mean "messages"?');
  });
});

describe('parseCsv', () => {
  it('keeps every cell’s line and column, across quoted newlines and CRLF', () => {
    const { records, problems } = parseCsv('\uFEFFa,b\r\n"x\ny",2\r\n\r\n3,"q""q"\n');
    expect(problems).toEqual([]);
    expect(records.map((r) => r.cells.map((c) => `${c.text}@${c.line}:${c.column}`))).toEqual([['a@1:1', 'b@1:3'], ['x\ny@2:1', '2@3:4'], ['3@5:1', 'q"q@5:3']]);
  });

  it('reports an unclosed quote where it opens, and text after a closing quote', () => {
    expect(parseCsv('a\n"open\nmore').problems).toEqual([{ line: 2, column: 1, message: 'a quoted field is never closed' }]);
    expect(parseCsv('"a"b,c\n').problems[0]).toMatchObject({ line: 1, column: 4 });
  });
});
