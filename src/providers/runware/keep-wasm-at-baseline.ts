import { setFlagsFromString } from 'node:v8';

let isKept = false;

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it first with its baseline
 * compiler (Liftoff), then recompiles the hot parser with TurboFan on a background thread, and that
 * compile holds about 30 MB of memory for a second or so early in a run: at 20,000 samples it was
 * the run's peak (146 MB against 126 MB without it), and the optimized parser saved no CPU measurable
 * over a whole run (docs/performance.md, "Memory"). `--liftoff-only` keeps the baseline code. The flag
 * is V8's, process-wide, read when WebAssembly is compiled, so it is set before the first connection
 * (undici compiles llhttp on it); the only WebAssembly evalgate runs is undici's parser. Set once.
 */
export function keepWasmAtBaseline(setFlags: (flags: string) => void = setFlagsFromString): void {
  if (isKept) return;
  setFlags('--liftoff-only');
  isKept = true;
}

/** True once {@link keepWasmAtBaseline} has set the flag in this process. */
export function isWasmKeptAtBaseline(): boolean {
  return isKept;
}
