import type { CliIo } from '../../src/cli/cli-io.js';

/** A CliIo that captures output in memory, for running commands in-process. */
export interface MemoryIo extends CliIo {
  out(): string;
  err(): string;
  /** Simulates Ctrl-C. */
  interrupt(): void;
}

export function memoryIo(options: { cwd: string; env?: Record<string, string | undefined>; isTTY?: boolean }): MemoryIo {
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  return {
    stdout: { write: (t) => void (stdout += t), isTTY: options.isTTY ?? false },
    stderr: { write: (t) => void (stderr += t), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd,
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    out: () => stdout,
    err: () => stderr,
    interrupt: () => [...listeners].forEach((l) => l()),
  };
}
