/** A place the CLI writes to. */
export interface OutputStream {
  write(text: string): void;
  /** True for a terminal: colour and a live progress line. */
  isTTY: boolean;
  /** A terminal's width in characters, read when needed (it changes when the window is resized). */
  readonly columns?: number | undefined;
}

/** Everything the CLI touches outside itself, injected so commands run in-process in tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Subscribes to Ctrl-C / SIGTERM; returns an unsubscribe function. */
  onInterrupt(listener: () => void): () => void;
}

/** Whether to colour output: on a terminal, unless NO_COLOR is set or --no-color given. */
export function isColorWanted(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  return io.stdout.isTTY && io.env.NO_COLOR === undefined;
}
