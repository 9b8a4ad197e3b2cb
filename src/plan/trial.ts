import type { LoadedCase, WireJsonSchema, WireTool, WireToolChoice } from '../config/loaded-suite.js';
import type { ModelSpec } from '../config/model-table.js';
import type { Setting } from '../core/setting.js';
import type { DeliveryMethod, Message, OutputFormat, ThinkingLevel } from '../core/runware-limits.js';

/** One point of a suite's sweep: the model (with its AIR), thinking level and numberResults of a trial. */
export interface SweepPoint {
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
  /** Its point of the sweep; with `suite`, the trial's setting (`settingOfTrial`). */
  setting: SweepPoint;
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

/** The setting (suite × model × thinkingLevel × numberResults) a trial belongs to. */
export function settingOfTrial(trial: Pick<Trial, 'suite' | 'setting'>): Setting {
  return { suite: trial.suite, model: trial.setting.model, thinkingLevel: trial.setting.thinkingLevel, numberResults: trial.setting.numberResults };
}
