import type { DataRow } from './data-row.js';
import type { Diagnostic } from './diagnostic.js';
import type { DiagnosticSource } from './diagnostic-source.js';
import { CaseSpecSchema, type CaseSpec, type CasesFileSpec, type SuiteSpec } from './suite-schema.js';
import type { YamlPath } from './yaml-source.js';
import { diagnosticsFromZod } from './zod-diagnostics.js';

/** A case as written, inline or as a data row, with the source that pins its problems. */
export interface PlacedCase {
  spec: CaseSpec;
  /** Its index in the suite's `cases` list (a data file's rows share their entry's index). */
  index: number;
  /** Resolves `['cases', index, …]` paths: into the suite for inline cases, into the data file for rows. */
  source: DiagnosticSource;
}

/**
 * The suite's cases in order: inline cases as they are, each `{file: …}` entry expanded to its rows.
 * Every row is checked against the case schema, its problems reported in the data file, all at once.
 */
export async function collectCases(
  spec: SuiteSpec,
  suite: DiagnosticSource,
  skipCases: ReadonlySet<number>,
  loadRows: (ref: string, at: YamlPath) => Promise<DataRow[] | undefined>,
  diagnostics: Diagnostic[],
): Promise<PlacedCase[]> {
  const entries: { entry: CaseSpec | CasesFileSpec; at: YamlPath }[] = Array.isArray(spec.cases)
    ? spec.cases.map((entry, i) => ({ entry, at: ['cases', i] }))
    : [{ entry: spec.cases, at: ['cases'] }];
  const placed: PlacedCase[] = [];
  for (const [index, { entry, at }] of entries.entries()) {
    if (skipCases.has(index)) continue;
    if (!('file' in entry)) {
      placed.push({ spec: entry, index, source: suite });
      continue;
    }
    const rows = await loadRows(entry.file, [...at, 'file']);
    for (const row of rows ?? []) {
      const parsed = CaseSpecSchema.safeParse(row.value);
      if (!parsed.success) {
        diagnostics.push(...diagnosticsFromZod(parsed.error.issues, row, CaseSpecSchema));
        continue;
      }
      placed.push({ spec: parsed.data, index, source: rowInSuite(row, suite) });
    }
  }
  return placed;
}

/** Paths into the case go to the row; any other path (the suite's templates and assertions) to the suite. */
function rowInSuite(row: DataRow, suite: DiagnosticSource): DiagnosticSource {
  return {
    value: suite.value,
    diagnostic: (path, code, message, options) => (path[0] === 'cases' ? row.diagnostic(path.slice(2), code, message, options) : suite.diagnostic(path, code, message, options)),
  };
}
