import type { FaultKind, Faults } from '../config/simulator-faults.js';
import type { SimulatedTime } from './simulated-time.js';
import type { TaskAnswer } from './answer-tasks.js';
import { uniforms } from './simulate-task.js';

/** One thing written to a stream, at a time after its request arrived. */
export interface StreamWrite {
  atMs: number;
  text: string;
}

/** A stream as the simulator will write it. */
export interface StreamPlan {
  writes: StreamWrite[];
  /** Close the connection after the last write instead of ending the response (a cut stream). */
  isCut: boolean;
  /** Whether the client receives the result whole. */
  isDelivered: boolean;
  /** Which fault shaped the stream, if any. */
  fault?: FaultKind | 'streamError' | 'streamCut' | 'slowStream';
}

/** The share of a stream's time before its first token. */
const FIRST_TOKEN_SHARE = 0.2;
const KEEP_ALIVE_EVERY_MS = 1000;
const SLOW_FACTOR = 10;

/**
 * Plans the server-sent events of one streamed task: a keep-alive at once (and every second until the
 * first token), reasoning deltas in proportion to its thinking tokens, then text deltas, then the final
 * chunk (finishReason, usage, cost) and `[DONE]`; the last at the task's simulated latency. Faults:
 * `mixed` or `streamError` fail it midway with an `errors` event, `truncated` or `streamCut` cut it
 * midway, `slowStream` makes it ten times slower. Pure and deterministic in the task's content.
 */
export function planStream(answer: TaskAnswer, requestFault: FaultKind | undefined, faults: Faults, context: SimulatedTime & { seed: number }): StreamPlan {
  const [uError = 1, uCut = 1, uSlow = 1] = uniforms(context.seed, answer.contentKey, answer.occurrence, 'stream');
  const fault: StreamPlan['fault'] =
    requestFault === 'mixed' || requestFault === 'truncated'
      ? requestFault
      : uError < faults.streamError
        ? 'streamError'
        : uCut < faults.streamCut
          ? 'streamCut'
          : uSlow < faults.slowStream
            ? 'slowStream'
            : undefined;
  const result = answer.entry.results[0]!;
  const totalMs = context.latencyOf(answer.latencyMs) * (fault === 'slowStream' ? SLOW_FACTOR : 1);
  const firstMs = totalMs * FIRST_TOKEN_SHARE;
  const { thinkingTokens, completionTokens } = result.usage;
  const thinkingShare = thinkingTokens + completionTokens > 0 ? thinkingTokens / (thinkingTokens + completionTokens) : 0;
  const base = { taskUUID: answer.taskUUID, taskType: 'textInference' };
  const event = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;

  const writes: StreamWrite[] = [];
  for (let at = 0; at < firstMs || at === 0; at += KEEP_ALIVE_EVERY_MS) writes.push({ atMs: at, text: ': keep-alive\n\n' });
  const reasoningChunks = thinkingTokens > 0 ? Math.min(8, Math.ceil(thinkingTokens / 100)) : 0;
  const reasoningEndMs = firstMs + (totalMs - firstMs) * thinkingShare;
  for (let i = 0; i < reasoningChunks; i++) {
    const atMs = firstMs + ((reasoningEndMs - firstMs) * i) / reasoningChunks;
    writes.push({ atMs, text: event({ ...base, delta: { reasoningContent: `(simulated reasoning, step ${i + 1} of ${reasoningChunks}) ` }, finishReason: null }) });
  }
  const pieces = result.text.match(/[\s\S]{1,8}/g) ?? [];
  const textChunks = pieces.length > 12 ? chunk(result.text, 12) : pieces;
  textChunks.forEach((piece, i) => {
    const atMs = reasoningEndMs + ((totalMs - reasoningEndMs) * i) / textChunks.length;
    writes.push({ atMs, text: event({ ...base, delta: { text: piece }, finishReason: null }) });
  });
  const final = event({
    ...base,
    delta: {},
    finishReason: result.finishReason,
    ...(answer.includeUsage ? { usage: result.usage } : {}),
    ...(answer.includeCost && result.cost !== null ? { cost: result.cost } : {}),
  });

  const midway = Math.ceil(writes.length / 2);
  if (fault === 'mixed' || fault === 'streamError') {
    const error = event({ errors: [{ code: 'timeoutProvider', message: 'The provider timed out while streaming.', taskType: 'textInference', taskUUID: answer.taskUUID }] });
    return { writes: [...writes.slice(0, midway), { atMs: writes[midway - 1]!.atMs, text: error }], isCut: false, isDelivered: false, fault };
  }
  if (fault === 'truncated' || fault === 'streamCut') return { writes: writes.slice(0, midway), isCut: true, isDelivered: false, fault };
  if (result.toolCalls) {
    const tools = result.toolCalls.map((c, i) => ({ id: `call_${answer.taskUUID.slice(0, 8)}_${i}`, name: c.name, input: c.arguments }));
    writes.push({ atMs: totalMs, text: event({ ...base, delta: { tools }, finishReason: null }) });
  }
  writes.push({ atMs: totalMs, text: final }, { atMs: totalMs, text: 'data: [DONE]\n\n' });
  return { writes, isCut: false, isDelivered: true, ...(fault ? { fault } : {}) };
}

/** `text` in `n` pieces of nearly equal length. */
function chunk(text: string, n: number): string[] {
  const size = Math.ceil(text.length / n);
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
}
