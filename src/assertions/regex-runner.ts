import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

/** A match, or why there is no answer. */
export type RegexResult = { match: { index: number; text: string } | null } | { timedOut: true };

/** Outputs at most this long are matched in-process by regexes the linear engine can run. */
const INLINE_LIMIT_CHARS = 100_000;

let isEngineConfigured = false;

/**
 * V8 can fall back to a linear-time engine for a regex that backtracks too much, and say whether a
 * pattern is one it can run that way (`l` flag). Both are V8 options, process-wide; they change no
 * result, only how long a pathological match may take.
 */
function configureEngine(): void {
  if (isEngineConfigured) return;
  setFlagsFromString('--enable-experimental-regexp-engine');
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  isEngineConfigured = true;
}

/** True when V8's linear-time engine can run this pattern (no backreferences, lookarounds, i or u flag). */
export function isLinearTime(pattern: string, flags: string): boolean {
  configureEngine();
  try {
    new RegExp(pattern, `${flags}l`);
    return true;
  } catch {
    return false;
  }
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ pattern, flags, text }) => {
  const m = new RegExp(pattern, flags).exec(text);
  parentPort.postMessage({ match: m ? { index: m.index, text: m[0] } : null });
});
parentPort.postMessage('ready');
`;

interface Job {
  pattern: string;
  flags: string;
  text: string;
  resolve: (result: RegexResult) => void;
}

/**
 * Runs model-output regexes so that none can hang a run, nor hold up its event loop. A pattern the
 * linear engine can run, on an output of reasonable size, is matched in-process at once (V8 falls
 * back to linear time if it backtracks). Anything else is matched in a worker thread, one match at a
 * time, and answered asynchronously: the main thread never waits on it, so requests in flight keep
 * their timing. A match that runs past `timeoutMs` (counted from when the worker takes it, not from
 * queueing nor from starting a thread) has its worker terminated and is reported as timed out; the
 * next match gets a new worker.
 */
export class RegexRunner {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private isBusy = false;
  private isClosed = false;

  constructor(readonly timeoutMs: number) {
    configureEngine();
  }

  /** The match at once when it is safe in-process, else a promise of it from the worker. */
  exec(regex: RegExp, isLinear: boolean, text: string): RegexResult | Promise<RegexResult> {
    if (isLinear && text.length <= INLINE_LIMIT_CHARS) {
      const m = regex.exec(text);
      return { match: m ? { index: m.index, text: m[0] } : null };
    }
    return new Promise((resolve) => {
      this.queue.push({ pattern: regex.source, flags: regex.flags, text, resolve });
      void this.drain();
    });
  }

  /** Stops the worker, if one was started; matches still queued are reported as timed out. */
  async close(): Promise<void> {
    this.isClosed = true;
    for (const job of this.queue.splice(0)) job.resolve({ timedOut: true });
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }

  private async drain(): Promise<void> {
    if (this.isBusy) return;
    this.isBusy = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) job.resolve(await this.run(job));
    } finally {
      this.isBusy = false;
    }
  }

  private async run(job: Job): Promise<RegexResult> {
    if (this.isClosed) return { timedOut: true };
    const worker = await this.startWorker();
    return new Promise<RegexResult>((resolve) => {
      const finish = (result: RegexResult) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(result);
      };
      const onMessage = (message: RegexResult) => finish(message);
      const onError = () => {
        this.discard(worker);
        finish({ timedOut: true });
      };
      const timer = setTimeout(() => {
        this.discard(worker);
        finish({ timedOut: true });
      }, this.timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ pattern: job.pattern, flags: job.flags, text: job.text });
    });
  }

  private discard(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = undefined;
    }
    void worker.terminate();
  }

  private startWorker(): Promise<Worker> {
    if (this.worker && this.ready) {
      const worker = this.worker;
      return this.ready.then(() => worker);
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    this.worker = worker;
    // The time bound counts from the match, not from starting a thread, which a loaded machine can take a while to do.
    this.ready = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.once('error', () => resolve());
    });
    return this.ready.then(() => worker);
  }
}
