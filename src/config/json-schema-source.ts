import path from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { displayPath, howFileLeaves } from './display-path.js';
import { JsonSchemaCompiler, type ValidateFunction } from './json-schema-compiler.js';
import type { WireJsonSchema } from './loaded-suite.js';
import { YamlSource, type YamlPath } from './yaml-source.js';

/** A schema found and compiled, with a label for messages. */
export interface LoadedJsonSchema {
  /** The schema in Runware's `{name, strict, schema}` form; `wire.schema` is what was compiled. */
  wire: WireJsonSchema;
  validate: ValidateFunction;
  label: string;
}

/**
 * Loads JSON Schemas given in suites, inline or as a path relative to the suite, and compiles them
 * (a schema in Runware's `{name, strict, schema}` form is unwrapped first).
 * Files are read once per load, however many cases point at them. Problems become diagnostics at
 * the place in the suite that named the schema (or inside the schema file, for its syntax errors).
 */
export class JsonSchemaSource {
  private readonly files = new Map<string, YamlSource | Diagnostic[]>();

  constructor(
    private readonly compiler: JsonSchemaCompiler,
    private readonly rootDir: string,
    private readonly cwd: string,
  ) {}

  /** Loads and compiles `ref` (a path or an inline schema) named at `at` in `suite`. */
  async load(ref: string | Record<string, unknown>, suite: YamlSource, suiteDir: string, at: YamlPath, diagnostics: Diagnostic[]): Promise<LoadedJsonSchema | undefined> {
    let schema: Record<string, unknown>;
    let label: string;
    if (typeof ref === 'string') {
      const file = path.resolve(suiteDir, ref);
      label = displayPath(file, this.cwd);
      const how = await howFileLeaves(this.rootDir, file);
      if (how !== undefined) {
        diagnostics.push(suite.diagnostic(at, 'PATH_OUTSIDE_PROJECT', `schema path "${ref}" leaves the project folder${how}`, { hint: `keep schemas under ${displayPath(this.rootDir, this.cwd) || '.'}, as files, not links to elsewhere` }));
        return undefined;
      }
      const source = await this.read(file, label);
      if (Array.isArray(source)) {
        if (source.length === 1 && source[0]!.code === 'FILE_NOT_FOUND') {
          diagnostics.push(suite.diagnostic(at, 'FILE_NOT_FOUND', `schema file "${ref}" not found (looked for ${label})`, { hint: 'paths are relative to the suite file' }));
        } else {
          diagnostics.push(...source.map(withoutContent));
        }
        return undefined;
      }
      if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
        diagnostics.push(suite.diagnostic(at, 'BAD_JSON_SCHEMA', `${label} is not a JSON Schema: its content is not an object`));
        return undefined;
      }
      schema = source.value as Record<string, unknown>;
    } else {
      schema = ref;
      label = 'inline schema';
    }
    const wire = toWireJsonSchema(schema);
    const compiled = this.compiler.compile(wire.schema);
    if (!compiled.ok) {
      diagnostics.push(suite.diagnostic(at, 'BAD_JSON_SCHEMA', `${label}: ${compiled.message}`, { hint: compiled.hint }));
      return undefined;
    }
    return { wire, validate: compiled.validate, label };
  }

  private async read(file: string, label: string): Promise<YamlSource | Diagnostic[]> {
    let source = this.files.get(file);
    if (!source) {
      source = await YamlSource.read(file, label);
      this.files.set(file, source);
    }
    return source;
  }
}

/**
 * A problem in a schema file, told without its content: the schema is not a suite, and a path can
 * lead to a file that was never meant to be shown (a `.env`). Where and what kind, never the line,
 * nor the parser's words, which quote it.
 */
function withoutContent(d: Diagnostic): Diagnostic {
  const { sourceLine: _dropped, ...rest } = d;
  return { ...rest, code: 'BAD_JSON_SCHEMA', message: `${d.file} is not valid JSON or YAML (${d.code.toLowerCase().replace(/_/g, ' ')} at line ${d.line}, column ${d.column})` };
}

/**
 * Runware's `jsonSchema` form: `{name, strict, schema}`. A bare schema is wrapped as
 * `{name: "response", strict: true, schema}`; a schema already in that form is kept.
 */
export function toWireJsonSchema(schema: Record<string, unknown>): WireJsonSchema {
  const inner = schema.schema;
  if (typeof schema.name === 'string' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
    return { name: schema.name, strict: schema.strict !== false, schema: inner as Record<string, unknown> };
  }
  return { name: 'response', strict: true, schema };
}
