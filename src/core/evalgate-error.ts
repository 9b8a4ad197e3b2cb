/** Exit codes of the `evalgate` CLI: part of the contract with CI scripts (see docs/cli.md). */
export const ExitCode = {
  /** Every gate passed. */
  ok: 0,
  /** The gate failed: a group under its threshold, or a regression. */
  gateFailed: 1,
  /** Bad command line or bad configuration; nothing was sent. */
  usage: 2,
  /** Too many infrastructure errors: API down, bad key, budget hit. */
  infrastructure: 3,
  /** Interrupted by a signal (Ctrl-C). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The closed set of error codes evalgate itself raises (not the provider's). */
export type EvalgateErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'MISSING_API_KEY'
  | 'NO_TRIALS'
  | 'IO_ERROR'
  | 'INFRASTRUCTURE';

/**
 * The one error type the CLI turns into text and an exit code. Anything else that reaches `main`
 * is a bug and is printed with its stack.
 */
export class EvalgateError extends Error {
  readonly code: EvalgateErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: EvalgateErrorCode, message: string, options: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvalgateError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}
