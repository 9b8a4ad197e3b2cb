import { randomUUID } from 'node:crypto';
import type { PollingPolicy } from '../../config/config-schema.js';
import type { InferenceRequest } from '../../plan/trial.js';
import type { AttemptOutcome, ProviderFailure, ProviderResult, SendOptions } from '../provider.js';
import type { ProviderClock } from '../provider-clock.js';
import { parseAsyncAnswer, type AsyncAnswer } from './parse-async-answer.js';
import type { HttpExchange, RunwareHttp } from './runware-http.js';
import { toRunwareTask, type RunwareTextTask } from './runware-task.js';
import type { WebhookInbox } from './webhook-inbox.js';

/** Where async results are POSTed, and how long to wait for them there before polling. */
export interface WebhookDelivery {
  /** The webhookURL sent with every async task (with the run's secret token in it). */
  url: string;
  inbox: WebhookInbox;
  /** After this long since sending a task, its missing results are polled for. */
  fallbackAfterMs: number;
}

/** What an async attempt needs from the provider around it. */
export interface AsyncContext {
  http: Pick<RunwareHttp, 'postJson' | 'redact'>;
  /** Sends the submission (with others, when batching); polls go through `http`. */
  submit: (task: RunwareTextTask, options: SendOptions) => Promise<HttpExchange>;
  clock: ProviderClock;
  polling: PollingPolicy;
  /** Set with `--webhook-listen`: results come to the webhook first, polling only for what is late. */
  webhook?: WebhookDelivery;
}

/**
 * One attempt at an async task: submits it with `deliveryMethod: "async"`, then polls `getResponse`
 * (first after `polling.firstDelayMs`, each wait `factor` times the last, at most `maxDelayMs`) until
 * every result is in or has errored, or `polling.deadlineMs` has passed since submitting. A poll
 * that fails on the way (a 503, a reset) is tried again at the next interval; one that cannot succeed
 * (401, an unknown task) ends the attempt. Results that never arrive are `ASYNC_TIMEOUT`, not
 * retried: the task may still be running, and billed. Latency is from submitting to the last result.
 *
 * `options.asyncTask.onSubmit` hears the taskUUID before the submission goes out; with
 * `options.asyncTask.resumeTaskUUID` nothing is submitted and that task is polled at once (see provider.ts).
 *
 * With a webhook, the task carries its URL and the results POSTed there are taken as they come;
 * polling starts for results still missing `webhook.fallbackAfterMs` after submitting, or at once
 * when a result came twice (a retried delivery and two identical results look the same).
 */
export async function sendAsync(request: InferenceRequest, options: SendOptions, ctx: AsyncContext): Promise<AttemptOutcome> {
  const resumed = options.asyncTask?.resumeTaskUUID;
  // Results of a resumed task may have gone to the earlier run's webhook: polling alone asks for them.
  if (resumed !== undefined) return awaitTask(request, resumed, options, { ...ctx, webhook: undefined }, { isResumed: true });
  const taskUUID = randomUUID();
  ctx.webhook?.inbox.expect(taskUUID);
  try {
    return await awaitTask(request, taskUUID, options, { ...ctx, webhook: ctx.webhook });
  } finally {
    ctx.webhook?.inbox.forget(taskUUID);
  }
}

async function awaitTask(
  request: InferenceRequest,
  taskUUID: string,
  options: SendOptions,
  ctx: Omit<AsyncContext, 'webhook'> & { webhook: WebhookDelivery | undefined },
  mode: { isResumed: boolean } = { isResumed: false },
): Promise<AttemptOutcome> {
  const { clock, polling, webhook } = ctx;
  const expected = request.numberResults;
  const started = clock.now();
  const elapsed = () => clock.now() - started;
  const read = (answer: Parameters<typeof parseAsyncAnswer>[0]) => parseAsyncAnswer(answer, taskUUID, { nowMs: Date.now(), redact: (t) => ctx.http.redact(t) });

  let ack: AsyncAnswer;
  if (mode.isResumed) {
    // A task an earlier run submitted: nothing to send, poll it at once (below). A poll that fails on the
    // way is tried again as usual; one saying the task is unknown (NOT_FOUND) ends the attempt.
    ack = { kind: 'state', results: [], erroredResults: [] };
  } else {
    options.asyncTask?.onSubmit?.(taskUUID);
    const submitted = await ctx.submit(toRunwareTask(request, taskUUID, webhook ? { webhookURL: webhook.url } : {}), options);
    ack = submitted.ok ? read(submitted.answer) : { kind: 'failed', failure: submitted.failure };
  }
  if (ack.kind === 'failed') return { results: [], failure: ack.failure, latencyMs: elapsed() };

  let state = ack;
  const takeWebhook = () => {
    if (!webhook) return;
    const { results, erroredResults } = webhook.inbox.state(taskUUID);
    if (results.length > state.results.length || (results.length === state.results.length && erroredResults.length > state.erroredResults.length)) {
      state = { kind: 'state', results, erroredResults, ...(state.taskFailure ? { taskFailure: state.taskFailure } : {}) };
    }
  };
  let delayMs = mode.isResumed ? 0 : polling.firstDelayMs;
  if (webhook && !isSettled(state, expected)) {
    const waitMs = Math.min(webhook.fallbackAfterMs, polling.deadlineMs) - elapsed();
    const early = webhook.inbox.state(taskUUID);
    const isAnswered = early.isAmbiguous || early.results.length + early.erroredResults.length >= expected;
    if (waitMs > 0 && !isAnswered) {
      const done = new AbortController();
      const signal = AbortSignal.any([options.signal, done.signal]);
      await Promise.race([webhook.inbox.whenSettled(taskUUID, expected, signal), clock.sleep(waitMs, signal)]);
      done.abort();
    }
    if (options.signal.aborted) return end(state, { code: 'INTERRUPTED', message: 'the run was interrupted while waiting for async results', isRetryable: false });
    takeWebhook();
    // A result that came twice may be a retried delivery or a second, identical result: ask at once.
    if (webhook.inbox.state(taskUUID).isAmbiguous) delayMs = 0;
  }

  let lastPollFailure: ProviderFailure | undefined;
  while (!isSettled(state, expected)) {
    const left = polling.deadlineMs - elapsed();
    if (left <= 0) break;
    await clock.sleep(Math.min(delayMs, left), options.signal);
    if (options.signal.aborted) return end(state, { code: 'INTERRUPTED', message: 'the run was interrupted while waiting for async results', isRetryable: false });
    delayMs = delayMs === 0 ? Math.max(1, polling.firstDelayMs) : Math.min(polling.maxDelayMs, Math.max(1, delayMs * polling.factor));
    const polled = await ctx.http.postJson([{ taskType: 'getResponse', taskUUID }], options);
    const answer: AsyncAnswer = polled.ok ? read(polled.answer) : { kind: 'failed', failure: polled.failure };
    if (answer.kind === 'failed') {
      if (!answer.failure.isRetryable) return end(state, answer.failure);
      lastPollFailure = answer.failure;
      continue;
    }
    // Each answer is the task's state; never let a shorter one undo results already seen.
    if (answer.results.length >= state.results.length) state = answer;
    takeWebhook();
  }
  if (isSettled(state, expected)) return end(state);
  const missing = expected - state.results.length - state.erroredResults.length;
  return end(state, {
    code: 'ASYNC_TIMEOUT',
    message:
      `${missing} of ${expected} result${expected === 1 ? '' : 's'} not delivered${webhook ? ' to the webhook or by getResponse' : ''} within polling.deadlineMs (${polling.deadlineMs} ms)` +
      (lastPollFailure ? `; the last poll failed: ${lastPollFailure.code}` : '; still processing'),
    isRetryable: false,
  });

  function end(final: Extract<AsyncAnswer, { kind: 'state' }>, failure?: ProviderFailure): AttemptOutcome {
    const results: ProviderResult[] = final.results.slice(0, expected);
    const why = failure ?? (results.length < expected ? (final.taskFailure ?? final.erroredResults[0]) : undefined);
    return { results, ...(why ? { failure: why } : {}), latencyMs: elapsed() };
  }
}

/** Every result is in or has errored, or the task failed as a whole. */
function isSettled(state: Extract<AsyncAnswer, { kind: 'state' }>, expected: number): boolean {
  return state.taskFailure !== undefined || state.results.length + state.erroredResults.length >= expected;
}
