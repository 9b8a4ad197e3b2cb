import type { FinishReason } from '../core/runware-limits.js';
import type { InferenceRequest } from '../plan/trial.js';
import type { SampleErrorCode, ToolCall, Usage } from '../core/sample-record.js';

/** When a streamed result's parts arrived, in ms from sending its request. */
export interface StreamTiming {
  /** The first token of any kind: reasoning or visible text. */
  timeToFirstTokenMs: number | null;
  /** The first token of visible text, after any reasoning. */
  timeToFirstTextMs: number | null;
  /** The end of its stream: this result's own latency (a streamed trial's N results each have one). */
  latencyMs: number;
}

/** One result the provider returned for a task. */
export interface ProviderResult {
  text: string;
  /** Null when the API never said why the model stopped (a stream that ended without a finishReason chunk). */
  finishReason: FinishReason | null;
  usage: Usage | null;
  /** The API's own cost figure, USD; null when it sent none. */
  costUsd: number | null;
  /** The tools the model asked to call (see read-tool-calls.ts); absent when none. */
  toolCalls?: ToolCall[];
  /** The reasoning the model streamed before its text, where the API sent it. */
  reasoning?: string;
  /** Set for a streamed result. */
  stream?: StreamTiming;
}

/** A classified failure of one attempt. */
export interface ProviderFailure {
  code: SampleErrorCode;
  message: string;
  /** Whether trying again may succeed (429, 5xx, timeouts, network); never for 400/401/402/403. */
  isRetryable: boolean;
  /** How long the server asked us to wait (`Retry-After`), if it did. */
  retryAfterMs?: number;
  httpStatus?: number;
  providerCode?: string;
}

/** What one attempt at one task produced: the results that came back, and the failure if any is missing. */
export interface AttemptOutcome {
  results: ProviderResult[];
  /** Set when fewer results than asked came back (or none). */
  failure?: ProviderFailure;
  /** From sending the request to its last byte. */
  latencyMs: number;
}

export interface SendOptions {
  /** Aborts the attempt (a timeout or an interrupted run). */
  signal: AbortSignal;
  /**
   * Longest time the attempt may take; for a stream, the longest it may go without receiving
   * anything (the timer restarts on every chunk, keep-alives included).
   */
  timeoutMs: number;
  /**
   * Longest a stream may take in all, however steadily it keeps arriving: what is left of the
   * trial's deadline (`retry.trialDeadlineMs`). Unset: a stream has no total cap.
   */
  streamDeadlineMs?: number;
  /**
   * For `deliveryMethod: async`. `onSubmit` is called with the taskUUID of a task just before its
   * submission is sent (the run journals it, so a killed run can ask for the task instead of paying
   * for it again). With `resumeTaskUUID`, nothing is submitted: the attempt polls getResponse for that
   * task, sent by an earlier run; a task Runware no longer knows comes back `NOT_FOUND`.
   */
  asyncTask?: { onSubmit?: (taskUUID: string) => void; resumeTaskUUID?: string };
}

/**
 * Where requests go. The runner does not know which implementation it talks to. `send` makes exactly
 * one attempt and never throws for what the API does: failures come back classified in the outcome.
 */
export interface Provider {
  readonly name: string;
  send(request: InferenceRequest, options: SendOptions): Promise<AttemptOutcome>;
  close(): Promise<void>;
}
