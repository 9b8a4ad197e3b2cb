import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { formatDiagnostic, type Diagnostic, type DiagnosticCode } from '../../src/config/diagnostic.js';
import { loadProject, type LoadProjectOptions } from '../../src/config/load-project.js';
import { MAX_YAML_BYTES } from '../../src/config/yaml-source.js';
import { ExitCode } from '../../src/core/evalgate-error.js';
import { ConfigError } from '../../src/config/config-error.js';
import { memoryIo } from '../support/memory-io.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The catalogue: each file there is `valid/base.yaml` with exactly one mistake, named on its first line. */
const FIXTURES = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const VALID_BASE = 'valid/base.yaml';

/**
 * Where each code is pinned down. A record over the closed union, so a new code fails the type check
 * until someone says how it is tested.
 */
const PINNED_BY: Record<DiagnosticCode, 'fixture' | 'written by this test' | 'a warning, never thrown'> = {
  YAML_SYNTAX: 'fixture',
  DUPLICATE_KEY: 'fixture',
  ALIAS_LIMIT: 'fixture',
  EMPTY_FILE: 'fixture',
  FILE_TOO_LARGE: 'written by this test',
  NOT_UTF8: 'fixture',
  FILE_NOT_FOUND: 'fixture',
  PATH_OUTSIDE_PROJECT: 'fixture',
  NO_SUITES: 'written by this test',
  UNKNOWN_KEY: 'fixture',
  MISSING_KEY: 'fixture',
  WRONG_TYPE: 'fixture',
  OUT_OF_RANGE: 'fixture',
  INVALID_VALUE: 'fixture',
  UNKNOWN_ASSERTION: 'fixture',
  UNKNOWN_MODEL: 'fixture',
  UNSUPPORTED_BY_MODEL: 'fixture',
  BAD_MESSAGES: 'fixture',
  DUPLICATE_CASE_ID: 'fixture',
  DUPLICATE_SUITE: 'fixture',
  UNDEFINED_VARIABLE: 'fixture',
  BAD_REGEX: 'fixture',
  BAD_JSON_SCHEMA: 'fixture',
  MISSING_JSON_SCHEMA: 'fixture',
  CONFLICTS_WITH_SWEEP: 'fixture',
  GATE_ON_MATCHES_NOTHING: 'fixture',
  UNKNOWN_TOOL: 'fixture',
  DUPLICATE_TOOL: 'fixture',
  BAD_IMAGE: 'fixture',
  IMAGE_TOO_LARGE: 'written by this test',
  IGNORED_SETTING: 'a warning, never thrown',
  YAML_WARNING: 'a warning, never thrown',
  BAD_JSON_PATH: 'fixture',
  // Pinned in the data file, not the suite: test/unit/case-data-files.test.ts.
  BAD_DATA_FILE: 'written by this test',
  BAD_SCRIPT: 'fixture',
};

function isDiagnosticCode(value: string): value is DiagnosticCode {
  return Object.hasOwn(PINNED_BY, value);
}

/** What a fixture's first line promises. */
interface Expectation {
  /** The fixture, relative to FIXTURES; diagnostics name it the same way. */
  file: string;
  code: DiagnosticCode;
  /** 1-based line of the one error. */
  line: number;
  /** The exact key or value a `did you mean "…"?` hint must name. */
  didYouMean?: string;
  /** Text any other hint must contain. */
  hint?: string;
  /** A suite loaded before this one in the same run (for problems between files). */
  after?: string;
}

/** `# expect: CODE LINE [did-you-mean NAME] [hint "TEXT"] [after OTHER.yaml]` */
const EXPECT_HEADER = /^# expect: ([A-Z][A-Z0-9_]*) (\d+)(?: did-you-mean (\S+))?(?: hint "([^"]+)")?(?: after (\S+))?$/;

function readExpectation(file: string): Expectation {
  // latin1 decodes any bytes, so the header of the deliberately non-UTF-8 fixture reads too.
  const header = readFileSync(path.join(FIXTURES, file), 'latin1').split(/\r?\n/, 1)[0] ?? '';
  const match = EXPECT_HEADER.exec(header);
  const [, code = '', line, didYouMean, hint, after] = match ?? [];
  if (!match || !isDiagnosticCode(code)) throw new Error(`${file}: first line must be "# expect: CODE LINE …", got ${JSON.stringify(header)}`);
  return {
    file,
    code,
    line: Number(line),
    ...(didYouMean !== undefined ? { didYouMean } : {}),
    ...(hint !== undefined ? { hint } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

function yamlFilesIn(folder: string): string[] {
  return readdirSync(path.join(FIXTURES, folder), { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.posix.join(folder, entry.name))
    .sort();
}

const suiteFixtures = yamlFilesIn('.').map(readExpectation);
const configFixtures = yamlFilesIn('config').map(readExpectation);

/** `[test name, expectation]` rows, so each fixture is its own test with a readable name. */
const rows = (expectations: Expectation[]): [string, Expectation][] => expectations.map((e) => [`${e.file} → ${e.code} at line ${e.line}`, e]);

/** Loads, expecting the one error type load throws, and returns its diagnostics. */
async function diagnosticsOf(options: LoadProjectOptions): Promise<readonly Diagnostic[]> {
  const thrown = await loadProject(options).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown, 'loadProject should throw a ConfigError').toBeInstanceOf(ConfigError);
  return thrown instanceof ConfigError ? thrown.diagnostics : [];
}

/** Bytes this process has passed to read() so far, from any file (Linux's /proc/self/io `rchar`). */
function bytesReadByThisProcess(): number {
  const rchar = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1];
  if (rchar === undefined) throw new Error('no rchar in /proc/self/io');
  return Number(rchar);
}

/** `CODE line:col`, the shape failures are easiest to read in. */
const brief = (d: Diagnostic): string => `${d.code} ${d.line}:${d.column}`;

/** One mistake, one error: exactly the expected code at the expected line, with a message and a column. */
function expectPinned(diagnostics: readonly Diagnostic[], expected: Expectation): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} line ${d.line}`)).toEqual([`${expected.code} line ${expected.line}`]);
  const [error] = errors;
  if (!error) return;
  expect(error.file).toBe(expected.file);
  expect(error.column).toBeGreaterThan(0);
  expect(error.length).toBeGreaterThan(0);
  for (const d of diagnostics) expect(d.message.trim(), brief(d)).not.toBe('');
  if (expected.didYouMean !== undefined) expect(error.hint).toBe(`did you mean "${expected.didYouMean}"?`);
  if (expected.hint !== undefined) expect(error.hint).toContain(expected.hint);
  expect(formatDiagnostic(error)).toMatch(new RegExp(`^${escape(expected.file)}:${expected.line}:${error.column} error ${expected.code} `));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('the catalogue of broken inputs', () => {
  it('starts from a base that loads without a problem', async () => {
    const project = await loadProject({ cwd: FIXTURES, suitePaths: [VALID_BASE] });
    expect(project.suites.map((s) => s.name)).toEqual(['base']);
    expect(project.warnings).toEqual([]);
  });

  it('holds at least 40 broken suites and a few broken configs', () => {
    expect(suiteFixtures.length).toBeGreaterThanOrEqual(40);
    expect(configFixtures.length).toBeGreaterThanOrEqual(3);
  });

  it('pins every code load can throw, by a fixture or by a file written here', () => {
    const inFixtures = new Set<string>([...suiteFixtures, ...configFixtures].map((e) => e.code));
    const unpinned = Object.entries(PINNED_BY).filter(([code, by]) => by === 'fixture' && !inFixtures.has(code));
    expect(unpinned).toEqual([]);
  });
});

describe('a suite with one mistake reports exactly that mistake', () => {
  it.each(rows(suiteFixtures))('%s', async (_, expected) => {
    const suitePaths = [...(expected.after !== undefined ? [expected.after] : []), expected.file];
    expectPinned(await diagnosticsOf({ cwd: FIXTURES, suitePaths }), expected);
  });
});

describe('an evalconfig with one mistake reports exactly that mistake', () => {
  it.each(rows(configFixtures))('%s', async (_, expected) => {
    expectPinned(await diagnosticsOf({ cwd: FIXTURES, configPath: expected.file, suitePaths: [VALID_BASE] }), expected);
  });
});

describe('files the loader refuses before parsing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'evalgate-load-diagnostics-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a 50 MB suite with FILE_TOO_LARGE and its hint, from its size alone, without reading it', async () => {
    const file = path.join(dir, 'large.yaml');
    // Sparse: 50 MB by its size, no blocks written; a loader that read it would get 50 MB of NULs.
    writeFileSync(file, readFileSync(path.join(FIXTURES, VALID_BASE)));
    truncateSync(file, 50_000_000);
    const readBefore = bytesReadByThisProcess();
    const diagnostics = await diagnosticsOf({ cwd: dir, suitePaths: ['large.yaml'] });
    const readWhileLoading = bytesReadByThisProcess() - readBefore;
    expectPinned(diagnostics, { file: 'large.yaml', code: 'FILE_TOO_LARGE', line: 1, hint: 'split it into several suites' });
    expect(diagnostics[0]?.message).toBe(`file is 47.7 MiB; the limit is ${MAX_YAML_BYTES / 1048576} MiB`);
    expect(readWhileLoading).toBeLessThan(MAX_YAML_BYTES);
  });

  it.each([
    ['an empty file', 'empty.yaml', ''],
    ['a file of blank lines', 'blank.yaml', '\n  \n\n'],
  ])('reports %s as EMPTY_FILE', async (_, file, text) => {
    await writeFile(path.join(dir, file), text);
    expectPinned(await diagnosticsOf({ cwd: dir, suitePaths: [file] }), { file, code: 'EMPTY_FILE', line: 1 });
  });

  it('refuses an image above maxImageBytes with IMAGE_TOO_LARGE, a file or a data URI, before reading past the limit', async () => {
    const project = await mkdtemp(path.join(dir, 'images-'));
    await writeFile(path.join(project, 'evalconfig.yaml'), 'maxImageBytes: 50\n');
    await writeFile(path.join(project, 'pixel.png'), readFileSync(path.join(FIXTURES, 'images/red-pixel.png')));
    const base = readFileSync(path.join(FIXTURES, VALID_BASE), 'utf8');
    await writeFile(path.join(project, 'file.yaml'), base.replace('      - {role: user, content: "Say hello."}\n', '      - {role: user, content: "Say hello."}\n    inputs: {images: [pixel.png]}\n'));
    expectPinned(await diagnosticsOf({ cwd: project, suitePaths: ['file.yaml'] }), { file: 'file.yaml', code: 'IMAGE_TOO_LARGE', line: 10, hint: 'maxImageBytes' });
    const dataUri = `data:image/png;base64,${readFileSync(path.join(FIXTURES, 'images/red-pixel.png')).toString('base64')}`;
    await writeFile(path.join(project, 'uri.yaml'), base.replace('      - {role: user, content: "Say hello."}\n', `      - {role: user, content: "Say hello."}\n    inputs: {images: ["${dataUri}"]}\n`));
    expectPinned(await diagnosticsOf({ cwd: project, suitePaths: ['uri.yaml'] }), { file: 'uri.yaml', code: 'IMAGE_TOO_LARGE', line: 10 });
  });

  it('refuses a systemPrompt of 200,001 characters with OUT_OF_RANGE, and takes one of 200,000', async () => {
    const base = readFileSync(path.join(FIXTURES, VALID_BASE), 'utf8');
    const withPrompt = (chars: number) => base.replace('systemPrompt: "Answer in one short sentence."', `systemPrompt: "${'a'.repeat(chars)}"`);
    await writeFile(path.join(dir, 'long-prompt.yaml'), withPrompt(200_001));
    const diagnostics = await diagnosticsOf({ cwd: dir, suitePaths: ['long-prompt.yaml'] });
    expectPinned(diagnostics, { file: 'long-prompt.yaml', code: 'OUT_OF_RANGE', line: 4 });
    expect(diagnostics[0]?.message).toContain('200000');
    await writeFile(path.join(dir, 'longest-prompt.yaml'), withPrompt(200_000));
    const project = await loadProject({ cwd: dir, suitePaths: ['longest-prompt.yaml'] });
    expect(project.suites[0]!.cases[0]!.systemPrompt).toHaveLength(200_000);
  });

  it('refuses a system prompt template that renders empty (or blank) with OUT_OF_RANGE at its line', async () => {
    const base = readFileSync(path.join(FIXTURES, VALID_BASE), 'utf8');
    const withTemplate = base.replace('systemPrompt: "Answer in one short sentence."', 'systemPrompt: "{{persona}}"').replace(/^suite: (.*)$/m, 'suite: $1\nvars: {persona: "  "}');
    await writeFile(path.join(dir, 'empty-prompt.yaml'), withTemplate);
    const diagnostics = await diagnosticsOf({ cwd: dir, suitePaths: ['empty-prompt.yaml'] });
    expect(diagnostics.map((d) => d.code)).toEqual(['OUT_OF_RANGE']);
    expect(diagnostics[0]!.line).toBe(withTemplate.split('\n').findIndex((l) => l.includes('{{persona}}')) + 1);
    expect(diagnostics[0]!.message).toContain('renders empty');
  });

  it('points at evalgate init when a folder has no evalconfig.yaml and no suite', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'evalgate-empty-'));
    try {
      const diagnostics = await diagnosticsOf({ cwd: empty });
      expect(diagnostics.map((d) => d.code)).toEqual(['NO_SUITES']);
      expect(diagnostics[0]!.hint).toBe('there is no evalconfig.yaml here: run `evalgate init` to create one with an example suite, or name suite files on the command line');
      await writeFile(path.join(empty, 'evalconfig.yaml'), 'suites: ["evals/*.yaml"]\n');
      expect((await diagnosticsOf({ cwd: empty }))[0]!.hint).toBe('check suites: in evalconfig.yaml');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('reports a suite path that does not exist as NO_SUITES', async () => {
    const diagnostics = await diagnosticsOf({ cwd: dir, suitePaths: ['evals/missing.yaml'] });
    expectPinned(diagnostics, { file: 'evals/missing.yaml', code: 'NO_SUITES', line: 1, hint: 'check the path' });
  });
});

describe('every problem at once', () => {
  it('reports all four mistakes in one file, each at its own line', async () => {
    const diagnostics = await diagnosticsOf({ cwd: FIXTURES, suitePaths: ['several/four-mistakes.yaml'] });
    expect(diagnostics.map(brief)).toEqual([
      'UNKNOWN_KEY 5:3',
      'BAD_REGEX 11:32',
      'DUPLICATE_CASE_ID 12:9',
      'UNDEFINED_VARIABLE 17:33',
    ]);
    expect(diagnostics.every((d) => d.file === 'several/four-mistakes.yaml')).toBe(true);
    expect(diagnostics[0]?.hint).toBe('did you mean "maxTokens"?');
  });

  it('checks the meaning of the cases that pass the schema even when others do not', async () => {
    const diagnostics = await diagnosticsOf({ cwd: FIXTURES, suitePaths: ['several/schema-and-meaning.yaml'] });
    expect(diagnostics.map(brief)).toEqual(['UNKNOWN_KEY 3:12', 'INVALID_VALUE 6:23', 'UNKNOWN_KEY 7:28', 'INVALID_VALUE 7:71', 'UNDEFINED_VARIABLE 10:38']);
    // A misspelt required key is reported once, as unknown with its suggestion, not also as missing.
    expect(diagnostics[2]!.hint).toBe('did you mean "pattern"?');
    expect(diagnostics[3]!.hint).toBe('did you mean "stop"?');
    expect(diagnostics[4]!.hint).toBe('did you mean {{name}}?');
    expect(diagnostics[1]!.hint).toContain('settings.systemPrompt');
  });

  it('checks a case whose id is a duplicate too, so its own mistakes are not hidden behind the duplicate', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'evalgate-duplicate-'));
    try {
      await writeFile(path.join(folder, 'dup.yaml'), [
        'suite: dup',
        'settings: {maxTokens: 100}',
        'cases:',
        '  - id: x',
        '    messages: [{role: user, content: "hi"}, {role: assistant, content: "yo"}]',
        '  - id: x',
        '    messages: [{role: user, content: "hi"}, {role: assistant, content: "yo"}]',
        '    assert: [{type: regex, pattern: "("}]',
        '',
      ].join('\n'));
      const diagnostics = await diagnosticsOf({ cwd: folder, suitePaths: ['dup.yaml'] });
      expect(diagnostics.map(brief)).toEqual(['BAD_MESSAGES 5:52', 'DUPLICATE_CASE_ID 6:9', 'BAD_MESSAGES 7:52', 'BAD_REGEX 8:37']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reports the problems of two broken files in one run', async () => {
    const diagnostics = await diagnosticsOf({ cwd: FIXTURES, suitePaths: ['several/four-mistakes.yaml', 'several/second-file.yaml'] });
    const inFile = (file: string) => diagnostics.filter((d) => d.file === file).map(brief);
    expect(inFile('several/four-mistakes.yaml')).toHaveLength(4);
    expect(inFile('several/second-file.yaml')).toEqual(['INVALID_VALUE 6:18']);
  });
});

describe('formatDiagnostic', () => {
  it('shows file:line:col, code, message, the source line and a caret under the offending text', async () => {
    const diagnostics = await diagnosticsOf({ cwd: FIXTURES, suitePaths: ['unknown-key-assertion.yaml'] });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics.map(formatDiagnostic).join('\n')).toMatchInlineSnapshot(`
      "unknown-key-assertion.yaml:11:42 error UNKNOWN_KEY unknown key "ignorecase" in cases[0].assert[0]
         11 |       - {type: contains, value: "hello", ignorecase: true}
            |                                          ^^^^^^^^^^
        hint: did you mean "ignoreCase"?"
    `);
  });
});

describe('evalgate validate', () => {
  it('prints each problem on stderr as file:line:col with its code, and exits 2', async () => {
    const io = memoryIo({ cwd: FIXTURES });
    const exitCode = await runCli(['validate', 'bad-regex.yaml'], io);
    expect(exitCode).toBe(ExitCode.usage);
    expect(io.err()).toContain('bad-regex.yaml:11:32');
    expect(io.err()).toContain('BAD_REGEX');
    expect(io.out()).toBe('');
  });

  it('exits 0 for the example suites in evals/', async () => {
    const io = memoryIo({ cwd: REPO_ROOT });
    const exitCode = await runCli(['validate', 'evals'], io);
    expect(io.err()).not.toMatch(/ error /);
    expect(exitCode).toBe(ExitCode.ok);
    expect(io.out()).toMatch(/^OK: \d+ suites/);
  });
});
