import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Document, LineCounter, Node, YAMLError } from 'yaml';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { parseYamlFast } from './parse-yaml-fast.js';

// `yaml` (about 40 ms to load) builds the positional document: required the first time a text needs
// one (a problem to point at, or a construct parseYamlFast leaves to it), so most runs never load it.
const requireYaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** Largest YAML file `load` reads; larger files are refused before parsing. @default 5 MiB */
export const MAX_YAML_BYTES = 5 * 1024 * 1024;
/** Aliases a document may expand before it is treated as an alias bomb. */
const MAX_ALIAS_COUNT = 100;

export type YamlPath = readonly (string | number)[];

/**
 * A YAML file parsed with positions, so that any problem found later, by zod or by a semantic check,
 * can be pinned to a line and column of the file the user wrote.
 */
export class YamlSource {
  readonly value: unknown;
  /** What the YAML parser warned about (an unknown tag, say): reported, but not fatal. */
  readonly warnings: Diagnostic[];

  private constructor(
    /** The path shown to the user. */
    readonly displayPath: string,
    readonly text: string,
    /** The positional document; built on first use when the text was parsed by {@link parseYamlFast}. */
    private positional: Positional | undefined,
    value: unknown,
    warnings: Diagnostic[],
  ) {
    this.value = value;
    this.warnings = warnings;
  }

  private get doc(): Document.Parsed {
    return this.positions().doc;
  }

  private get lineCounter(): LineCounter {
    return this.positions().lineCounter;
  }

  private positions(): Positional {
    this.positional ??= parsePositional(this.text);
    return this.positional;
  }

  /**
   * Reads and parses a file. Returns the source, or the diagnostics that stop it being one
   * (unreadable, too large, not UTF-8, empty, bad YAML).
   */
  static async read(absolutePath: string, displayPath: string): Promise<YamlSource | Diagnostic[]> {
    const fileLevel = (code: DiagnosticCode, message: string, hint?: string): Diagnostic[] => [
      { severity: 'error', code, file: displayPath, line: 1, column: 1, length: 1, message, ...(hint ? { hint } : {}) },
    ];
    let bytes: Buffer;
    try {
      const info = await stat(absolutePath);
      if (!info.isFile()) return fileLevel('FILE_NOT_FOUND', `${displayPath} is not a file`);
      if (info.size > MAX_YAML_BYTES) {
        return fileLevel('FILE_TOO_LARGE', `file is ${(info.size / 1048576).toFixed(1)} MiB; the limit is ${MAX_YAML_BYTES / 1048576} MiB`, 'split it into several suites');
      }
      bytes = await readFile(absolutePath);
    } catch (error) {
      return fileLevel('FILE_NOT_FOUND', `cannot read ${displayPath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fileLevel('NOT_UTF8', 'file is not valid UTF-8', 're-save it as UTF-8');
    }
    return YamlSource.parse(text, displayPath);
  }

  /** Parses YAML text already in memory. */
  static parse(text: string, displayPath: string): YamlSource | Diagnostic[] {
    if (text.trim() === '') {
      return [{ severity: 'error', code: 'EMPTY_FILE', file: displayPath, line: 1, column: 1, length: 1, message: 'file is empty' }];
    }
    // Most files are plain data with no problem to point at: parsed fast, positions built only if needed.
    const fast = parseYamlFast(text);
    if (fast) return new YamlSource(displayPath, text, undefined, fast.value, []);
    const { doc, lineCounter } = parsePositional(text);
    const fail = (code: DiagnosticCode, offset: number, length: number, message: string, hint?: string, severity: Diagnostic['severity'] = 'error'): Diagnostic => {
      const { line, col } = lineCounter.linePos(offset);
      return {
        severity, code, file: displayPath, line, column: col, length: Math.max(1, length), message,
        sourceLine: text.split(/\r?\n/)[line - 1] ?? '', ...(hint ? { hint } : {}),
      };
    };
    if (doc.errors.length > 0) {
      return doc.errors.map((e) => {
        const [start, end] = e.pos;
        const bracket = openBracketOf(doc, e);
        if (bracket !== undefined) return fail('YAML_SYNTAX', bracket, 1, firstLine(e.message), 'close it, or indent the lines that continue it');
        const isDuplicate = e.code === 'DUPLICATE_KEY';
        const hint = e.code === 'TAB_AS_INDENT' ? 'indent with spaces; YAML does not allow tabs' : isDuplicate ? 'remove or rename one of the two' : undefined;
        return fail(isDuplicate ? 'DUPLICATE_KEY' : 'YAML_SYNTAX', start, end - start, firstLine(e.message), hint);
      });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const [start, end] = firstAliasRange(doc);
      return [fail('ALIAS_LIMIT', start, end - start, firstLine((error as Error).message), `expand at most ${MAX_ALIAS_COUNT} aliases`)];
    }
    const warnings = doc.warnings.map((w) => fail('YAML_WARNING', w.pos[0], w.pos[1] - w.pos[0], firstLine(w.message), undefined, 'warning'));
    return new YamlSource(displayPath, text, { doc, lineCounter }, value, warnings);
  }

  /**
   * Builds a diagnostic pinned to `path`. With `atKey`, the caret sits on the key of the last path
   * segment (for unknown keys) rather than on its value. Falls back to the nearest ancestor that exists.
   */
  diagnostic(
    path: YamlPath,
    code: DiagnosticCode,
    message: string,
    options: { hint?: string | undefined; atKey?: boolean; severity?: 'error' | 'warning' } = {},
  ): Diagnostic {
    const range = this.rangeOf(path, options.atKey ?? false);
    const { line, col } = this.lineCounter.linePos(range[0]);
    const sourceLine = this.text.split(/\r?\n/)[line - 1] ?? '';
    const lineRemaining = sourceLine.length - (col - 1);
    return {
      severity: options.severity ?? 'error',
      code,
      file: this.displayPath,
      line,
      column: col,
      length: Math.max(1, Math.min(range[1] - range[0], lineRemaining)),
      message,
      sourceLine,
      ...(options.hint ? { hint: options.hint } : {}),
    };
  }

  /** The line (1-based) where the value at `path` starts, or its nearest ancestor that exists. */
  lineOf(path: YamlPath): number {
    return this.lineCounter.linePos(this.rangeOf(path, false)[0]).line;
  }

  private rangeOf(path: YamlPath, atKey: boolean): [number, number] {
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      if (atKey && depth === path.length && depth > 0) {
        const parent = depth === 1 ? this.doc.contents : this.doc.getIn(prefix.slice(0, -1), true);
        const key = prefix[prefix.length - 1];
        const { isMap, isNode, isPair, isScalar } = requireYaml();
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
          if (pair && isNode(pair.key) && pair.key.range) return [pair.key.range[0], pair.key.range[1]];
        }
        continue;
      }
      const node: unknown = depth === 0 ? this.doc.contents : this.doc.getIn(prefix, true);
      const { isMap, isNode, isSeq } = requireYaml();
      if (isNode(node) && (node as Node).range) {
        const [start, end] = (node as Node).range!;
        // A map or list underlines only its first line; the caret should not run to the end of a block.
        if (isMap(node) || isSeq(node)) return [start, start + 1];
        return [start, end];
      }
    }
    return [0, 1];
  }
}

interface Positional {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

function parsePositional(text: string): Positional {
  const { LineCounter, parseDocument } = requireYaml();
  const lineCounter = new LineCounter();
  // `merge: true` accepts YAML 1.1 merge keys (`<<: *defaults`), common for sharing settings between cases.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, merge: true });
  return { doc, lineCounter };
}

/**
 * yaml reports an unclosed `[` or `{` where it gives up, usually the next line; the bracket left open is
 * where the user has to look. Its offset, or undefined for any other error.
 */
function openBracketOf(doc: Document.Parsed, error: YAMLError): number | undefined {
  if (!/end with a [\]}]$/.test(firstLine(error.message))) return undefined;
  let start: number | undefined;
  const { visit } = requireYaml();
  visit(doc, {
    Collection(_, node) {
      if (node.flow && node.range?.[1] === error.pos[0]) start = node.range[0];
    },
  });
  return start;
}

/** The first alias of a document: where an alias bomb starts to expand, rather than the top of the file. */
function firstAliasRange(doc: Document.Parsed): [number, number] {
  let range: [number, number] = [0, 1];
  const { visit } = requireYaml();
  visit(doc, {
    Alias(_, node) {
      if (!node.range) return undefined;
      range = [node.range[0], node.range[1]];
      return visit.BREAK;
    },
  });
  return range;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
