import type { AssertionSpec, AssertionSpecOf } from './assertion-spec-schema.js';
import type { Diagnostic } from './diagnostic.js';
import type { LoadedJsonSchema } from './json-schema-source.js';
import type { JudgeGrader, ResolvedAssertion, ResolvedJsonFieldAssertion, ResolvedToolCallAssertion } from './loaded-suite.js';
import { parseJsonPath } from './parse-json-path.js';
import type { ScriptCheck } from './script-check.js';
import type { ResolvedTools } from './resolve-tools.js';
import { didYouMean } from './suggest.js';
import { escapeRegExp } from './render-template.js';
import type { DiagnosticSource } from './diagnostic-source.js';
import type { YamlPath } from './yaml-source.js';

/** An assertion as written, with where it was written. */
export interface PlacedAssertion {
  spec: AssertionSpec;
  path: YamlPath;
}

/** What resolving a case's assertions needs from the suite around it. */
export interface AssertionContext {
  source: DiagnosticSource;
  /** Renders the case's `{{var}}`s into a string; reports a missing variable and returns undefined. */
  render: (text: string, at: YamlPath, escape?: (value: string) => string) => string | undefined;
  /** The suite's own `jsonSchema`, for `jsonSchema` assertions that give none. */
  suiteSchema: LoadedJsonSchema | undefined;
  /** True when the suite has a `jsonSchema` key, even one that did not load (and is reported already). */
  isSuiteSchemaWritten: boolean;
  /** The suite's tools, for toolCall assertions. */
  tools: ResolvedTools;
  loadSchema: (ref: string | Record<string, unknown>, at: YamlPath) => Promise<LoadedJsonSchema | undefined>;
  /** Looks up a judge assertion's grader (its model, level and maxTokens, after the suite's and config's defaults), or reports why not. */
  resolveGrader: (spec: AssertionSpecOf<'judge'>, at: YamlPath) => { grader: JudgeGrader; samples: number; threshold?: number } | undefined;
  /** Imports a `script` assertion's function (once per module), or reports why not. */
  loadScript: (ref: string, exportName: string | undefined, at: YamlPath) => Promise<{ fn: ScriptCheck; label: string } | undefined>;
  diagnostics: Diagnostic[];
}

/**
 * Renders templates in a case's assertions, compiles every regex and loads every JSON Schema. Problems
 * go to `ctx.diagnostics`; assertions that cannot be resolved are left out of the result.
 */
export async function resolveAssertions(placed: readonly PlacedAssertion[], ctx: AssertionContext): Promise<ResolvedAssertion[]> {
  const resolved: ResolvedAssertion[] = [];
  for (const { spec, path } of placed) {
    const result = await resolveOne(spec, path, ctx);
    if (result) resolved.push(result);
  }
  return resolved;
}

async function resolveOne(spec: AssertionSpec, path: YamlPath, ctx: AssertionContext): Promise<ResolvedAssertion | undefined> {
  const { render } = ctx;

  switch (spec.type) {
    case 'regex': {
      const pattern = render(spec.pattern, [...path, 'pattern'], escapeRegExp);
      if (pattern === undefined) return undefined;
      try {
        new RegExp(pattern, spec.flags);
      } catch (error) {
        const problem = ctx.source.diagnostic([...path, 'pattern'], 'BAD_REGEX', `regex does not compile: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
        ctx.diagnostics.push({ ...problem, hint: regexHint(problem.file) });
        return undefined;
      }
      return { ...spec, pattern };
    }
    case 'contains': {
      const values = Array.isArray(spec.value) ? spec.value : [spec.value];
      const rendered = values.map((v, i) => render(v, Array.isArray(spec.value) ? [...path, 'value', i] : [...path, 'value']));
      if (rendered.some((v) => v === undefined)) return undefined;
      return { ...spec, value: Array.isArray(spec.value) ? (rendered as string[]) : rendered[0]! };
    }
    case 'equals': {
      const value = render(spec.value, [...path, 'value']);
      return value === undefined ? undefined : { ...spec, value };
    }
    case 'jsonField':
      return resolveJsonField(spec, path, ctx);
    case 'judge': {
      const rubric = render(spec.rubric, [...path, 'rubric']);
      const reference = spec.reference === undefined ? undefined : render(spec.reference, [...path, 'reference']);
      const resolved = ctx.resolveGrader(spec, path);
      if (rubric === undefined || (spec.reference !== undefined && reference === undefined) || !resolved) return undefined;
      return {
        type: 'judge',
        rubric,
        ...(reference !== undefined ? { reference } : {}),
        ...(resolved.threshold !== undefined ? { threshold: resolved.threshold } : {}),
        samples: resolved.samples,
        grader: resolved.grader,
        ...(spec.description !== undefined ? { description: spec.description } : {}),
      };
    }
    case 'script': {
      const loaded = await ctx.loadScript(spec.module, spec.export, path);
      return loaded ? { ...spec, ...loaded } : undefined;
    }
    case 'jsonSchema': {
      if (spec.schema === undefined) {
        if (!ctx.suiteSchema) {
          // A suite jsonSchema that did not load is reported where it is written; saying "none" here would mislead.
          if (ctx.isSuiteSchemaWritten) return undefined;
          ctx.diagnostics.push(
            ctx.source.diagnostic(path, 'MISSING_JSON_SCHEMA', 'jsonSchema assertion has no schema, and the suite has no jsonSchema', {
              hint: 'add schema: <path or inline schema>, or set jsonSchema at the top of the suite',
            }),
          );
          return undefined;
        }
        return { ...spec, validate: ctx.suiteSchema.validate, schemaLabel: `suite jsonSchema (${ctx.suiteSchema.label})` };
      }
      const loaded = await ctx.loadSchema(spec.schema, [...path, 'schema']);
      return loaded ? { ...spec, validate: loaded.validate, schemaLabel: loaded.label } : undefined;
    }
    case 'toolCall':
      return resolveToolCall(spec, path, ctx);
    default:
      return spec;
  }
}

/** A jsonField's path parses, its `matches` compiles, and `{{var}}`s in its values render. */
function resolveJsonField(spec: AssertionSpecOf<'jsonField'>, path: YamlPath, ctx: AssertionContext): ResolvedJsonFieldAssertion | undefined {
  const parsed = parseJsonPath(spec.path);
  if (!parsed.ok) {
    ctx.diagnostics.push(
      ctx.source.diagnostic([...path, 'path'], 'BAD_JSON_PATH', `path ${JSON.stringify(spec.path)}: ${parsed.message} (at character ${parsed.offset + 1})`, {
        hint: 'write $ then .name, [\'name\'] or [index] steps, e.g. $.items[0].total',
      }),
    );
  }
  let isRendered = true;
  const renderValue = (value: unknown, at: YamlPath): unknown => {
    if (typeof value !== 'string') return value;
    const out = ctx.render(value, at);
    if (out === undefined) isRendered = false;
    return out ?? value;
  };
  const equals = spec.equals === undefined ? undefined : renderValue(spec.equals, [...path, 'equals']);
  const oneOf = spec.oneOf?.map((v, i) => renderValue(v, [...path, 'oneOf', i]) as string | number | boolean | null);
  let matches: string | undefined;
  if (spec.matches !== undefined) {
    matches = ctx.render(spec.matches, [...path, 'matches'], escapeRegExp);
    if (matches === undefined) isRendered = false;
    else {
      try {
        new RegExp(matches, spec.flags);
      } catch (error) {
        ctx.diagnostics.push(ctx.source.diagnostic([...path, 'matches'], 'BAD_REGEX', `regex does not compile: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`));
        return undefined;
      }
    }
  }
  if (!parsed.ok || !isRendered) return undefined;
  return {
    ...spec,
    steps: parsed.steps,
    ...(equals !== undefined ? { equals: equals as AssertionSpecOf<'jsonField'>['equals'] } : {}),
    ...(oneOf ? { oneOf } : {}),
    ...(matches !== undefined ? { matches } : {}),
  };
}

/** A toolCall assertion names one of the suite's tools; its arguments schema is the given one, else the tool's. */
async function resolveToolCall(spec: AssertionSpecOf<'toolCall'>, path: YamlPath, ctx: AssertionContext): Promise<ResolvedToolCallAssertion | undefined> {
  const { byName, isWritten } = ctx.tools;
  if (byName.size === 0) {
    // Tools that failed to load are reported where they are written; "no tools" here would mislead.
    if (isWritten) return undefined;
    ctx.diagnostics.push(ctx.source.diagnostic(path, 'UNKNOWN_TOOL', 'toolCall assertion, but the suite declares no tools', { hint: 'add tools: to the suite' }));
    return undefined;
  }
  const tool = spec.name !== undefined ? byName.get(spec.name) : undefined;
  if (spec.name !== undefined && !tool) {
    const names = [...byName.keys()];
    ctx.diagnostics.push(
      ctx.source.diagnostic([...path, 'name'], 'UNKNOWN_TOOL', `toolCall names "${spec.name}", which is not one of the suite's tools`, {
        hint: didYouMean(spec.name, names) ?? `declared: ${names.join(', ')}`,
      }),
    );
    return undefined;
  }
  if (spec.schema !== undefined) {
    const loaded = await ctx.loadSchema(spec.schema, [...path, 'schema']);
    return loaded ? { ...spec, validate: loaded.validate, schemaLabel: loaded.label } : undefined;
  }
  return tool?.schema ? { ...spec, validate: tool.schema.validate, schemaLabel: `tool ${spec.name}'s schema` } : spec;
}

/** How a backslash reaches a regex in the file the pattern is written in: a YAML suite or data file, or a JSONL line or CSV cell (JSON text). */
function regexHint(file: string): string {
  return /\.ya?ml$/i.test(file)
    ? "in YAML, single-quote patterns ('\\d+') so backslashes reach the regex unchanged"
    : 'in JSON (a JSONL line, a CSV assert cell), write each backslash twice ("\\\\d+") so one reaches the regex; check that every ( [ { is closed';
}
