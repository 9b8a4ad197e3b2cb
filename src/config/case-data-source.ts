import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { caseFromFields, makeDataRow, type DataRow, type FieldPosition } from './data-row.js';
import type { Diagnostic } from './diagnostic.js';
import type { DiagnosticSource } from './diagnostic-source.js';
import { displayPath, howFileLeaves } from './display-path.js';
import { parseCsv } from './parse-csv.js';
import { YamlSource, type YamlPath } from './yaml-source.js';

/** Largest case data file `load` reads. @default 50 MiB */
export const MAX_DATA_FILE_BYTES = 50 * 1024 * 1024;

/** The kinds of data file, by extension. */
const FORMATS = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.csv': 'csv', '.yaml': 'yaml', '.yml': 'yaml' } as const;
type Format = (typeof FORMATS)[keyof typeof FORMATS];

/**
 * Reads the data files suites take their cases from (`cases: {file: …}`): JSONL (one JSON object a
 * line), CSV with a header row, or a YAML list of objects. Each row becomes a {@link DataRow}. Every
 * problem in a file is reported at once, at the file's own line (and column, for CSV), before anything
 * is sent. Files resolve relative to the suite and must stay inside the project; each is read once.
 */
export class CaseDataSource {
  private readonly files = new Map<string, Promise<FileRows>>();

  constructor(
    private readonly rootDir: string,
    private readonly cwd: string,
  ) {}

  /** The rows of the file `ref` names at `at` in `suite`, or undefined after reporting why not. */
  async load(ref: string, suite: DiagnosticSource, suiteDir: string, at: YamlPath, diagnostics: Diagnostic[]): Promise<DataRow[] | undefined> {
    const file = path.resolve(suiteDir, ref);
    const shown = displayPath(file, this.cwd);
    // The same containment as schemas and images: after every symlink, still inside the project.
    const how = await howFileLeaves(this.rootDir, file);
    if (how !== undefined) {
      diagnostics.push(suite.diagnostic(at, 'PATH_OUTSIDE_PROJECT', `data file "${ref}" leaves the project folder${how}`, { hint: `keep data files under ${displayPath(this.rootDir, this.cwd) || '.'}, as files, not links to elsewhere` }));
      return undefined;
    }
    const format = FORMATS[path.extname(file).toLowerCase() as keyof typeof FORMATS];
    if (!format) {
      diagnostics.push(suite.diagnostic(at, 'BAD_DATA_FILE', `data file "${ref}" is not .jsonl, .csv, .yaml or .yml`, { hint: 'the extension says how the file is read' }));
      return undefined;
    }
    let rows = this.files.get(file);
    if (!rows) this.files.set(file, (rows = this.read(file, shown, format)));
    const result = await rows;
    if (result.rows.length === 0 && result.problems.length === 1 && result.problems[0]!.code === 'FILE_NOT_FOUND') {
      diagnostics.push(suite.diagnostic(at, 'FILE_NOT_FOUND', `data file "${ref}" not found (looked for ${shown})`, { hint: 'paths are relative to the suite file' }));
      return undefined;
    }
    diagnostics.push(...result.problems);
    if (result.rows.length === 0 && result.problems.length === 0) {
      diagnostics.push(suite.diagnostic(at, 'BAD_DATA_FILE', `data file "${ref}" has no rows`));
      return undefined;
    }
    // The rows that are sound go on to the later checks (their messages, assertions, variables), so
    // one broken line does not hide another row's mistakes; the load fails all the same.
    return result.rows;
  }

  private async read(file: string, shown: string, format: Format): Promise<FileRows> {
    const atTop = (code: Diagnostic['code'], message: string, hint?: string): FileRows => ({
      rows: [], problems: [{ severity: 'error', code, file: shown, line: 1, column: 1, length: 1, message, ...(hint ? { hint } : {}) }],
    });
    if (format === 'yaml') {
      const source = await YamlSource.read(file, shown);
      return Array.isArray(source) ? { rows: [], problems: source } : rowsOfYaml(source, stemOf(file));
    }
    let text: string;
    try {
      const info = await stat(file);
      if (!info.isFile()) return atTop('FILE_NOT_FOUND', `${shown} is not a file`);
      if (info.size > MAX_DATA_FILE_BYTES) return atTop('FILE_TOO_LARGE', `file is ${(info.size / 1048576).toFixed(1)} MiB; the limit is ${MAX_DATA_FILE_BYTES / 1048576} MiB`, 'split it into several files');
      text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
    } catch (error) {
      if (error instanceof TypeError) return atTop('NOT_UTF8', 'file is not valid UTF-8', 're-save it as UTF-8');
      return atTop('FILE_NOT_FOUND', `cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return format === 'csv' ? rowsOfCsv(text, shown, stemOf(file)) : rowsOfJsonl(text, shown, stemOf(file));
  }
}

/**
 * What a data file holds: its sound rows, and the problems found in it. A problem of the whole file
 * (missing, not UTF-8, a CSV header or quoting that is broken) leaves no rows; a problem of one row
 * leaves that row out and keeps the others.
 */
interface FileRows {
  rows: DataRow[];
  problems: Diagnostic[];
}

function stemOf(file: string): string {
  return path.basename(file, path.extname(file)).replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'row';
}

/** CSV with a header: each later record is a row, its cells named by the header. */
function rowsOfCsv(text: string, file: string, stem: string): FileRows {
  const lines = text.split(/\r?\n/);
  const at = (line: number, column: number, length: number, message: string, hint?: string): Diagnostic => ({
    severity: 'error', code: 'BAD_DATA_FILE', file, line, column, length: Math.max(1, length), message, sourceLine: lines[line - 1] ?? '', ...(hint ? { hint } : {}),
  });
  const { records, problems } = parseCsv(text);
  const diagnostics = problems.map((p) => at(p.line, p.column, 1, p.message));
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: diagnostics.length > 0 ? diagnostics : [at(1, 1, 1, 'file is empty', 'the first line names the columns: id, the variables, and optionally messages, assert, expected')] };
  const names = header.cells.map((c) => c.text.trim());
  names.forEach((name, i) => {
    const cell = header.cells[i]!;
    if (name === '') diagnostics.push(at(cell.line, cell.column, 1, `column ${i + 1} has no name in the header`));
    else if (names.indexOf(name) !== i) diagnostics.push(at(cell.line, cell.column, name.length, `column "${name}" is named twice in the header`));
  });
  // Broken quoting or header: where one row ends and what its cells mean are guesses; no row is kept.
  const isWholeFileSound = diagnostics.length === 0;
  const rows: DataRow[] = [];
  body.forEach((record, index) => {
    const number = index + 1;
    if (record.cells.length !== names.length) {
      const last = record.cells[record.cells.length - 1]!;
      diagnostics.push(at(record.line, last.column, 1, `row ${number} has ${record.cells.length} cells; the header has ${names.length} columns`, 'quote a cell that contains a comma ("a, b")'));
      return;
    }
    const fields: Record<string, unknown> = {};
    names.forEach((name, i) => {
      fields[name] = record.cells[i]!.text;
    });
    const positionOf = (field: string | undefined): FieldPosition => {
      const cell = field === undefined ? undefined : record.cells[names.indexOf(field)];
      const line = cell?.line ?? record.line;
      const sourceLine = lines[line - 1] ?? '';
      return { line, column: cell?.column ?? 1, length: cell ? Math.max(1, Math.min(cell.text.length + 2, sourceLine.length - cell.column + 1)) : 1, sourceLine };
    };
    let isSound = true;
    const value = caseFromFields(fields, number, stem, (key, message) => {
      const p = positionOf(key);
      diagnostics.push(at(p.line, p.column, p.length, `row ${number}: ${message}`));
      isSound = false;
    });
    if (isSound) rows.push(makeDataRow(number, value, file, positionOf, (field) => names.includes(field)));
  });
  return { rows: isWholeFileSound ? rows : [], problems: diagnostics };
}

/** JSONL: one JSON object a line; blank lines are skipped. */
function rowsOfJsonl(text: string, file: string, stem: string): FileRows {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  const rows: DataRow[] = [];
  let number = 0;
  const at = (line: number, column: number, length: number, message: string): Diagnostic => ({
    severity: 'error', code: 'BAD_DATA_FILE', file, line, column, length, message, sourceLine: lines[line - 1] ?? '',
  });
  lines.forEach((lineText, i) => {
    if (lineText.trim() === '') return;
    const line = i + 1;
    number++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(lineText);
    } catch (error) {
      const offset = /position (\d+)/.exec((error as Error).message)?.[1];
      diagnostics.push(at(line, offset !== undefined ? Number(offset) + 1 : 1, 1, `row ${number} is not JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}`));
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      diagnostics.push(at(line, 1, lineText.length, `row ${number} must be a JSON object ({"id": …, "vars": …}), got ${Array.isArray(parsed) ? 'a list' : typeof parsed}`));
      return;
    }
    const positionOf = (field: string | undefined): FieldPosition => {
      const column = field === undefined ? -1 : lineText.indexOf(JSON.stringify(field));
      return { line, column: column >= 0 ? column + 1 : 1, length: field !== undefined && column >= 0 ? JSON.stringify(field).length : 1, sourceLine: lineText };
    };
    const fields = parsed as Record<string, unknown>;
    let isSound = true;
    const value = caseFromFields(fields, number, stem, (key, message) => {
      const p = positionOf(key);
      diagnostics.push(at(p.line, p.column, p.length, `row ${number}: ${message}`));
      isSound = false;
    });
    if (isSound) rows.push(makeDataRow(number, value, file, positionOf, (field) => Object.hasOwn(fields, field)));
  });
  return { rows, problems: diagnostics };
}

/** A YAML list of objects; each problem is pinned by the YAML file's own positions. */
function rowsOfYaml(source: YamlSource, stem: string): FileRows {
  if (!Array.isArray(source.value)) {
    return { rows: [], problems: [source.diagnostic([], 'BAD_DATA_FILE', 'a YAML data file is a list of cases (- id: …)')] };
  }
  const diagnostics: Diagnostic[] = [];
  const rows: DataRow[] = [];
  source.value.forEach((item: unknown, index) => {
    const number = index + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      diagnostics.push(source.diagnostic([index], 'BAD_DATA_FILE', `row ${number} must be a mapping (id: …, vars: …)`));
      return;
    }
    const fields = item as Record<string, unknown>;
    let isSound = true;
    const value = caseFromFields(fields, number, stem, (key, message) => {
      diagnostics.push(source.diagnostic([index, key], 'BAD_DATA_FILE', `row ${number}: ${message}`));
      isSound = false;
    });
    if (!isSound) return;
    rows.push({
      number,
      value,
      diagnostic: (path, code, message, options) => {
        const [head, next] = path;
        // A variable may be written at the top of the row or under vars:.
        const mapped: YamlPath = head === 'vars' && typeof next === 'string' && Object.hasOwn(fields, next) ? [index, ...path.slice(1)] : [index, ...path];
        return source.diagnostic(mapped, code, `row ${number}: ${message}`, options);
      },
    });
  });
  return { rows, problems: diagnostics };
}
