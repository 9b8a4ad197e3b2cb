import { closeSync, cpSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { reportError } from '../../src/cli/report-error.js';
import { RetrySchema } from '../../src/config/config-schema.js';
import { EvalgateError, ExitCode } from '../../src/core/evalgate-error.js';
import { writeFileAtomic } from '../../src/core/write-file-atomic.js';
import { writeJsonFile } from '../../src/core/write-json-file.js';
import { planTrials } from '../../src/plan/plan-trials.js';
import { recoverJournal } from '../../src/run/recover-journal.js';
import { announceFinished } from '../../src/run/finish-run.js';
import { ioError } from '../../src/core/io-error.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { ResultsJournal, type JournalFileSystem } from '../../src/run/results-journal.js';
import { runEval } from '../../src/run/run-eval.js';
import type { Reporter } from '../../src/run/run-events.js';
import { scheduleTrials } from '../../src/run/schedule-trials.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { makeCase, makeRecord, makeTrial } from '../support/builders.js';
import { FakeClock } from '../support/fake-clock.js';
import { answered, FakeProvider } from '../support/fake-provider.js';
import { memoryIo } from '../support/memory-io.js';

/** node:fs, except that writes fail with ENOSPC once `allowedWrites` have gone through. */
function fillingDisk(allowedWrites: number): JournalFileSystem & { writes: number } {
  const fs = {
    writes: 0,
    openSync: (file: string, flags: 'a') => openSync(file, flags),
    writeSync(fd: number, text: string): number {
      if (fs.writes++ >= allowedWrites) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      return writeSync(fd, text);
    },
    fsyncSync,
    closeSync,
  };
  return fs;
}

const outputOf = () => {
  let text = '';
  return { write: (t: string) => void (text += t), isTTY: false, text: () => text };
};

describe('an I/O failure ends the run through the error boundary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-io-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a failed journal write as IO_ERROR and throws it from the next append and from close, never from the event loop', async () => {
    const file = path.join(dir, 'results.jsonl');
    const journal = ResultsJournal.open(file, fillingDisk(1));
    journal.append([makeRecord({ trialId: 'a' })]);
    await new Promise((resolve) => setImmediate(resolve));
    journal.append([makeRecord({ trialId: 'b' })]);
    await new Promise((resolve) => setImmediate(resolve)); // this flush fails: no exception escapes the turn
    const thrown = (() => {
      try {
        journal.append([makeRecord({ trialId: 'c' })]);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(EvalgateError);
    expect(thrown).toMatchObject({ code: 'IO_ERROR', exitCode: ExitCode.infrastructure });
    expect((thrown as Error).message).toBe(`could not write ${file}: no space left on the device (ENOSPC)`);
    expect(() => journal.close()).toThrow(thrown as Error);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { trialId: string }).trialId)).toEqual(['a']);
  });

  it('names the journal when it cannot be opened', () => {
    const file = path.join(dir, 'not-a-folder', 'results.jsonl');
    writeFileSync(path.join(dir, 'not-a-folder'), 'a file');
    expect(() => ResultsJournal.open(file)).toThrow(expect.objectContaining({ code: 'IO_ERROR', message: `could not open ${file}: a part of the path is a file, not a folder (ENOTDIR)` }));
  });

  it('writes summary files whole or raises IO_ERROR naming the file', async () => {
    const file = path.join(dir, 'not-a-folder', 'summary.json');
    writeFileSync(path.join(dir, 'not-a-folder'), 'a file');
    expect(() => writeJsonFile(file, { a: 1 })).toThrow(expect.objectContaining({ code: 'IO_ERROR', exitCode: 3 }));
    await expect(writeFileAtomic(path.join(dir, 'not-a-folder', 'junit.xml'), '<x/>')).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('junit.xml') });
  });

  it('stops a run on a full disk with IO_ERROR, tells the reporters, and leaves a journal --resume reads', async () => {
    const models = new ModelTable(DEFAULT_MODELS);
    const suite = {
      name: 's', file: 's.yaml', tags: [], threshold: 0, repeats: 1, outputFormat: 'TEXT' as const, models: [models.find('openai-gpt-5-5')!], numberResults: [1],
      cases: Array.from({ length: 40 }, (_, i) => makeCase({ id: `c${i}`, thinkingLevels: ['low'], assertions: [] })),
    };
    const trials = planTrials([suite]);
    let failed = 0;
    const reporter: Reporter = { onRunFailed: () => void failed++ };
    const runDir = path.join(dir, 'run');
    const disk = fillingDisk(3);
    const run = runEval({
      runId: 'r', runDir, trials, provider: new FakeProvider(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return answered(['ok']);
      }), simulated: true, thresholds: new Map([['s', 0]]),
      assertionTimeoutMs: 1000,
      reporters: [reporter], clock: new FakeClock(), stopSignal: new AbortController().signal, abortSignal: new AbortController().signal,
      configRecord: { provider: 'fake', concurrency: 4, requestTimeoutMs: 1000, retry: RetrySchema.parse({ maxAttempts: 1 }), maxErrorRate: 1, suites: [], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
      journalFileSystem: disk,
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IO_ERROR', exitCode: ExitCode.infrastructure, message: expect.stringContaining(path.join(runDir, 'results.jsonl')) });
    expect(failed).toBe(1);
    expect(disk.writes).toBe(4); // the failed write was the last: sending stopped
    const recovered = await recoverJournal(path.join(runDir, 'results.jsonl'), () => {});
    expect(recovered.completeTrialIds.size).toBeGreaterThan(0);
    expect(recovered.completeTrialIds.size).toBeLessThan(trials.length);

    const stderr = outputOf();
    expect(reportError(error, stderr)).toBe(3);
    expect(stderr.text()).toMatch(/^error IO_ERROR: could not write .*results\.jsonl: no space left on the device \(ENOSPC\)\n  hint: .*--resume /);
    expect(stderr.text()).not.toMatch(/\n\s+at /);
  });
});

describe('a report that cannot be written', () => {
  it('ends the run with IO_ERROR, saying the gate\'s own verdict and how to rebuild the reports', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-report-io-'));
    try {
      const full: Reporter = {
        onRunFinished: () => {
          throw ioError(path.join(dir, 'report.html'), Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write' }));
        },
      };
      const seen: string[] = [];
      const before: Reporter = { onRunFinished: ({ summary }) => void seen.push(`Gate: exit ${summary.gate.exitCode}`) };
      const summary = { gate: { passed: false, exitCode: 1, reasons: [], notices: [] }, cases: [] } as unknown as RunSummary;
      const thrown = await announceFinished([before, full], summary, dir).then(() => undefined, (error: unknown) => error);
      expect(seen).toEqual(['Gate: exit 1']);
      expect(thrown).toMatchObject({ code: 'IO_ERROR', exitCode: ExitCode.infrastructure });
      const error = thrown as EvalgateError;
      expect(error.message).toBe(`could not write ${path.join(dir, 'report.html')}: no space left on the device (ENOSPC); the gate's own verdict was FAILED (exit 1), but a report could not be written, so evalgate exits 3`);
      expect(error.hint).toBe(`free some space (or choose another folder) and run again; the run's samples are all in ${path.join(dir, 'results.jsonl')}, and evalgate report ${dir} rebuilds every report from them without sending anything`);
      // A bug in a reporter is not dressed up as a disk problem.
      const bug = new TypeError('x is undefined');
      await expect(announceFinished([{ onRunFinished: () => Promise.reject(bug) }], summary, dir)).rejects.toBe(bug);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a trial that throws', () => {
  it('reaches the caller of scheduleTrials once those in flight have finished, and stops the sending', async () => {
    const trials = Array.from({ length: 20 }, (_, i) => makeTrial({ id: `t${i}` }));
    const started: string[] = [];
    const finished: string[] = [];
    const boom = new Error('boom');
    const schedule = scheduleTrials(trials, {
      concurrency: 3, now: () => 0, stopSignal: new AbortController().signal, adaptive: false,
      runTrial: async (trial) => {
        started.push(trial.id);
        await new Promise((resolve) => setImmediate(resolve));
        if (trial.id === 't1') throw boom;
        finished.push(trial.id);
        return { costUsd: 0, billedOutputTokens: 0 };
      },
    });
    await expect(schedule).rejects.toBe(boom);
    expect(started.length).toBeLessThan(trials.length);
    expect(finished).toEqual(started.filter((id) => id !== 't1'));
  });
});

describe('every command that writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-io-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a file system refusal into IO_ERROR, exit 3, naming the path, without a stack: init', async () => {
    writeFileSync(path.join(dir, 'evals'), 'a file where the suites folder goes');
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['init'], io)).toBe(ExitCode.infrastructure);
    expect(io.err()).toMatch(/^error IO_ERROR: could not create the folder .*evals: it already exists \(EEXIST\)\n  hint: /);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  it('turns a file system refusal into IO_ERROR, exit 3, naming the path, without a stack: run --out', async () => {
    expect(await runCli(['init'], memoryIo({ cwd: dir }))).toBe(0);
    writeFileSync(path.join(dir, 'blocked'), 'a file where the output folder goes');
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--provider', 'simulator', '--out', path.join('blocked', 'runs'), '--reporter', 'json'], io)).toBe(ExitCode.infrastructure);
    expect(io.err()).toMatch(/error IO_ERROR: could not create the folder .*blocked.*: a part of the path is a file, not a folder \(ENOTDIR\)/);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});

describe('a run that fails before sending', () => {
  let dir: string;
  const openServers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-io-early-'));
    // A server closes a moment after close() is called: those of earlier tests are gone by now.
    await vi.waitFor(() => expect(openServers()).toBe(0));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shuts the built-in simulator down when the run folder cannot be created, so the process can exit', async () => {
    expect(await runCli(['init'], memoryIo({ cwd: dir }))).toBe(0);
    writeFileSync(path.join(dir, 'blocked'), 'a file where the output folder goes');
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['run', '--provider', 'simulator', '--out', path.join('blocked', 'runs'), '--reporter', 'json'], io)).toBe(ExitCode.infrastructure);
    expect(io.err()).toContain('IO_ERROR');
    // Closed, or closing: a server left open would keep the process from ever exiting.
    await vi.waitFor(() => expect(openServers()).toBe(0));
  });

  it('shuts the judges\' simulator down when rescore cannot create its run folder', async () => {
    cpSync(path.resolve(import.meta.dirname, '../fixtures/projects/judged'), dir, { recursive: true });
    expect([0, 1, 3]).toContain(await runCli(['run', '--provider', 'simulator', '--out', 'first'], memoryIo({ cwd: dir })));
    await vi.waitFor(() => expect(openServers()).toBe(0));
    writeFileSync(path.join(dir, 'blocked'), 'a file where the output folder goes');
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['rescore', 'first', '--out', path.join('blocked', 'again')], io)).toBe(ExitCode.infrastructure);
    expect(io.err()).toContain('IO_ERROR');
    // Closed, or closing: a server left open would keep the process from ever exiting.
    await vi.waitFor(() => expect(openServers()).toBe(0));
  });
});
