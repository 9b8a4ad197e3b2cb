import path from 'node:path';
import type { CaseDataSource } from './case-data-source.js';
import { collectCases } from './collect-cases.js';
import type { ScriptSource } from './script-source.js';
import { resolveGrader } from './resolve-grader.js';
import type { Diagnostic } from './diagnostic.js';
import type { ImageSource } from './image-source.js';
import type { JsonSchemaSource, LoadedJsonSchema } from './json-schema-source.js';
import type { ResolvedConfig } from './load-config.js';
import type { LoadedSuite } from './loaded-suite.js';
import type { ModelEntry } from './model-table.js';
import { resolveGateOn, type GateOnSpec } from './resolve-gate-on.js';
import { repairSuite } from './repair-suite.js';
import { resolveCase } from './resolve-case.js';
import { resolveTools } from './resolve-tools.js';
import { RUNWARE_LIMITS } from '../core/runware-limits.js';
import { didYouMean } from './suggest.js';
import { SuiteSpecSchema, type SuiteSpec } from './suite-schema.js';
import { diagnosticsFromZod } from './zod-diagnostics.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

/** What loading one suite needs from the project around it. */
export interface SuiteLoadContext {
  config: ResolvedConfig;
  /** `--gate-on`: replaces every suite's and the config's `gateOn`. */
  gateOnOverride?: GateOnSpec;
  schemas: JsonSchemaSource;
  images: ImageSource;
  /** Reads `cases: {file: …}` data files. */
  data: CaseDataSource;
  /** Imports `script` assertions' modules. */
  scripts: ScriptSource;
}

/**
 * Validates one parsed suite file and resolves it for planning: models looked up, sweep checked
 * against each model's limits, cases rendered, assertions compiled. Every problem found is returned;
 * the suite is returned only when there are no errors.
 */
export async function loadSuite(source: YamlSource, absolutePath: string, ctx: SuiteLoadContext): Promise<{ suite?: LoadedSuite; diagnostics: Diagnostic[] }> {
  if (source.value === null || source.value === undefined) {
    // A file of comments only parses to nothing: the same mistake as an empty file, so the same code.
    return { diagnostics: [source.diagnostic([], 'EMPTY_FILE', 'file has no content, only comments', { hint: 'a suite needs at least suite: and cases:' })] };
  }
  const parsed = SuiteSpecSchema.safeParse(source.value);
  if (parsed.success) return checkSuite(parsed.data, source, absolutePath, ctx, new Set());
  const diagnostics = diagnosticsFromZod(parsed.error.issues, source, SuiteSpecSchema);
  // Report the semantic problems of the parts that did pass the schema too: all problems at once.
  const repaired = repairSuite(source.value, parsed.error.issues);
  const reparsed = repaired ? SuiteSpecSchema.safeParse(repaired.value) : undefined;
  if (repaired && reparsed?.success) {
    diagnostics.push(...(await checkSuite(reparsed.data, source, absolutePath, ctx, repaired.skipCases)).diagnostics);
  }
  return { diagnostics };
}

async function checkSuite(
  spec: SuiteSpec,
  source: YamlSource,
  absolutePath: string,
  ctx: SuiteLoadContext,
  skipCases: ReadonlySet<number>,
): Promise<{ suite?: LoadedSuite; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const suiteDir = path.dirname(absolutePath);

  checkSweepConflicts(spec, source, diagnostics);
  const models = resolveModels(spec, source, ctx.config, diagnostics);
  const numberResults = spec.sweep?.numberResults ?? [spec.numberResults ?? RUNWARE_LIMITS.numberResults.default];
  const outputFormat = spec.outputFormat ?? 'TEXT';
  const deliveryMethod = spec.deliveryMethod ?? ctx.config.deliveryMethod;

  let suiteSchema: LoadedJsonSchema | undefined;
  // Looked up in the file, not the spec: a jsonSchema that failed the schema is no longer in the spec.
  const isSuiteSchemaWritten = typeof source.value === 'object' && source.value !== null && 'jsonSchema' in source.value;
  if (spec.jsonSchema !== undefined) {
    suiteSchema = await ctx.schemas.load(spec.jsonSchema, source, suiteDir, ['jsonSchema'], diagnostics);
    if (outputFormat !== 'JSON') {
      diagnostics.push(
        source.diagnostic(['jsonSchema'], 'IGNORED_SETTING', 'jsonSchema is sent only with outputFormat: JSON', {
          severity: 'warning',
          hint: 'add outputFormat: JSON, or use the schema only in a jsonSchema assertion',
        }),
      );
    }
  }

  for (const model of models) {
    const place = spec.sweep?.numberResults ? (i: number): YamlPath => ['sweep', 'numberResults', i] : (): YamlPath => ['numberResults'];
    numberResults.forEach((n, i) => {
      if (n > model.entry.maxNumberResults) {
        diagnostics.push(source.diagnostic(place(i), 'UNSUPPORTED_BY_MODEL', `${model.entry.id} takes at most ${model.entry.maxNumberResults} results per request, not ${n}`));
      }
    });
    if (!model.entry.outputFormats.includes(outputFormat)) {
      diagnostics.push(source.diagnostic(spec.outputFormat ? ['outputFormat'] : model.at, 'UNSUPPORTED_BY_MODEL', `${model.entry.id} does not support outputFormat ${outputFormat}`));
    }
    if (deliveryMethod !== undefined && !model.entry.deliveryMethods.includes(deliveryMethod)) {
      const from = spec.deliveryMethod !== undefined ? '' : ' (the default in evalconfig.yaml)';
      diagnostics.push(
        source.diagnostic(spec.deliveryMethod !== undefined ? ['deliveryMethod'] : model.at, 'UNSUPPORTED_BY_MODEL', `${model.entry.id} does not take deliveryMethod ${deliveryMethod}${from}`, {
          hint: `it takes: ${model.entry.deliveryMethods.join(', ')}${spec.deliveryMethod !== undefined ? '; or remove deliveryMethod to let evalgate choose per model' : ''}`,
        }),
      );
    }
  }

  const tools = await resolveTools(spec, source, models, (ref, at) => ctx.schemas.load(ref, source, suiteDir, at, diagnostics), diagnostics);

  const placed = await collectCases(spec, source, skipCases, (ref, at) => ctx.data.load(ref, source, suiteDir, at, diagnostics), diagnostics);
  const seen = new Map<string, (typeof placed)[number]>();
  const cases = [];
  for (const entry of placed) {
    const { spec: caseSpec, index, source: caseSource } = entry;
    const first = seen.get(caseSpec.id);
    if (first !== undefined) {
      const here = caseSource.diagnostic(['cases', index, 'id'], 'DUPLICATE_CASE_ID', `case id "${caseSpec.id}" is used twice`);
      const there = first.source.diagnostic(['cases', first.index, 'id'], 'DUPLICATE_CASE_ID', '');
      const where = there.file === here.file ? `line ${there.line}` : `${there.file}:${there.line}`;
      diagnostics.push({ ...here, hint: `the first is on ${where}; case ids must be unique in a suite` });
    } else {
      seen.set(caseSpec.id, entry);
    }
    const loaded = await resolveCase(spec, caseSpec, index, {
      source: caseSource,
      models: models.map((m) => m.entry),
      suiteSchema,
      isSuiteSchemaWritten,
      tools,
      loadSchema: (ref, at) => ctx.schemas.load(ref, source, suiteDir, at, diagnostics),
      loadImage: (ref, at) => ctx.images.load(ref, source, suiteDir, at, diagnostics),
      // Scripts are named by the suite's assertions (or a row's): pinned where the case's source says.
      loadScript: (ref, exportName, at) => ctx.scripts.load(ref, exportName, caseSource, suiteDir, at, diagnostics),
      resolveGrader: (judgeSpec, at) => resolveGrader(judgeSpec, spec.judge, ctx.config, caseSource, at, diagnostics),
      diagnostics,
    });
    // A duplicate is still checked, so its own mistakes are told with the rest; it is never kept.
    if (loaded && first === undefined) cases.push(loaded);
  }

  const gateOn = resolveGateOn(spec, cases, models.map((m) => m.entry), source, ctx, diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const suite: LoadedSuite = {
    name: spec.suite,
    file: source.displayPath,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    tags: spec.tags ?? [],
    threshold: spec.threshold ?? ctx.config.threshold,
    gateOn,
    untilDecided: spec.untilDecided ?? ctx.config.sequential.untilDecided,
    repeats: spec.repeats ?? 1,
    models: models.map((m) => m.entry),
    numberResults,
    outputFormat,
    ...(suiteSchema && outputFormat === 'JSON' ? { jsonSchema: suiteSchema.wire } : {}),
    ...(deliveryMethod !== undefined ? { deliveryMethod } : {}),
    ...(tools.tools ? { tools: tools.tools } : {}),
    ...(tools.toolChoice ? { toolChoice: tools.toolChoice } : {}),
    cases,
  };
  return { suite, diagnostics };
}

function checkSweepConflicts(spec: SuiteSpec, source: YamlSource, diagnostics: Diagnostic[]): void {
  const conflict = (at: YamlPath, key: string) =>
    diagnostics.push(
      source.diagnostic(at, 'CONFLICTS_WITH_SWEEP', `${key} is set here and swept in sweep.${key}`, { atKey: true, hint: `set ${key} in one place: the sweep, or here` }),
    );
  if (spec.sweep?.model && spec.model !== undefined) conflict(['model'], 'model');
  if (spec.sweep?.numberResults && spec.numberResults !== undefined) conflict(['numberResults'], 'numberResults');
  if (spec.sweep?.thinkingLevel && spec.settings?.thinkingLevel !== undefined) conflict(['settings', 'thinkingLevel'], 'thinkingLevel');
  for (const key of ['thinkingLevel', 'numberResults', 'model'] as const) {
    const list: readonly unknown[] = spec.sweep?.[key] ?? [];
    list.forEach((value, i) => {
      if (list.indexOf(value) !== i) diagnostics.push(source.diagnostic(['sweep', key, i], 'INVALID_VALUE', `sweep.${key} lists ${String(value)} twice`));
    });
  }
}

function resolveModels(spec: SuiteSpec, source: YamlSource, config: ResolvedConfig, diagnostics: Diagnostic[]): { entry: ModelEntry; at: YamlPath }[] {
  const named: { name: string; at: YamlPath }[] = spec.sweep?.model
    ? spec.sweep.model.map((name, i) => ({ name, at: ['sweep', 'model', i] }))
    : [{ name: spec.model ?? config.model, at: spec.model !== undefined ? ['model'] : ['suite'] }];
  const found: { entry: ModelEntry; at: YamlPath }[] = [];
  for (const { name, at } of named) {
    const entry = config.models.find(name);
    if (entry) {
      found.push({ entry, at });
      continue;
    }
    diagnostics.push(
      source.diagnostic(at, 'UNKNOWN_MODEL', `unknown model "${name}"`, {
        hint: didYouMean(name, config.models.names()) ?? `known: ${config.models.entries.map((m) => m.id).join(', ')}; add others under models: in evalconfig.yaml`,
      }),
    );
  }
  return found;
}
