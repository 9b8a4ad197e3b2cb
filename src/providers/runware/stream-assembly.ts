import type { FinishReason } from '../../core/runware-limits.js';
import type { Usage } from '../../core/sample-record.js';
import type { ProviderFailure, ProviderResult } from '../provider.js';
import { classifyFailure } from './classify-failure.js';
import { readCost, readFinishReason, readUsage } from './read-result-item.js';
import { ToolCallStream } from './read-tool-calls.js';
import { asObject, collectErrors, describeError, excerpt } from './runware-error.js';

const MAX_MESSAGE_CHARS = 500;

/**
 * One streamed result being put together from its events: `delta.reasoningContent` and `delta.text`
 * appended as they come, finishReason, usage and cost from whichever chunk carries them (as Runware's
 * TS SDK reads a stream, `src/stream.ts`), and the time of the first token and of the first visible
 * text. A `data:` line holding `{"errors": […]}` fails it mid-stream; `[DONE]` ends it. A stream that
 * ends (`[DONE]`, or the end of the body after content) without a finishReason is a completed result
 * with no finish reason: asking again would pay again for an answer already received.
 */
export class StreamAssembly {
  private text = '';
  private reasoning = '';
  private firstTokenMs: number | null = null;
  private firstTextMs: number | null = null;
  private finishReason: FinishReason | null = null;
  private usage: Usage | null = null;
  private costUsd: number | null = null;
  /** Events of this task that were read, whatever they held. */
  private events = 0;
  private failure: ProviderFailure | undefined;
  private isDone = false;
  private readonly tools = new ToolCallStream();

  constructor(
    private readonly taskUUID: string,
    private readonly redact: (text: string) => string,
  ) {}

  /** True once `[DONE]` or an error arrived: nothing after it matters. */
  get isOver(): boolean {
    return this.isDone || this.failure !== undefined;
  }

  /** Applies one event's payload, received `atMs` after the request was sent. */
  apply(payload: string, atMs: number): void {
    if (this.isOver) return;
    if (payload.trim() === '[DONE]') {
      this.isDone = true;
      return;
    }
    let event: Record<string, unknown> | undefined;
    try {
      event = asObject(JSON.parse(payload));
    } catch {
      event = undefined;
    }
    if (!event) {
      this.failure = { code: 'MALFORMED_RESPONSE', message: this.message(`a stream event is not a JSON object: ${excerpt(payload)}`), isRetryable: true };
      return;
    }
    const errors = collectErrors(event).filter((e) => e.taskUUID === undefined || e.taskUUID === this.taskUUID);
    if (errors.length > 0 || ((event.errors !== undefined || event.error !== undefined) && event.delta === undefined)) {
      const error = errors[0];
      this.failure = classifyFailure({
        status: 200,
        ...(error?.code !== undefined ? { providerCode: error.code } : {}),
        message: this.message(`the stream failed midway: ${describeError(error) ?? 'an error event'}`),
      });
      return;
    }
    if (event.taskUUID !== undefined && event.taskUUID !== this.taskUUID) return;
    this.events++;
    const delta = asObject(event.delta);
    if (typeof delta?.reasoningContent === 'string' && delta.reasoningContent !== '') {
      this.reasoning += delta.reasoningContent;
      this.firstTokenMs ??= atMs;
    }
    if (typeof delta?.text === 'string' && delta.text !== '') {
      this.text += delta.text;
      this.firstTokenMs ??= atMs;
      this.firstTextMs ??= atMs;
    }
    if (delta) this.tools.add(delta);
    if (event.finishReason !== undefined && event.finishReason !== null) {
      this.tools.add(event);
      this.finishReason = readFinishReason(event.finishReason);
    }
    this.usage = readUsage(event.usage) ?? this.usage;
    this.costUsd = readCost(event.cost) ?? this.costUsd;
  }

  /** The result, or why there is none, when the stream ended `endMs` after the request was sent. */
  outcome(endMs: number): { result: ProviderResult } | { failure: ProviderFailure } {
    if (this.failure) return { failure: this.failure };
    if (!this.isDone && this.events === 0) {
      return { failure: { code: 'MALFORMED_RESPONSE', message: 'the stream ended before any event of this task arrived', isRetryable: true } };
    }
    const toolCalls = this.tools.calls();
    return {
      result: {
        text: this.text,
        finishReason: this.finishReason,
        usage: this.usage,
        costUsd: this.costUsd,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        ...(this.reasoning !== '' ? { reasoning: this.reasoning } : {}),
        stream: { timeToFirstTokenMs: this.firstTokenMs, timeToFirstTextMs: this.firstTextMs, latencyMs: endMs },
      },
    };
  }

  private message(text: string): string {
    return this.redact(text).slice(0, MAX_MESSAGE_CHARS);
  }
}
