import type { Diagnostic } from './diagnostic.js';
import type { LoadedJsonSchema } from './json-schema-source.js';
import type { WireTool, WireToolChoice } from './loaded-suite.js';
import type { ModelEntry } from './model-table.js';
import { didYouMean } from './suggest.js';
import type { SuiteSpec } from './suite-schema.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

/** A suite's tools after load: as sent, and by name with their compiled argument schemas (for toolCall assertions). */
export interface ResolvedTools {
  tools?: WireTool[];
  toolChoice?: WireToolChoice;
  /** Every tool by the name a call carries (function name, or the built-in's type), with its schema if it has one. */
  byName: Map<string, { schema?: LoadedJsonSchema }>;
  /** True when the suite has a `tools` key, even one that did not load (so assertions do not report "no tools" again). */
  isWritten: boolean;
}

/**
 * Checks a suite's `tools` and `toolChoice`: function names unique, argument schemas that compile, a
 * toolChoice that names a declared function (and only with `type: tool`), and tool kinds every model
 * of the suite takes. Names and lengths are checked by the schema before this.
 */
export async function resolveTools(
  spec: SuiteSpec,
  source: YamlSource,
  models: readonly { entry: ModelEntry; at: YamlPath }[],
  loadSchema: (ref: string | Record<string, unknown>, at: YamlPath) => Promise<LoadedJsonSchema | undefined>,
  diagnostics: Diagnostic[],
): Promise<ResolvedTools> {
  const byName = new Map<string, { schema?: LoadedJsonSchema }>();
  const isWritten = typeof source.value === 'object' && source.value !== null && 'tools' in source.value;
  const wire: WireTool[] = [];
  for (const [i, tool] of (spec.tools ?? []).entries()) {
    const name = tool.type === 'function' ? tool.name : tool.type;
    if (byName.has(name)) {
      diagnostics.push(source.diagnostic(['tools', i, tool.type === 'function' ? 'name' : 'type'], 'DUPLICATE_TOOL', `tool "${name}" is declared twice`, { hint: 'each tool may appear once' }));
      continue;
    }
    for (const model of models) {
      if (!model.entry.toolTypes.includes(tool.type)) {
        diagnostics.push(
          source.diagnostic(['tools', i, 'type'], 'UNSUPPORTED_BY_MODEL', `${model.entry.id} does not take ${tool.type} tools`, { hint: `it takes: ${model.entry.toolTypes.join(', ') || 'none'}` }),
        );
      }
    }
    if (tool.type !== 'function') {
      byName.set(name, {});
      wire.push({ type: tool.type });
      continue;
    }
    const schema = tool.schema !== undefined ? await loadSchema(tool.schema, ['tools', i, 'schema']) : undefined;
    byName.set(name, schema ? { schema } : {});
    wire.push({
      type: 'function',
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      schema: schema?.wire.schema ?? { type: 'object', properties: {} },
    });
  }

  const choice = spec.toolChoice;
  let toolChoice: WireToolChoice | undefined;
  if (choice) {
    const functions = [...byName.keys()].filter((n) => (spec.tools ?? []).some((t) => t.type === 'function' && t.name === n));
    if (!spec.tools) {
      diagnostics.push(source.diagnostic(['toolChoice'], 'INVALID_VALUE', 'toolChoice is set, but the suite has no tools', { atKey: true, hint: 'add tools:, or remove toolChoice' }));
    } else if (choice.type === 'tool' && choice.name === undefined) {
      diagnostics.push(source.diagnostic(['toolChoice'], 'MISSING_KEY', 'toolChoice type tool needs the name of the tool to call', { hint: `add name: one of ${functions.join(', ') || '(no function tools)'}` }));
    } else if (choice.type !== 'tool' && choice.name !== undefined) {
      diagnostics.push(source.diagnostic(['toolChoice', 'name'], 'INVALID_VALUE', `toolChoice name is only used with type: tool, not ${choice.type}`, { atKey: true, hint: 'set type: tool, or remove name' }));
    } else if (choice.name !== undefined && !functions.includes(choice.name)) {
      diagnostics.push(
        source.diagnostic(['toolChoice', 'name'], 'UNKNOWN_TOOL', `toolChoice names "${choice.name}", which is not one of the suite's function tools`, {
          hint: didYouMean(choice.name, functions) ?? `declared: ${functions.join(', ') || '(no function tools)'}`,
        }),
      );
    } else {
      toolChoice = { type: choice.type, ...(choice.name !== undefined ? { name: choice.name } : {}) };
    }
  }
  return { ...(wire.length > 0 ? { tools: wire } : {}), ...(toolChoice ? { toolChoice } : {}), byName, isWritten };
}
