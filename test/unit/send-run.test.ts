import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetrySchema } from '../../src/config/config-schema.js';
import { runEval, sendRun, type RunEvalOptions } from '../../src/run/run-eval.js';
import type { Reporter } from '../../src/run/run-events.js';
import { makeTrial } from '../support/builders.js';
import { FakeClock } from '../support/fake-clock.js';
import { answered, FakeProvider } from '../support/fake-provider.js';

describe('sendRun', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-send-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (reporter: Reporter): RunEvalOptions => ({
    runId: 'r',
    runDir: path.join(dir, 'run'),
    trials: Array.from({ length: 3 }, (_, i) => makeTrial({ id: `t${i}` })),
    provider: new FakeProvider(async () => answered(['ok'])),
    simulated: true,
    thresholds: new Map([['s', 0]]),
    assertionTimeoutMs: 1000,
    reporters: [reporter],
    clock: new FakeClock(),
    stopSignal: new AbortController().signal,
    abortSignal: new AbortController().signal,
    configRecord: { provider: 'fake', concurrency: 2, requestTimeoutMs: 1000, retry: RetrySchema.parse({ maxAttempts: 1 }), maxErrorRate: 1, suites: [], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
  });

  // runCommand reports once it no longer holds the plan: sendRun must send and summarize, and leave the reports to it.
  it('sends every trial and summarizes them, without the reports', async () => {
    const heard: string[] = [];
    const reporter: Reporter = {
      onRunStarted: () => void heard.push('started'),
      onTrialFinished: () => void heard.push('trial'),
      onRunFinished: () => void heard.push('finished'),
    };
    const summary = await sendRun(options(reporter));
    expect(heard).toEqual(['started', 'trial', 'trial', 'trial']);
    expect(summary.totals.samples).toBe(3);
    expect(existsSync(path.join(dir, 'run', 'results.jsonl'))).toBe(true);
  });

  it('is runEval without onRunFinished, which runEval then calls with the same summary', async () => {
    const finished: unknown[] = [];
    const summary = await runEval(options({ onRunFinished: ({ summary: s }) => void finished.push(s) }));
    expect(finished).toEqual([summary]);
  });
});
