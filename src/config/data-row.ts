import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import type { DiagnosticOptions, DiagnosticSource } from './diagnostic-source.js';
import type { YamlPath } from './yaml-source.js';

/** Columns a data row may have that are not variables. Every other column is a variable. */
export const RESERVED_COLUMNS = ['id', 'description', 'messages', 'assert', 'tags', 'vars'] as const;

/**
 * One row of a case data file, turned into a case as a suite would write it (`value`, checked by the
 * case schema afterwards), and able to pin a problem with any part of it to the data file itself.
 */
export interface DataRow extends DiagnosticSource {
  /** 1-based row number among the data rows (a CSV header is not a row). */
  readonly number: number;
  readonly value: Record<string, unknown>;
}

/** Where a field of a row is written: line, column, length, and the line's text. */
export interface FieldPosition {
  line: number;
  column: number;
  length: number;
  sourceLine: string;
}

/**
 * Builds the case a row describes: `id` (else `<file stem>-<row number>`), `description`, `messages` and
 * `assert` (JSON text in a CSV cell), `tags` (space- or comma-separated text in a cell), and every other
 * field a variable (`expected` included, so `{{expected}}` works in assertions). A problem decoding a
 * JSON cell is reported at the cell.
 */
export function caseFromFields(
  fields: Record<string, unknown>,
  number: number,
  stem: string,
  report: (key: string, message: string) => void,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  const vars: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(fields)) {
    switch (key) {
      case 'id':
        if (raw !== '' && raw !== null && raw !== undefined) value.id = typeof raw === 'number' ? String(raw) : raw;
        break;
      case 'description':
        if (raw !== '') value.description = raw;
        break;
      case 'messages':
      case 'assert': {
        if (raw === '' || raw === null) break;
        const decoded = typeof raw === 'string' ? decodeJsonCell(raw, key, report) : raw;
        if (decoded === undefined) break;
        value[key] = key === 'assert' && decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) ? [decoded] : decoded;
        break;
      }
      case 'tags':
        if (raw === '') break;
        value.tags = typeof raw === 'string' ? raw.split(/[\s,]+/).filter((t) => t !== '') : raw;
        break;
      case 'vars':
        if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) Object.assign(vars, raw);
        else value.vars = raw;
        break;
      default:
        vars[key] = raw;
    }
  }
  value.id ??= `${stem}-${number}`;
  if (Object.keys(vars).length > 0 && value.vars === undefined) value.vars = vars;
  return value;
}

function decodeJsonCell(text: string, key: string, report: (key: string, message: string) => void): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    report(key, `${key} is not JSON: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * A row whose fields are found by key (CSV cells, JSONL keys): a path into the case is pinned to the
 * field it comes from (`vars.x` to column `x`, `assert[2].pattern` to the `assert` cell), else to the row.
 */
export function makeDataRow(
  number: number,
  value: Record<string, unknown>,
  file: string,
  positionOf: (field: string | undefined) => FieldPosition,
  isColumn: (field: string) => boolean,
): DataRow {
  return {
    number,
    value,
    diagnostic(path: YamlPath, code: DiagnosticCode, message: string, options: DiagnosticOptions = {}): Diagnostic {
      const [head, next] = path;
      const field = head === 'vars' && typeof next === 'string' && isColumn(next) ? next : typeof head === 'string' && isColumn(head) ? head : undefined;
      const at = positionOf(field);
      return {
        severity: options.severity ?? 'error',
        code,
        file,
        line: at.line,
        column: at.column,
        length: at.length,
        message: `row ${number}: ${message}`,
        sourceLine: at.sourceLine,
        ...(options.hint ? { hint: options.hint } : {}),
      };
    },
  };
}
