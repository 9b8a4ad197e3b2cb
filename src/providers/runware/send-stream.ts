import { randomUUID } from 'node:crypto';
import type { InferenceRequest } from '../../plan/trial.js';
import type { AttemptOutcome, ProviderFailure, ProviderResult, SendOptions } from '../provider.js';
import type { ProviderClock } from '../provider-clock.js';
import { parseRunwareResponse } from './parse-runware-response.js';
import { readCapped, tooLarge, type RunwareHttp } from './runware-http.js';
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
 * normal JSON error body; one during it as an `errors` event. The attempt's latency is the slowest
 * stream's.
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

  const contentType = String(opened.headers['content-type'] ?? '');
  if (opened.status >= 400 || !contentType.includes('text/event-stream')) {
    // A failure before the stream started (or an answer that is no stream at all): a normal JSON body.
    let body: string;
    try {
      const read = await readCapped(opened.body, http.maxResultBytes);
      if (typeof read !== 'string') return { failure: read, latencyMs: elapsed() };
      body = read;
    } catch (error) {
      return { failure: http.classifyTransportError(error, options, opened.signal), latencyMs: elapsed() };
    } finally {
      opened.done();
    }
    const parsed = parseRunwareResponse({ status: opened.status, headers: opened.headers, body }, taskUUID, 1, { nowMs: Date.now(), redact: (t) => http.redact(t) });
    const result = parsed.results[0];
    return result ? { result, latencyMs: elapsed() } : { failure: parsed.failure!, latencyMs: elapsed() };
  }

  const parser = new SseParser();
  const assembly = new StreamAssembly(taskUUID, (t) => http.redact(t));
  let bytes = 0;
  try {
    for await (const chunk of opened.body) {
      opened.touch();
      bytes += (chunk as Buffer).length;
      if (bytes > http.maxResultBytes) return { failure: tooLarge(http.maxResultBytes), latencyMs: elapsed() };
      for (const payload of parser.push(chunk as Buffer)) assembly.apply(payload, elapsed());
      if (assembly.isOver) break;
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
