import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import type { YamlPath } from './yaml-source.js';

/** Options of {@link DiagnosticSource.diagnostic}. */
export interface DiagnosticOptions {
  hint?: string | undefined;
  /** Put the caret on the key of the last path segment rather than on its value. */
  atKey?: boolean;
  severity?: 'error' | 'warning';
}

/**
 * Something that can pin a problem, named by a path into the value it holds, to a file, line and
 * column: a YAML file (YamlSource), or one row of a case data file (a CSV cell, a JSONL line).
 */
export interface DiagnosticSource {
  readonly value: unknown;
  diagnostic(path: YamlPath, code: DiagnosticCode, message: string, options?: DiagnosticOptions): Diagnostic;
}
