import type { AssertionType } from '../config/assertion-spec-schema.js';
import type { FinishReason } from '../core/runware-limits.js';
import type { AssertionOutcome, SampleJudging, ToolCall, Usage } from '../core/sample-record.js';

/** The text parsed as JSON, or why it is not JSON. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

/** What an assertion may look at: one completed sample. */
export interface SampleView {
  text: string;
  /** The tools the model asked to call; empty when none. */
  toolCalls: readonly ToolCall[];
  /** Null when the API did not say (a stream that ended without a finishReason chunk). */
  finishReason: FinishReason | null;
  usage: Usage | null;
  costUsd: number | null;
  latencyMs: number;
  /** The text parsed as JSON; parsed once, however many assertions ask. */
  json(): ParsedJson;
}

/**
 * A compiled check: pure, and never throws for any model output. Most answer at once; one that may be
 * slow (a regex matched in a worker thread) answers with a promise, so that the run is never held up.
 */
export interface Assertion {
  readonly type: AssertionType;
  check(sample: SampleView): AssertionOutcome | Promise<AssertionOutcome>;
}

/**
 * A check that waits on something outside the process's pure core: a user's script, a judge model.
 * It resolves to an outcome, or rejects with a {@link CheckError}, which errors the sample.
 */
export interface DeferredAssertion {
  readonly type: AssertionType;
  readonly isDeferred: true;
  check(sample: SampleView): Promise<DeferredOutcome>;
}

/** A deferred check's outcome, with the judging behind it when a judge gave it. */
export interface DeferredOutcome extends AssertionOutcome {
  judging?: SampleJudging;
}

/** Any compiled check. */
export type CompiledAssertion = Assertion | DeferredAssertion;

/** True for checks that must be awaited. */
export function isDeferred(assertion: CompiledAssertion): assertion is DeferredAssertion {
  return 'isDeferred' in assertion;
}

/**
 * The check could not be carried out (a script threw or took too long; a judge's verdict was not
 * one): the sample is errored with this code and message, neither passed nor failed.
 */
export class CheckError extends Error {
  constructor(
    readonly code: 'SCRIPT_ERROR' | 'JUDGE_ERROR',
    message: string,
    /** The judge calls made before the failure: paid for, so recorded. */
    readonly judging?: SampleJudging,
  ) {
    super(message);
    this.name = 'CheckError';
  }
}

/** Builds a {@link SampleView} whose JSON is parsed lazily, once. */
export function makeSampleView(fields: Omit<SampleView, 'json'>): SampleView {
  let parsed: ParsedJson | undefined;
  return {
    ...fields,
    json() {
      if (!parsed) {
        try {
          parsed = { ok: true, value: JSON.parse(fields.text) };
        } catch (error) {
          parsed = { ok: false, error: sanitizeDetail((error as Error).message) };
        }
      }
      return parsed;
    },
  };
}

/** A short, quoted, escaped excerpt of model output for messages: `"{\"total\": 4…"` */
export function quoteText(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/**
 * A parser's or validator's own message, made safe to put in an outcome: V8 and ajv quote raw slices of
 * the model output in theirs (an unexpected token, a property name), so it is cut short and its
 * control characters are escaped, as {@link quoteText} does for the text itself.
 */
export function sanitizeDetail(detail: string, max = 200): string {
  const cut = detail.length > max ? `${detail.slice(0, max)}…` : detail;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
