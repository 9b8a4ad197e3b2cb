import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EvalgateError } from '../core/evalgate-error.js';
import { ConfigError } from './config-error.js';
import type { Diagnostic } from './diagnostic.js';
import { parseCsv } from './parse-csv.js';

/** One answer a person labelled: the case it answers, its text, and whether it passes. */
export interface Label {
  case: string;
  text: string;
  pass: boolean;
  note?: string;
  /** Where it is written, for messages. */
  line: number;
}

const TRUE = new Set(['true', 'pass', 'passed', 'yes', '1', 'y']);
const FALSE = new Set(['false', 'fail', 'failed', 'no', '0', 'n']);

/**
 * Reads human labels for `evalgate calibrate`: JSONL (`{"case", "text", "pass", "note"?}` a line) or
 * CSV with those columns. `pass` is a boolean, or true/false, pass/fail, yes/no, 1/0 as text. Every bad
 * row is reported at once, at its line (and column, in CSV).
 */
export function readLabels(file: string, shown: string): Label[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EvalgateError('USAGE', `cannot read labels ${shown}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { hint: 'give a .jsonl or .csv file with case, text, pass and an optional note' });
  }
  const lines = text.split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  const report = (line: number, column: number, message: string) =>
    diagnostics.push({ severity: 'error', code: 'BAD_DATA_FILE', file: shown, line, column, length: 1, message, sourceLine: lines[line - 1] ?? '' });
  const labels: Label[] = [];
  const take = (fields: Record<string, unknown>, line: number, columnOf: (key: string) => number) => {
    const { case: caseId, text: answer, pass, note } = fields;
    if (typeof caseId !== 'string' || caseId === '') return report(line, columnOf('case'), 'a label needs "case": the id of the case it answers');
    if (typeof answer !== 'string') return report(line, columnOf('text'), 'a label needs "text": the answer that was labelled');
    const verdict = typeof pass === 'boolean' ? pass : typeof pass === 'string' && TRUE.has(pass.trim().toLowerCase()) ? true : typeof pass === 'string' && FALSE.has(pass.trim().toLowerCase()) ? false : undefined;
    if (verdict === undefined) return report(line, columnOf('pass'), `"pass" must be true or false, got ${JSON.stringify(pass) ?? 'nothing'}`);
    labels.push({ case: caseId, text: answer, pass: verdict, ...(typeof note === 'string' && note !== '' ? { note } : {}), line });
  };
  if (path.extname(file).toLowerCase() === '.csv') {
    const { records, problems } = parseCsv(text);
    for (const p of problems) report(p.line, p.column, p.message);
    const [header, ...rows] = records;
    const names = header?.cells.map((c) => c.text.trim()) ?? [];
    for (const required of ['case', 'text', 'pass']) if (header && !names.includes(required)) report(header.line, 1, `the header has no "${required}" column`);
    if (diagnostics.length === 0) {
      for (const row of rows) {
        const fields = Object.fromEntries(names.map((n, i) => [n, row.cells[i]?.text]));
        take(fields, row.line, (key) => row.cells[names.indexOf(key)]?.column ?? 1);
      }
    }
  } else {
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        const value: unknown = JSON.parse(raw);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return report(i + 1, 1, 'a label is a JSON object');
        take(value as Record<string, unknown>, i + 1, (key) => Math.max(1, raw.indexOf(`"${key}"`) + 1));
      } catch (error) {
        report(i + 1, 1, `not JSON: ${(error as Error).message}`);
      }
    });
  }
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  if (labels.length === 0) throw new EvalgateError('USAGE', `${shown} holds no labels`);
  return labels;
}
