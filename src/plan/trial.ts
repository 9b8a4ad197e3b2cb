import type { LoadedCase, WireJsonSchema, WireTool, WireToolChoice } from '../config/loaded-suite.js';
import type { ModelSpec } from '../config/model-table.js';
import type { DeliveryMethod, Message, OutputFormat, ThinkingLevel } from '../core/runware-limits.js';

/** One point of the sweep: what varies between the groups of a suite. */
export interface Setting {
  /** The model id suites use (`openai-gpt-5-5`). */
  model: string;
  /** The id sent to the API (`openai:gpt@5.5`). */
  air: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
}

/** What one trial asks the model, independent of the wire format. */
export interface InferenceRequest {
  /** The AIR. */
  model: string;
  messages: Message[];
  systemPrompt?: string;
  maxTokens: number;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  outputFormat: OutputFormat;
  jsonSchema?: WireJsonSchema;
  /**
   * How the results come back; absent means sync (so a sync request, and its recording, reads as it
   * always did). With `stream`, numberResults N goes out as N tasks of one result each.
   */
  deliveryMethod?: Exclude<DeliveryMethod, 'sync'>;
  /** `inputs.images`: URLs, image UUIDs or data URIs. */
  images?: string[];
  /** Tools the model may call, and whether it must. */
  tools?: WireTool[];
  toolChoice?: WireToolChoice;
}

/** Case × setting × repeat: one request to the model, returning `setting.numberResults` samples. */
export interface Trial {
  /** Stable across runs for the same suite, case, setting and repeat. */
  id: string;
  suite: string;
  caseId: string;
  setting: Setting;
  /** 0-based repeat index, for suites with `repeats` above 1. */
  repeat: number;
  request: InferenceRequest;
  /** The case, for its assertions. */
  case: LoadedCase;
  /** The model's price, to cost a sample when the API sends no cost. */
  pricing: Pick<ModelSpec, 'price' | 'thinkingBilling'>;
  /** Set when evalgate chose the delivery method itself, or questions the one asked for (see chooseDeliveryMethod). */
  deliveryNotice?: string;
}
