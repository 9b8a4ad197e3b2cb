import { setFlagsFromString } from 'node:v8';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** A match, or why there is no answer. */
export type RegexResult = { match: { index: number; text: string } | null } | { timedOut: true };

/** Longest to wait for a worker thread to start. */
const WORKER_START_LIMIT_MS = 10_000;

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
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
Atomics.store(flag, 1, 1);
Atomics.notify(flag, 1);
port.on('message', ({ pattern, flags, text }) => {
  const m = new RegExp(pattern, flags).exec(text);
  port.postMessage({ match: m ? { index: m.index, text: m[0] } : null });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/**
 * Runs model-output regexes so that none can hang a run. A pattern the linear engine can run, on an
 * output of reasonable size, is matched in-process (V8 falls back to linear time if it backtracks).
 * Anything else is matched in a worker thread, waited for synchronously up to `timeoutMs`; a worker
 * that does not answer in time is terminated, and the match reported as timed out.
 */
export class RegexRunner {
  private worker: { thread: Worker; port: MessagePort; flag: Int32Array } | undefined;

  constructor(readonly timeoutMs: number) {
    configureEngine();
  }

  exec(regex: RegExp, isLinear: boolean, text: string): RegexResult {
    if (isLinear && text.length <= INLINE_LIMIT_CHARS) {
      const m = regex.exec(text);
      return { match: m ? { index: m.index, text: m[0] } : null };
    }
    const worker = this.startWorker();
    Atomics.store(worker.flag, 0, 0);
    worker.port.postMessage({ pattern: regex.source, flags: regex.flags, text });
    if (Atomics.wait(worker.flag, 0, 0, this.timeoutMs) === 'timed-out') {
      void worker.thread.terminate();
      this.worker = undefined;
      return { timedOut: true };
    }
    const reply = receiveMessageOnPort(worker.port);
    return (reply?.message as RegexResult | undefined) ?? { timedOut: true };
  }

  /** Stops the worker, if one was started. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.thread.terminate();
  }

  private startWorker(): NonNullable<RegexRunner['worker']> {
    if (this.worker) return this.worker;
    const { port1, port2 } = new MessageChannel();
    // flag[0]: a match is ready; flag[1]: the worker is up. The time bound counts from the match, not
    // from starting a thread, which a loaded machine can take a while to do.
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag }, transferList: [port2] });
    thread.unref();
    Atomics.wait(flag, 1, 0, WORKER_START_LIMIT_MS);
    this.worker = { thread, port: port1, flag };
    return this.worker;
  }
}
