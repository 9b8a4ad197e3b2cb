import type { Diagnostic } from './diagnostic.js';
import type { LoadedJsonSchema } from './json-schema-source.js';
import type { LoadedCase } from './loaded-suite.js';
import type { ModelEntry } from './model-table.js';
import { renderTemplate } from './render-template.js';
import { resolveAssertions, type AssertionContext, type PlacedAssertion } from './resolve-assertions.js';
import type { ResolvedTools } from './resolve-tools.js';
import { RUNWARE_LIMITS, type Message, type ThinkingLevel } from '../core/runware-limits.js';
import { suggest } from './suggest.js';
import type { CaseSpec, SuiteSpec } from './suite-schema.js';
import type { DiagnosticSource } from './diagnostic-source.js';
import type { YamlPath } from './yaml-source.js';

/** What resolving one case needs from its suite. */
export interface CaseContext {
  source: DiagnosticSource;
  models: ModelEntry[];
  suiteSchema: LoadedJsonSchema | undefined;
  /** True when the suite has a `jsonSchema` key, even one that did not load. */
  isSuiteSchemaWritten: boolean;
  /** The suite's tools, for toolCall assertions. */
  tools: ResolvedTools;
  loadSchema: (ref: string | Record<string, unknown>, at: YamlPath) => Promise<LoadedJsonSchema | undefined>;
  loadScript: AssertionContext['loadScript'];
  resolveGrader: AssertionContext['resolveGrader'];
  /** Reads one `inputs.images` entry: the value to send, or undefined after reporting why not. */
  loadImage: (ref: string, at: YamlPath) => Promise<string | undefined>;
  diagnostics: Diagnostic[];
}

/**
 * Resolves one case: variables merged and rendered into its conversation and system prompt, settings
 * inherited from the suite, limits checked against each model, assertions compiled.
 */
export async function resolveCase(suite: SuiteSpec, spec: CaseSpec, index: number, ctx: CaseContext): Promise<LoadedCase | undefined> {
  const { source, diagnostics } = ctx;
  const at = (...rest: (string | number)[]): YamlPath => ['cases', index, ...rest];
  const errorsBefore = diagnostics.length;
  const vars = { ...suite.vars, ...spec.vars };

  /** Renders `{{var}}`s; a placeholder without a value is reported here (and leaves undefined). */
  const renderOrReport = (text: string, where: YamlPath, escape?: (value: string) => string): string | undefined => {
    const { text: out, missing } = renderTemplate(text, vars, escape);
    if (missing.length === 0) return out;
    const names = Object.keys(vars);
    const suggestion = missing.length === 1 ? suggest(missing[0]!, names) : undefined;
    // A data file's row has its vars in that file: name it, or the line reads as one of the suite's.
    const varsAt = spec.vars ? source.diagnostic(at('vars'), 'UNDEFINED_VARIABLE', '') : undefined;
    const errorFile = source.diagnostic(where, 'UNDEFINED_VARIABLE', '').file;
    const addHint = varsAt
      ? `add it to vars of case "${spec.id}" (${varsAt.file === errorFile ? `line ${varsAt.line}` : `${varsAt.file}:${varsAt.line}`})`
      : `add vars: to case "${spec.id}" or to the suite`;
    diagnostics.push(
      source.diagnostic(where, 'UNDEFINED_VARIABLE', `case "${spec.id}": ${missing.map((m) => `{{${m}}}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not defined`, {
        hint: suggestion !== undefined ? `did you mean {{${suggestion}}}?` : addHint,
      }),
    );
    return undefined;
  };
  const render = (text: string, where: YamlPath): string => renderOrReport(text, where) ?? text;

  const messagesFrom: { list: CaseSpec['messages']; base: YamlPath } | undefined = spec.messages
    ? { list: spec.messages, base: at('messages') }
    : suite.messages
      ? { list: suite.messages, base: ['messages'] }
      : undefined;
  const messages: Message[] = [];
  if (!messagesFrom?.list) {
    diagnostics.push(
      source.diagnostic(at('id'), 'BAD_MESSAGES', `case "${spec.id}" has no messages, and the suite has no messages template`, {
        hint: 'give the case messages:, or the suite a messages: template with {{vars}}',
      }),
    );
  } else {
    for (const [i, message] of messagesFrom.list.entries()) {
      const content = render(message.content, [...messagesFrom.base, i, 'content']);
      if (content.trim() === '') {
        diagnostics.push(source.diagnostic([...messagesFrom.base, i, 'content'], 'BAD_MESSAGES', `case "${spec.id}": message ${i + 1} is empty`, { hint: 'Runware rejects empty message content' }));
      }
      messages.push({ role: message.role, content });
    }
    const last = messagesFrom.list.length - 1;
    if (messagesFrom.list[last]?.role !== 'user') {
      diagnostics.push(
        source.diagnostic([...messagesFrom.base, last, 'role'], 'BAD_MESSAGES', `case "${spec.id}": the last message is from the ${messagesFrom.list[last]?.role}; it must be from the user`, {
          hint: 'end the conversation with a user message',
        }),
      );
    }
  }

  const systemPromptTemplate = spec.settings?.systemPrompt ?? suite.settings?.systemPrompt;
  const systemPromptAt: YamlPath = spec.settings?.systemPrompt !== undefined ? at('settings', 'systemPrompt') : ['settings', 'systemPrompt'];
  const systemPrompt = systemPromptTemplate === undefined ? undefined : render(systemPromptTemplate, systemPromptAt);
  if (systemPrompt !== undefined && systemPrompt.trim() === '') {
    // Runware takes 1 to 200,000 characters: an empty rendered prompt would fail every sample, paid or not.
    diagnostics.push(
      source.diagnostic(systemPromptAt, 'OUT_OF_RANGE', `case "${spec.id}": the system prompt renders empty; Runware takes ${RUNWARE_LIMITS.systemPromptChars.min} to ${RUNWARE_LIMITS.systemPromptChars.max} characters`, {
        hint: 'give the variable it uses a value, or remove settings.systemPrompt',
      }),
    );
  } else if (systemPrompt !== undefined && systemPrompt.length > RUNWARE_LIMITS.systemPromptChars.max) {
    diagnostics.push(source.diagnostic(systemPromptAt, 'OUT_OF_RANGE', `case "${spec.id}": the rendered system prompt is ${systemPrompt.length} characters; at most ${RUNWARE_LIMITS.systemPromptChars.max} are allowed`));
  }

  if (suite.sweep?.thinkingLevel && spec.settings?.thinkingLevel !== undefined) {
    diagnostics.push(
      source.diagnostic(at('settings', 'thinkingLevel'), 'CONFLICTS_WITH_SWEEP', `case "${spec.id}" sets thinkingLevel, which the suite sweeps`, {
        atKey: true,
        hint: 'remove it here, or remove thinkingLevel from the sweep',
      }),
    );
  }
  const maxTokens = spec.settings?.maxTokens ?? suite.settings?.maxTokens ?? RUNWARE_LIMITS.maxTokens.default;
  const thinkingLevels: ThinkingLevel[] = suite.sweep?.thinkingLevel ?? [spec.settings?.thinkingLevel ?? suite.settings?.thinkingLevel ?? RUNWARE_LIMITS.defaultThinkingLevel];
  checkModelLimits(suite, spec, index, maxTokens, thinkingLevels, ctx);

  const images = await resolveImages(suite, spec, index, render, ctx);

  const placed: PlacedAssertion[] = [
    ...(suite.assert ?? []).map((a, i) => ({ spec: a, path: ['assert', i] as YamlPath })),
    ...(spec.assert ?? []).map((a, i) => ({ spec: a, path: at('assert', i) })),
  ];
  const assertions = await resolveAssertions(placed, {
    source,
    render: renderOrReport,
    suiteSchema: ctx.suiteSchema,
    isSuiteSchemaWritten: ctx.isSuiteSchemaWritten,
    tools: ctx.tools,
    loadSchema: ctx.loadSchema,
    loadScript: ctx.loadScript,
    resolveGrader: ctx.resolveGrader,
    diagnostics,
  });

  if (diagnostics.slice(errorsBefore).some((d) => d.severity === 'error')) return undefined;
  return {
    id: spec.id,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    tags: [...new Set([...(suite.tags ?? []), ...(spec.tags ?? [])])],
    messages,
    ...(systemPrompt !== undefined ? { systemPrompt } : {}),
    ...(Object.keys(vars).length > 0 ? { vars } : {}),
    maxTokens,
    thinkingLevels,
    ...(images ? { images } : {}),
    assertions,
  };
}

/** The case's images (else the suite's), templates rendered, read and checked; each model must take images. */
async function resolveImages(suite: SuiteSpec, spec: CaseSpec, index: number, render: (text: string, at: YamlPath) => string, ctx: CaseContext): Promise<string[] | undefined> {
  const base: YamlPath = spec.inputs ? ['cases', index, 'inputs'] : ['inputs'];
  const refs = (spec.inputs ?? suite.inputs)?.images;
  if (!refs) return undefined;
  for (const model of ctx.models) {
    if (!model.acceptsImages) {
      ctx.diagnostics.push(ctx.source.diagnostic(base, 'UNSUPPORTED_BY_MODEL', `${model.id} does not take images (inputs.images)`, { atKey: true, hint: 'use a model that does (acceptsImages in the model table)' }));
    }
  }
  const loaded = await Promise.all(refs.map((ref, i) => ctx.loadImage(render(ref, [...base, 'images', i]), [...base, 'images', i])));
  return loaded.every((v): v is string => v !== undefined) ? loaded : undefined;
}

function checkModelLimits(suite: SuiteSpec, spec: CaseSpec, index: number, maxTokens: number, levels: ThinkingLevel[], ctx: CaseContext): void {
  const maxTokensAt: YamlPath = spec.settings?.maxTokens !== undefined ? ['cases', index, 'settings', 'maxTokens'] : ['settings', 'maxTokens'];
  for (const model of ctx.models) {
    if (maxTokens > model.maxTokens) {
      ctx.diagnostics.push(ctx.source.diagnostic(maxTokensAt, 'UNSUPPORTED_BY_MODEL', `maxTokens ${maxTokens} is above ${model.id}'s limit of ${model.maxTokens}`));
    }
    levels.forEach((level, i) => {
      if (model.thinkingLevels.includes(level)) return;
      const where: YamlPath = suite.sweep?.thinkingLevel
        ? ['sweep', 'thinkingLevel', i]
        : spec.settings?.thinkingLevel !== undefined
          ? ['cases', index, 'settings', 'thinkingLevel']
          : suite.settings?.thinkingLevel !== undefined
            ? ['settings', 'thinkingLevel']
            : ['cases', index, 'id'];
      ctx.diagnostics.push(
        ctx.source.diagnostic(where, 'UNSUPPORTED_BY_MODEL', `${model.id} does not take thinkingLevel ${level}`, { hint: `it takes: ${model.thinkingLevels.join(', ')}` }),
      );
    });
  }
}
