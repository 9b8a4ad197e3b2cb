/**
 * The closed set of problems `load` reports. Each is pinned to a file, line and column.
 * Tests and docs/suite-format.md refer to these codes: add, never rename.
 */
export type DiagnosticCode =
  | 'YAML_SYNTAX'
  | 'DUPLICATE_KEY'
  | 'ALIAS_LIMIT'
  | 'EMPTY_FILE'
  | 'FILE_TOO_LARGE'
  | 'NOT_UTF8'
  | 'FILE_NOT_FOUND'
  | 'PATH_OUTSIDE_PROJECT'
  | 'NO_SUITES'
  | 'UNKNOWN_KEY'
  | 'MISSING_KEY'
  | 'WRONG_TYPE'
  | 'OUT_OF_RANGE'
  | 'INVALID_VALUE'
  | 'UNKNOWN_ASSERTION'
  | 'UNKNOWN_MODEL'
  | 'UNSUPPORTED_BY_MODEL'
  | 'BAD_MESSAGES'
  | 'DUPLICATE_CASE_ID'
  | 'DUPLICATE_SUITE'
  | 'UNDEFINED_VARIABLE'
  | 'BAD_REGEX'
  | 'BAD_JSON_SCHEMA'
  | 'MISSING_JSON_SCHEMA'
  | 'CONFLICTS_WITH_SWEEP'
  | 'GATE_ON_MATCHES_NOTHING'
  | 'UNKNOWN_TOOL'
  | 'DUPLICATE_TOOL'
  | 'BAD_IMAGE'
  | 'IMAGE_TOO_LARGE'
  | 'IGNORED_SETTING'
  | 'YAML_WARNING'
  | 'BAD_JSON_PATH'
  | 'BAD_DATA_FILE'
  | 'BAD_SCRIPT';

/** One problem found while loading, with where it is and what to do about it. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  /** Path of the file as the user gave it (relative to the working folder when possible). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** How many characters the caret underlines (at least 1). */
  length: number;
  message: string;
  hint?: string;
  /** The text of the offending line, for the caret excerpt. */
  sourceLine?: string;
}

/** `file:line:col`, the form editors and CI annotations understand. */
export function formatLocation(d: Pick<Diagnostic, 'file' | 'line' | 'column'>): string {
  return `${d.file}:${d.line}:${d.column}`;
}

/**
 * Renders a diagnostic as a short frame:
 * ```
 * evals/x.yaml:4:3 error UNKNOWN_KEY unknown key "thinkinglevel" in settings
 *     4 |   thinkinglevel: high
 *       |   ^^^^^^^^^^^^^
 *   hint: did you mean "thinkingLevel"?
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${formatLocation(d)} ${d.severity} ${d.code} ${d.message}`];
  if (d.sourceLine !== undefined) {
    const gutter = String(d.line).padStart(5);
    const { text, column } = excerptAround(d.sourceLine.replace(/\t/g, ' '), d.column);
    lines.push(`${gutter} | ${text}`);
    const width = Math.max(1, Math.min(d.length, Math.max(1, text.length - column + 1)));
    lines.push(`${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}${'^'.repeat(width)}`);
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/** Orders diagnostics by file, then position, so the output reads top to bottom. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

const EXCERPT_CHARS = 120;

/** At most EXCERPT_CHARS of a long line, around `column`, and where the column falls in the excerpt. */
function excerptAround(line: string, column: number): { text: string; column: number } {
  if (line.length <= EXCERPT_CHARS) return { text: line, column };
  const start = Math.max(0, Math.min(column - 1 - 40, line.length - EXCERPT_CHARS));
  const head = start > 0 ? '…' : '';
  const tail = start + EXCERPT_CHARS < line.length ? '…' : '';
  return { text: `${head}${line.slice(start, start + EXCERPT_CHARS)}${tail}`, column: column - start + head.length };
}
