import type { AssertionType } from './assertion-type.js';
import { RUNWARE_LIMITS, type DeliveryMethod, type FinishReason, type ThinkingLevel } from './runware-limits.js';

/**
 * Why a sample has no answer. A closed set: reports group by it and docs/errors.md explains each.
 * The provider's own code, where there was one, is kept beside it in `providerCode`.
 */
export const SAMPLE_ERROR_CODES = [
  'INVALID_API_KEY',
  'INSUFFICIENT_CREDITS',
  'FORBIDDEN',
  'INVALID_REQUEST',
  'CONTENT_POLICY',
  'NOT_FOUND',
  'RATE_LIMITED',
  'PROVIDER_TIMEOUT',
  'PROVIDER_ERROR',
  'SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
  'QUEUE_TIMEOUT',
  'REQUEST_TIMEOUT',
  'NETWORK_ERROR',
  'MALFORMED_RESPONSE',
  'RESPONSE_TOO_LARGE',
  'MISSING_RESULT',
  'ASYNC_TIMEOUT',
  'INTERRUPTED',
  'SCRIPT_ERROR',
  'JUDGE_ERROR',
  'UNKNOWN_ERROR',
] as const;
export type SampleErrorCode = (typeof SAMPLE_ERROR_CODES)[number];

/** Failures that every other request would meet alike (the key or the account refused): after the first, a run sends nothing more. */
export const REFUSAL_CODES: ReadonlySet<SampleErrorCode> = new Set(['INVALID_API_KEY', 'INSUFFICIENT_CREDITS', 'FORBIDDEN']);

/** Token counts of one sample, as the API reports them. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  thinkingTokens: number;
  totalTokens: number;
}

/**
 * A tool the model asked to call, as read from its result (see read-tool-calls.ts: how Runware returns
 * tool calls on its native API is not documented, so this shape is evalgate's own).
 */
export interface ToolCall {
  /** The provider's id for the call, when it gave one. */
  id: string | null;
  name: string;
  /** The arguments, parsed from JSON; null when they did not parse (see `argumentsError`). */
  arguments: unknown;
  /** Why the arguments did not parse as JSON, when they did not. */
  argumentsError?: string;
}

/** One assertion's verdict on one sample. */
export interface AssertionOutcome {
  type: AssertionType;
  pass: boolean;
  /** Says what was expected and what was found. */
  message: string;
  /** Set when the check could not be carried out (a regex past its time bound); the outcome counts as failed. */
  errored?: true;
}

/** One verdict a judge gave on a sample. */
export interface JudgeVerdictRecord {
  pass: boolean;
  score: number;
  reason: string;
  /** Answered from the verdict cache: not paid for again. */
  cached: boolean;
  /** What this call cost, USD (0 when cached; null when the model has no price and the API sent none). */
  costUsd: number | null;
}

/** What one judge assertion decided on a sample, and from which verdicts. */
export interface JudgeAssertionRecord {
  model: string;
  thinkingLevel: ThinkingLevel;
  /** The hash of the prompt template the verdicts were asked with (`evalgate validate --show-judge-prompt`). */
  promptVersion: string;
  /** A hash of the rubric (with reference), to match a calibration to it. */
  rubricHash: string;
  pass: boolean;
  /** Share of verdicts on the majority's side: 1 when all agree. */
  agreement: number;
  /** True when the verdicts split: the sample is listed as "judge unsure". */
  isUnsure: boolean;
  verdicts: JudgeVerdictRecord[];
}

/** The judging of one sample: every judge call made for it, and what they cost apart from the answer. */
export interface SampleJudging {
  /** Judge calls answered for this sample (cache hits included). */
  calls: number;
  cachedCalls: number;
  /** What the calls not answered from the cache cost, USD. */
  costUsd: number;
  tokens: { prompt: number; completion: number; thinking: number };
  isUnsure: boolean;
  judges: JudgeAssertionRecord[];
}

/** Why a sample errored. */
export interface SampleError {
  code: SampleErrorCode;
  message: string;
  /** The provider's own code (`timeoutProvider`), when it sent one. */
  providerCode?: string;
  httpStatus?: number;
}

/** Where a sample's cost comes from: the API's `cost` field, or our price table when the API sent none or one not to be trusted. */
export type CostSource = 'api' | 'priceTable';

/** Version of a results.jsonl line's shape; bumped on any incompatible change (schemas/result-line.schema.json). */
export const RESULT_LINE_SCHEMA_VERSION = 1;

/**
 * One line of results.jsonl: one sample, complete. The journal of a run; summaries and reports are
 * rebuilt from these lines alone. Its JSON Schema is schemas/result-line.schema.json.
 */
/** What a trial asked: its rendered conversation, system prompt and the case's variables. */
export interface TrialPrompt {
  systemPrompt: string | null;
  messages: { role: string; content: string }[];
  /** The case's variables (the suite's merged with its own); null when it has none. */
  vars: Record<string, string | number | boolean> | null;
}

export interface SampleRecord {
  /** The line's shape; lines written before it was recorded have none, and are read as version 1 (see readJournal). */
  schemaVersion: typeof RESULT_LINE_SCHEMA_VERSION;
  suite: string;
  case: string;
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  repeat: number;
  trialId: string;
  /** 0-based position among the trial's results. */
  sampleIndex: number;
  status: 'completed' | 'errored';
  /** Whether every assertion passed; null when the sample errored. */
  pass: boolean | null;
  text: string | null;
  /** The tools the model asked to call (empty when none); null when the sample errored. */
  toolCalls: ToolCall[] | null;
  finishReason: FinishReason | null;
  usage: Usage | null;
  costUsd: number | null;
  costSource: CostSource | null;
  /** The request's own time, from sending to the last byte of its final attempt; not queueing, not backoff. */
  latencyMs: number | null;
  /** How the results came back: sync, async (polled or by webhook) or stream. */
  deliveryMethod: DeliveryMethod;
  /** Streamed samples: from sending the request to its first token (reasoning or text); null otherwise. */
  timeToFirstTokenMs: number | null;
  /** Streamed samples: from sending the request to its first visible text, after reasoning; null otherwise or without text. */
  timeToFirstTextMs: number | null;
  /** The trial's wait for a free slot in the run's queue, apart from latency. */
  queueMs: number;
  /** The trial's waits between attempts, apart from latency. */
  backoffMs: number;
  /** Requests made for the trial, the first included. */
  attempts: number;
  assertions: AssertionOutcome[];
  error: SampleError | null;
  /**
   * Set when the API's cost was not taken as it is (negative, not a finite number, or absurd for the
   * usage; see trustReportedCost): says what it was and what `costUsd` counts instead. Absent otherwise.
   */
  costFlag?: string;
  /** Set when a judge graded the sample: its verdicts and cost, apart from the candidate's `costUsd`. */
  judge?: SampleJudging;
  /**
   * What the trial asked, once per trial: on its first sample (sampleIndex 0), null on the others.
   * Absent from lines written before evalgate stored it.
   */
  prompt?: TrialPrompt | null;
}

/** A sample's place among its case's samples at one setting: by repeat, then index. */
export function sampleOrdinal(sample: Pick<SampleRecord, 'repeat' | 'sampleIndex'>): number {
  return sample.repeat * RUNWARE_LIMITS.numberResults.max + sample.sampleIndex;
}
