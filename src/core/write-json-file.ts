import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ioError, isSystemError } from './io-error.js';

/** Characters gathered before each write. */
const CHUNK_CHARS = 1 << 16;

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` plus a newline, whole or not at all (to a
 * temporary name beside it, then renamed over it), without ever holding the whole text: a 100,000-
 * sample summary.json is tens of MB as one string, several times that while it is built. A failure
 * of the file system is an IO_ERROR naming `path`.
 */
export function writeJsonFile(path: string, value: unknown): void {
  writeStreamedFile(path, (emit) => {
    serializeJson(value, emit);
    emit('\n');
  });
}

/**
 * Writes the text `produce` hands to `emit`, piece by piece, whole or not at all (to a temporary name
 * beside `path`, then renamed over it), in writes of about {@link CHUNK_CHARS} characters: the whole
 * text is never one string. A failure of the file system is an IO_ERROR naming `path`.
 */
export function writeStreamedFile(path: string, produce: (emit: (text: string) => void) => void): void {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w');
    let buffer = '';
    produce((text) => {
      buffer += text;
      if (buffer.length >= CHUNK_CHARS) {
        writeSync(fd!, buffer);
        buffer = '';
      }
    });
    writeSync(fd, buffer);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    try {
      if (fd !== undefined) closeSync(fd);
      rmSync(temporary, { force: true });
    } catch {
      // The write's own error is the one to report.
    }
    throw isSystemError(error) ? ioError(path, error) : error;
  }
}

/**
 * Hands `emit` the text of `JSON.stringify(value, null, 2)` piece by piece, in order (with `compact`,
 * of `JSON.stringify(value)`). Objects and arrays are walked here; everything else (and objects with
 * `toJSON`, like dates) is JSON.stringify's. Like JSON.stringify, it skips undefined, functions and
 * symbols in objects and writes them as null in arrays. No replacer, no cycles (a cycle overflows the stack).
 */
export function serializeJson(value: unknown, emit: (text: string) => void, options: { compact?: boolean } = {}): void {
  if (options.compact) serializeCompact(value, emit);
  else serializeIndented(value, emit, '');
}

function serializeIndented(value: unknown, emit: (text: string) => void, indent: string): void {
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    emit(JSON.stringify(value) ?? 'null');
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return emit('[]');
    emit('[');
    for (let i = 0; i < value.length; i++) {
      emit(i === 0 ? `\n${inner}` : `,\n${inner}`);
      serializeIndented(isSkipped(value[i]) ? null : value[i], emit, inner);
    }
    emit(`\n${indent}]`);
    return;
  }
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (isSkipped(item)) continue;
    emit(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    first = false;
    serializeIndented(item, emit, inner);
  }
  emit(first ? '{}' : `\n${indent}}`);
}

/** `JSON.stringify(value)`, walked like the indented form, so that no piece is larger than a leaf. */
function serializeCompact(value: unknown, emit: (text: string) => void): void {
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    emit(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    emit('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) emit(',');
      serializeCompact(isSkipped(value[i]) ? null : value[i], emit);
    }
    emit(']');
    return;
  }
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (isSkipped(item)) continue;
    emit(`${first ? '{' : ','}${JSON.stringify(key)}:`);
    first = false;
    serializeCompact(item, emit);
  }
  emit(first ? '{}' : '}');
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
