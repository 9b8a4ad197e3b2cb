import { formatDiagnostic } from '../config/diagnostic.js';
import { EvalgateError, ExitCode } from '../core/evalgate-error.js';
import { ConfigError } from '../config/config-error.js';
import { ioError, isSystemError } from '../core/io-error.js';
import { sanitizeForTerminal } from '../reporters/terminal-text.js';
import type { OutputStream } from './cli-io.js';

/**
 * The one place an error becomes text and an exit code. Known errors print their message, hint and
 * diagnostics; a file system's refusal anywhere (a full disk, a read-only or missing folder) is an
 * IO_ERROR naming the path, exit 3; anything else is a bug and prints its stack.
 */
export function reportError(error: unknown, stderr: OutputStream): number {
  if (isSystemError(error) && typeof error.path === 'string') return reportError(ioError(error.path, error, SYSCALL_VERBS[error.syscall!] ?? error.syscall), stderr);
  if (error instanceof ConfigError) {
    const lines = error.diagnostics.map(formatDiagnostic);
    stderr.write(`${lines.join('\n\n')}\n\n${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof EvalgateError) {
    stderr.write(`error ${error.code}: ${sanitizeForTerminal(error.message)}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`evalgate stopped on an internal error; this is a bug, please report it with this trace:\n${stack}\n`);
  return ExitCode.infrastructure;
}

/** What evalgate was doing, by the system call that failed. */
const SYSCALL_VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  write: 'write',
  rename: 'write',
  mkdir: 'create the folder',
  copyfile: 'copy to',
  symlink: 'link',
  read: 'read',
  scandir: 'read the folder',
  stat: 'read',
  unlink: 'remove',
  rm: 'remove',
};
