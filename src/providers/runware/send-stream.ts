import { randomUUID } from 'node:crypto';
import type { InferenceRequest } from '../../plan/trial.js';
import type { AttemptOutcome, ProviderFailure, ProviderResult, SendOptions } from '../provider.js';
import type { ProviderClock } from '../provider-clock.js';
import { parseRunwareResponse } from './parse-runware-response.js';
import { tooLarge, type RunwareHttp } from './runware-http.js';
import { toRunwareTask } from './runware-task.js';
import { SseParser } from './sse-parser.js';
import { StreamAssembly } from './stream-assembly.js';

/** What a stream attempt needs from the provider around it. */
export interface StreamContext {
  http: Pick<RunwareHttp, 'openStream' | 'classifyTransportError' | 'redact' | 'maxResultBytes'>;
  clock: ProviderClock;
}

/**
 * One attempt at a streamed request. Runware streams one result per task, so numberResults N goes
 * out as N tasks of one result each, in N concurrent requests; each result keeps its own time to
 * first token, time to first text and latency. A failure before the stream starts comes back as a
 * normal JSON error body (told apart from a stream by the body itself, not its content type); one
 * during it as an `errors` event. The attempt's latency is the slowest stream's.
 */
export async function sendStream(request: InferenceRequest, options: SendOptions, ctx: StreamContext): Promise<AttemptOutcome> {
  const single: InferenceRequest = { ...request, numberResults: 1 };
  const streams = await Promise.all(Array.from({ length: request.numberResults }, () => streamOne(single, options, ctx)));
  const results: ProviderResult[] = [];
  let failure: ProviderFailure | undefined;
  for (const stream of streams) {
    if ('result' in stream) results.push(stream.result);
    else failure ??= stream.failure;
  }
  return { results, ...(failure ? { failure } : {}), latencyMs: Math.max(...streams.map((s) => s.latencyMs)) };
}

type StreamOutcome = ({ result: ProviderResult } | { failure: ProviderFailure }) & { latencyMs: number };

async function streamOne(request: InferenceRequest, options: SendOptions, ctx: StreamContext): Promise<StreamOutcome> {
  const { http, clock } = ctx;
  const taskUUID = randomUUID();
  const started = clock.now();
  const elapsed = () => clock.now() - started;
  const opened = await http.openStream([toRunwareTask(request, taskUUID)], options);
  if (!opened.ok) return { failure: opened.failure, latencyMs: elapsed() };

  const parser = new SseParser();
  const assembly = new StreamAssembly(taskUUID, (t) => http.redact(t));
  const chunks = opened.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  // Every byte read counts against the size limit, JSON or stream: past it the answer is an errored sample.
  let bytes = 0;
  const read = async (): Promise<IteratorResult<Buffer> | 'too large'> => {
    const next = await chunks.next();
    if (next.done) return next;
    opened.touch();
    bytes += next.value.length;
    return bytes > http.maxResultBytes ? 'too large' : next;
  };
  const overLimit = () => ({ failure: tooLarge(http.maxResultBytes), latencyMs: elapsed() });
  try {
    // Runware's SDK reads the body as a stream without looking at its content type, so the body
    // decides: one that opens with `{` or `[` is a JSON answer (a failure before the stream started,
    // or no stream at all), anything else is read as server-sent events.
    let kind: 'json' | 'sse' | undefined = opened.status >= 400 ? 'json' : undefined;
    while (kind === undefined) {
      const next = await read();
      if (next === 'too large') return overLimit();
      if (next.done) break;
      head.push(next.value);
      kind = sniffBody(Buffer.concat(head));
    }
    if (kind === 'json') {
      const rest: Buffer[] = [...head];
      for (let next = await read(); next === 'too large' || !next.done; next = await read()) {
        if (next === 'too large') return overLimit();
        rest.push(next.value);
      }
      const body = Buffer.concat(rest).toString('utf8');
      const parsed = parseRunwareResponse({ status: opened.status, headers: opened.headers, body }, taskUUID, 1, { nowMs: Date.now(), redact: (t) => http.redact(t) });
      const result = parsed.results[0];
      return result ? { result, latencyMs: elapsed() } : { failure: parsed.failure!, latencyMs: elapsed() };
    }
    for (const chunk of head) for (const payload of parser.push(chunk)) assembly.apply(payload, elapsed());
    while (!assembly.isOver) {
      const next = await read();
      if (next === 'too large') return overLimit();
      if (next.done) break;
      for (const payload of parser.push(next.value)) assembly.apply(payload, elapsed());
    }
    for (const payload of parser.end()) assembly.apply(payload, elapsed());
  } catch (error) {
    const failure = http.classifyTransportError(error, options, opened.signal);
    return { failure: { ...failure, message: `${failure.message} (mid-stream)` }, latencyMs: elapsed() };
  } finally {
    // Stop reading what is left (after [DONE], or after an error event): the connection is not reused.
    if (!opened.body.destroyed) opened.body.destroy();
    opened.done();
  }
  const latencyMs = elapsed();
  return { ...assembly.outcome(latencyMs), latencyMs };
}

/** `json` when the body's first non-blank character opens a JSON value, `sse` for anything else, undefined while blank. */
function sniffBody(bytes: Buffer): 'json' | 'sse' | undefined {
  const first = bytes.toString('utf8').trimStart()[0];
  if (first === undefined) return undefined;
  return first === '{' || first === '[' ? 'json' : 'sse';
}
