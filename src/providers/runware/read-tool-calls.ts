import type { ToolCall } from '../../core/sample-record.js';
import { asObject } from './runware-error.js';

/**
 * How tool calls come back on Runware's native API is **not documented**: this module is the one place
 * that guesses, so that when Runware documents it, one file changes. It reads the plausible shapes:
 *
 * - Runware style, on the result: `tools: [{id, name, input}]` (also `toolCalls`, and `arguments` or
 *   `args` for `input`), with the input an object or a JSON string;
 * - OpenAI style: `tool_calls: [{id, type: "function", function: {name, arguments: "<json>"}}]`, on the
 *   result or on its `message`.
 *
 * Entries without a name, and tool definitions echoed back, are skipped. Provisional: see docs/tools.md.
 */
export function readToolCalls(item: Record<string, unknown>): ToolCall[] {
  const message = asObject(item.message);
  const lists = [item.tools, item.toolCalls, item.tool_calls, message?.tool_calls];
  const calls: ToolCall[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const call = readToolCall(asObject(entry));
      if (call) calls.push(call);
    }
  }
  return calls;
}

function readToolCall(entry: Record<string, unknown> | undefined): ToolCall | undefined {
  if (!entry) return undefined;
  const fn = asObject(entry.function);
  const name = typeof entry.name === 'string' ? entry.name : typeof fn?.name === 'string' ? fn.name : undefined;
  if (name === undefined || name === '') return undefined;
  const raw = entry.input ?? entry.arguments ?? entry.args ?? fn?.arguments;
  // A tool *definition* echoed back (`{type, name, description, schema}`) is not a call.
  if (raw === undefined && entry.id === undefined && (entry.schema !== undefined || entry.description !== undefined)) return undefined;
  return { id: typeof entry.id === 'string' ? entry.id : null, name, ...readArguments(raw) };
}

/** Arguments as sent: an object as is, a JSON string parsed, nothing as `{}`. */
function readArguments(raw: unknown): Pick<ToolCall, 'arguments' | 'argumentsError'> {
  if (raw === undefined || raw === null || raw === '') return { arguments: {} };
  if (typeof raw !== 'string') return { arguments: raw };
  try {
    return { arguments: JSON.parse(raw) as unknown };
  } catch (error) {
    return { arguments: null, argumentsError: `not JSON: ${(error as Error).message.slice(0, 120)}` };
  }
}

/**
 * Tool calls arriving in pieces on a stream: whole calls in `delta.tools` (or `delta.toolCalls`), or
 * OpenAI-style fragments in `delta.tool_calls` (`{index, id?, function: {name?, arguments?}}`, the
 * arguments a JSON string cut anywhere), put together by index. As provisional as readToolCalls.
 */
export class ToolCallStream {
  private readonly whole: ToolCall[] = [];
  private readonly fragments = new Map<number, { id: string | null; name: string; arguments: string }>();

  /** Takes what one chunk's delta (or the final chunk itself) carries. */
  add(part: Record<string, unknown>): void {
    for (const list of [part.tools, part.toolCalls]) {
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        const call = readToolCall(asObject(entry));
        if (call) this.whole.push(call);
      }
    }
    if (!Array.isArray(part.tool_calls)) return;
    part.tool_calls.forEach((raw, position) => {
      const entry = asObject(raw);
      if (!entry) return;
      const index = typeof entry.index === 'number' ? entry.index : position;
      const fn = asObject(entry.function);
      const fragment = this.fragments.get(index) ?? { id: null, name: '', arguments: '' };
      if (typeof entry.id === 'string') fragment.id = entry.id;
      if (typeof fn?.name === 'string') fragment.name += fn.name;
      if (typeof fn?.arguments === 'string') fragment.arguments += fn.arguments;
      this.fragments.set(index, fragment);
    });
  }

  /** The calls, whole ones first, then the fragments put together in index order. */
  calls(): ToolCall[] {
    const assembled = [...this.fragments.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, f]) => f.name !== '')
      .map(([, f]): ToolCall => ({ id: f.id, name: f.name, ...readArguments(f.arguments) }));
    return [...this.whole, ...assembled];
  }
}
