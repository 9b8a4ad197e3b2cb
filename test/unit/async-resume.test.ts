import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PollingSchema, type RetryPolicy } from '../../src/config/config-schema.js';
import type { InferenceRequest } from '../../src/plan/trial.js';
import type { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { AsyncTaskJournal } from '../../src/run/async-task-journal.js';
import { executeTrial } from '../../src/run/execute-trial.js';
import { makeTrial } from '../support/builders.js';
import { FakeClock } from '../support/fake-clock.js';
import { answered, failed, FakeProvider, type Script } from '../support/fake-provider.js';
import { MockRunwareApi, resultItem } from '../support/mock-runware-api.js';

const asyncRequest = (overrides: Partial<InferenceRequest> = {}): InferenceRequest => ({ ...makeTrial().request, deliveryMethod: 'async', ...overrides });
const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000, trialDeadlineMs: 900_000, budget: 1 };

describe('RunwareProvider: an async task resumed from an earlier run', () => {
  let api: MockRunwareApi;
  let provider: RunwareProvider;
  beforeEach(() => {
    api = new MockRunwareApi();
    provider = api.provider({ clock: new FakeClock(), polling: PollingSchema.parse({}) });
  });
  afterEach(async () => {
    await provider.close();
    await api.close();
  });

  it('submits nothing: polls getResponse for the journaled task at once and takes its results', async () => {
    const taskUUID = '0b6c2f7e-8d1a-4c55-9e0f-3a2b1c4d5e6f';
    api.answer(() => ({ status: 200, body: { data: [{ ...resultItem({ taskUUID }, 'kept'), status: 'success' }] } }));
    const outcome = await provider.send(asyncRequest(), { signal: new AbortController().signal, timeoutMs: 5000, asyncTask: { resumeTaskUUID: taskUUID } });
    expect(outcome.results.map((r) => r.text)).toEqual(['kept']);
    expect(api.received).toHaveLength(1);
    expect(api.received[0]!.tasks).toEqual([{ taskType: 'getResponse', taskUUID }]);
  });

  it('reports a task Runware no longer knows as NOT_FOUND', async () => {
    const taskUUID = '1b6c2f7e-8d1a-4c55-9e0f-3a2b1c4d5e6f';
    api.answer(() => ({ status: 400, body: { errors: [{ code: 'taskFailedOrNotFound', message: 'no such task', taskUUID }] } }));
    const outcome = await provider.send(asyncRequest(), { signal: new AbortController().signal, timeoutMs: 5000, asyncTask: { resumeTaskUUID: taskUUID } });
    expect(outcome.failure).toMatchObject({ code: 'NOT_FOUND', isRetryable: false });
  });

  it('tells the run the taskUUID of a new submission before sending it', async () => {
    const heard: { taskUUID: string; requestsSentBefore: number }[] = [];
    api.answer((task) => ({ status: 200, body: { data: [{ ...resultItem(task, 'new'), status: 'success' }] } }));
    await provider.send(asyncRequest(), {
      signal: new AbortController().signal,
      timeoutMs: 5000,
      asyncTask: { onSubmit: (taskUUID) => heard.push({ taskUUID, requestsSentBefore: api.received.length }) },
    });
    expect(heard).toEqual([{ taskUUID: api.received[0]!.tasks[0]!.taskUUID, requestsSentBefore: 0 }]);
  });
});

describe('executeTrial with journaled async tasks', () => {
  const run = (script: Script, resumeTasks: { taskUUID: string; numberResults: number }[], request = asyncRequest({ numberResults: 2 })) => {
    const provider = new FakeProvider(script);
    const journaled: [string, number][] = [];
    const outcome = executeTrial(request, {
      provider,
      retry: POLICY,
      requestTimeoutMs: 1000,
      clock: new FakeClock(),
      signal: new AbortController().signal,
      resumeTasks,
      onAsyncSubmit: (taskUUID, n) => journaled.push([taskUUID, n]),
    });
    return { provider, journaled, outcome };
  };

  it('takes every result from the task the killed run sent, and sends nothing new', async () => {
    const seen: (string | undefined)[] = [];
    const { provider, outcome } = run((_r, _c, options) => {
      seen.push(options.asyncTask?.resumeTaskUUID);
      return answered(['a', 'b']);
    }, [{ taskUUID: 'old', numberResults: 2 }]);
    expect((await outcome).results.map((r) => r.text)).toEqual(['a', 'b']);
    expect(provider.requests).toHaveLength(1);
    expect(seen).toEqual(['old']);
  });

  it('sends again only what a task Runware no longer knows cannot give, and journals the new task', async () => {
    const { provider, journaled, outcome } = run((request, call, options) => {
      if (call === 0) return failed('NOT_FOUND');
      options.asyncTask?.onSubmit?.(`new-${call}`);
      return answered(Array.from({ length: request.numberResults }, (_, i) => `r${i}`));
    }, [{ taskUUID: 'forgotten', numberResults: 2 }]);
    const done = await outcome;
    expect(done.results).toHaveLength(2);
    expect(done.failure).toBeUndefined();
    expect(provider.requests.map((r) => r.numberResults)).toEqual([2, 2]);
    expect(journaled).toEqual([['new-1', 2]]);
  });

  it('asks a new task for the missing results only, when the old one gave some', async () => {
    const { provider, journaled, outcome } = run((_request, call, options) => {
      if (call === 0) return { ...answered(['kept']), failure: { code: 'PROVIDER_ERROR', message: 'one result failed', isRetryable: true } };
      options.asyncTask?.onSubmit?.('new');
      return answered(['fresh']);
    }, [{ taskUUID: 'half', numberResults: 2 }]);
    expect((await outcome).results.map((r) => r.text)).toEqual(['kept', 'fresh']);
    expect(provider.requests.map((r) => r.numberResults)).toEqual([2, 1]);
    expect(journaled).toEqual([['new', 1]]);
  });

  it('never sends again a task that may still be running (ASYNC_TIMEOUT): it ends the trial', async () => {
    const { provider, outcome } = run(() => failed('ASYNC_TIMEOUT'), [{ taskUUID: 'slow', numberResults: 2 }]);
    expect((await outcome).failure).toMatchObject({ code: 'ASYNC_TIMEOUT' });
    expect(provider.requests).toHaveLength(1);
  });

  it('ignores journaled tasks for a trial that is not async', async () => {
    const { provider, outcome } = run((_r, _c, options) => {
      expect(options.asyncTask?.resumeTaskUUID).toBeUndefined();
      return answered(['x']);
    }, [{ taskUUID: 'old', numberResults: 1 }], { ...makeTrial().request });
    await outcome;
    expect(provider.requests).toHaveLength(1);
  });
});

describe('AsyncTaskJournal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-tasks-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back, per trial and in order, what was recorded, skipping a torn last line', () => {
    const file = path.join(dir, 'async-tasks.jsonl');
    const journal = AsyncTaskJournal.open(file);
    journal.record({ trialId: 't1', taskUUID: 'a', numberResults: 2 });
    journal.record({ trialId: 't2', taskUUID: 'b', numberResults: 1 });
    journal.record({ trialId: 't1', taskUUID: 'c', numberResults: 1 });
    journal.close();
    writeFileSync(file, '{"trialId":"t3","taskUU', { flag: 'a' });
    const read = AsyncTaskJournal.read(file);
    expect(read.get('t1')).toEqual([{ trialId: 't1', taskUUID: 'a', numberResults: 2 }, { trialId: 't1', taskUUID: 'c', numberResults: 1 }]);
    expect(read.get('t2')).toHaveLength(1);
    expect(read.has('t3')).toBe(false);
  });

  it('reads an absent journal as empty, and creates no file until a task is recorded', () => {
    const file = path.join(dir, 'none.jsonl');
    AsyncTaskJournal.open(file).close();
    expect(AsyncTaskJournal.read(file).size).toBe(0);
  });
});
