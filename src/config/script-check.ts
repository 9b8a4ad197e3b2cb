import type { FinishReason } from '../core/runware-limits.js';

/**
 * What a `script` assertion's function receives besides the text. Exported by the package:
 * `import type { ScriptCheck } from 'evalgate'`.
 */
export interface ScriptContext {
  suite: string;
  /** The case id. */
  caseId: string;
  /** The case's variables after merging with the suite's (a data file's columns, `expected` included). */
  vars: Readonly<Record<string, string | number | boolean>>;
  /** Why the model stopped; null when the API did not say (a stream that ended without it). */
  finishReason: FinishReason | null;
  /** Token counts as the API reported them; null when it reported none. */
  usage: { promptTokens: number; completionTokens: number; thinkingTokens: number; totalTokens: number } | null;
  /** The tools the model asked to call (empty when none). */
  toolCalls: readonly { id: string | null; name: string; arguments: unknown }[];
  /** The sample's cost, USD, when known. */
  costUsd: number | null;
}

/** A script's verdict: a boolean, or `{pass, score?, reason?}`. */
export type ScriptVerdict = boolean | { pass: boolean; score?: number; reason?: string };

/**
 * The function a `script` assertion calls: `(output, context) => boolean | {pass, score?, reason?}`,
 * or a Promise of either. `output` is the sample's visible text (never its reasoning).
 */
export type ScriptCheck = (output: string, context: ScriptContext) => ScriptVerdict | Promise<ScriptVerdict>;
