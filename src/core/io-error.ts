import { EvalgateError, ExitCode } from './evalgate-error.js';

/** Node's codes for a file system that refused a write or a read, with what they mean in words. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** A Node system error (it has a `code` like `ENOSPC` and a `syscall`), as thrown by `node:fs`. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The one error an I/O failure becomes: IO_ERROR, exit 3 (infrastructure, not a failed gate), a
 * message naming the path and the cause in words, the original kept as `cause`.
 * @param doing what evalgate was doing, as a verb phrase: `write`, `create the folder`.
 */
export function ioError(path: string, error: unknown, doing = 'write', hint?: string): EvalgateError {
  if (error instanceof EvalgateError) return error;
  const code = isSystemError(error) ? error.code! : undefined;
  const cause = code ? `${CAUSES[code] ?? (error as Error).message} (${code})` : error instanceof Error ? error.message : String(error);
  return new EvalgateError('IO_ERROR', `could not ${doing} ${path}: ${cause}`, {
    exitCode: ExitCode.infrastructure,
    cause: error,
    hint: hint ?? (code === 'ENOSPC' || code === 'EDQUOT' ? 'free some space (or choose another folder) and run again' : 'choose a folder evalgate may write to, or fix its permissions, and run again'),
  });
}
