import type { GateOn } from './gate-on.js';
import type { AssertionSpec, AssertionSpecOf } from './assertion-spec-schema.js';
import type { ValidateFunction } from './json-schema-compiler.js';
import type { ModelEntry, ModelSpec } from './model-table.js';
import type { JsonPathStep } from './parse-json-path.js';
import type { ScriptCheck } from './script-check.js';
import type { DeliveryMethod, Message, OutputFormat, ThinkingLevel, ToolChoiceType } from '../core/runware-limits.js';

/** The `jsonSchema` field as Runware takes it. */
export interface WireJsonSchema {
  name: string;
  strict: boolean;
  schema: Record<string, unknown>;
}

/** A `jsonSchema` assertion with its schema loaded and compiled at load time. */
export interface ResolvedJsonSchemaAssertion extends AssertionSpecOf<'jsonSchema'> {
  /** Where the schema came from (a path, "inline" or "suite jsonSchema"), for messages. */
  schemaLabel: string;
  validate: ValidateFunction;
}

/** A `toolCall` assertion with the schema its calls' arguments must satisfy compiled at load, if any. */
export interface ResolvedToolCallAssertion extends AssertionSpecOf<'toolCall'> {
  /** Where the arguments schema came from (a path, "inline", or "tool <name>"), for messages. */
  schemaLabel?: string;
  validate?: ValidateFunction;
}

/** A `jsonField` assertion with its path parsed at load. */
export interface ResolvedJsonFieldAssertion extends AssertionSpecOf<'jsonField'> {
  steps: JsonPathStep[];
}

/** A `script` assertion with its function imported at load. */
export interface ResolvedScriptAssertion extends AssertionSpecOf<'script'> {
  /** The module as shown to the user, and the export: `checks/refund.ts#checkRefund`. */
  label: string;
  fn: ScriptCheck;
}

/** The model that grades, resolved from the model table. */
export interface JudgeGrader {
  /** The model id suites use. */
  model: string;
  /** The id sent to the API. */
  air: string;
  thinkingLevel: ThinkingLevel;
  maxTokens: number;
  pricing: Pick<ModelSpec, 'price' | 'thinkingBilling'>;
}

/** A `judge` assertion: templates rendered, defaults applied, the grader looked up. */
export interface ResolvedJudgeAssertion {
  type: 'judge';
  rubric: string;
  reference?: string;
  threshold?: number;
  samples: number;
  grader: JudgeGrader;
  description?: string;
}

/** An assertion after load: templates rendered, regexes checked, schemas compiled. */
export type ResolvedAssertion =
  | Exclude<AssertionSpec, { type: 'jsonSchema' | 'toolCall' | 'jsonField' | 'script' | 'judge' }>
  | ResolvedJudgeAssertion
  | ResolvedScriptAssertion
  | ResolvedJsonSchemaAssertion
  | ResolvedToolCallAssertion
  | ResolvedJsonFieldAssertion;

/** A tool as Runware takes it in a task's `tools`. */
export type WireTool =
  | { type: 'function'; name: string; description?: string; schema: Record<string, unknown> }
  | { type: 'search' }
  | { type: 'codeInterpreter' };

/** `toolChoice` as Runware takes it. */
export interface WireToolChoice {
  type: ToolChoiceType;
  name?: string;
}

/** One case, ready to plan: its conversation rendered and its settings resolved. */
export interface LoadedCase {
  id: string;
  description?: string;
  tags: string[];
  messages: Message[];
  systemPrompt?: string;
  /** The variables its templates were rendered with (the suite's merged with its own), shown in the drill-down and given to `script` assertions; absent when none. */
  vars?: Record<string, string | number | boolean>;
  maxTokens: number;
  /** The thinking levels to run this case at: the suite's sweep, or the one level its settings give. */
  thinkingLevels: ThinkingLevel[];
  /** `inputs.images` as sent: URLs, UUIDs and data URIs (local files read and encoded at load). */
  images?: string[];
  assertions: ResolvedAssertion[];
}

/** One suite file, validated and resolved: what `plan` needs and nothing it must check again. */
export interface LoadedSuite {
  name: string;
  /** The path as shown to the user. */
  file: string;
  description?: string;
  tags: string[];
  /** Minimum pass rate of each of its gated settings. */
  threshold: number;
  /** The settings the gate judges; null: every setting. */
  gateOn?: GateOn | null;
  /** Sample until each setting is decided (its `untilDecided`, else the config's `sequential.untilDecided`). */
  untilDecided?: boolean;
  repeats: number;
  models: ModelEntry[];
  numberResults: number[];
  outputFormat: OutputFormat;
  jsonSchema?: WireJsonSchema;
  /**
   * The delivery method the suite (or evalconfig.yaml) asks for, checked against every model. Absent:
   * chosen per model and level when planning (sync where the model takes it; see chooseDeliveryMethod).
   */
  deliveryMethod?: DeliveryMethod;
  /** Tools the model may call, with function schemas loaded. */
  tools?: WireTool[];
  toolChoice?: WireToolChoice;
  cases: LoadedCase[];
}
