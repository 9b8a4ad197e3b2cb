import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ioError, isSystemError } from './io-error.js';
import { LazyJsonArray } from './lazy-json-array.js';

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

/** Subtrees whose text is about this long or less are written by JSON.stringify in one piece. */
const PIECE_CHARS = 1 << 14;

/**
 * Hands `emit` the text of `JSON.stringify(value, null, 2)` piece by piece, in order (with `compact`,
 * of `JSON.stringify(value)`). Containers too large to be one piece (about {@link PIECE_CHARS}
 * characters, `pieceChars`) are walked here; every smaller subtree is JSON.stringify's at once, several
 * times faster than walking it. Like JSON.stringify, it skips undefined, functions and symbols in
 * objects and writes them as null in arrays; objects with `toJSON` (dates) are its own. A
 * LazyJsonArray is written item by item, each made as it is written. No replacer, no cycles (a cycle
 * overflows the stack).
 */
export function serializeJson(value: unknown, emit: (text: string) => void, options: { compact?: boolean; pieceChars?: number } = {}): void {
  const pieceChars = options.pieceChars ?? PIECE_CHARS;
  if (options.compact) serializeCompact(value, emit, pieceChars);
  else serializeIndented(value, emit, '', pieceChars);
}

function serializeIndented(value: unknown, emit: (text: string) => void, indent: string, pieceChars: number): void {
  if (value instanceof LazyJsonArray) {
    const inner = `${indent}  `;
    if (value.length === 0) return emit('[]');
    emit('[');
    for (let i = 0; i < value.length; i++) {
      emit(i === 0 ? `\n${inner}` : `,\n${inner}`);
      const item: unknown = value.at(i);
      serializeIndented(isSkipped(item) ? null : item, emit, inner, pieceChars);
    }
    emit(`\n${indent}]`);
    return;
  }
  if (isLeaf(value) || charsLeft(value, pieceChars) >= 0) {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    // A newline in JSON text is never inside a string (those are escaped): each starts a line to indent.
    emit(indent === '' ? text : text.replaceAll('\n', `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return emit('[]');
    emit('[');
    for (let i = 0; i < value.length; i++) {
      emit(i === 0 ? `\n${inner}` : `,\n${inner}`);
      serializeIndented(isSkipped(value[i]) ? null : value[i], emit, inner, pieceChars);
    }
    emit(`\n${indent}]`);
    return;
  }
  let first = true;
  for (const [key, item] of Object.entries(value as object)) {
    if (isSkipped(item)) continue;
    emit(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    first = false;
    serializeIndented(item, emit, inner, pieceChars);
  }
  emit(first ? '{}' : `\n${indent}}`);
}

/** `JSON.stringify(value)`, walked like the indented form where a subtree is too large to be one piece. */
function serializeCompact(value: unknown, emit: (text: string) => void, pieceChars: number): void {
  if (value instanceof LazyJsonArray) {
    emit('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) emit(',');
      const item: unknown = value.at(i);
      serializeCompact(isSkipped(item) ? null : item, emit, pieceChars);
    }
    emit(']');
    return;
  }
  if (isLeaf(value) || charsLeft(value, pieceChars) >= 0) {
    emit(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    emit('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) emit(',');
      serializeCompact(isSkipped(value[i]) ? null : value[i], emit, pieceChars);
    }
    emit(']');
    return;
  }
  let first = true;
  for (const [key, item] of Object.entries(value as object)) {
    if (isSkipped(item)) continue;
    emit(`${first ? '{' : ','}${JSON.stringify(key)}:`);
    first = false;
    serializeCompact(item, emit, pieceChars);
  }
  emit(first ? '{}' : '}');
}

/** What JSON.stringify writes whole however it is walked: a primitive, or an object with `toJSON` (a date). */
function isLeaf(value: unknown): boolean {
  return value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * About how many of `budget` characters the compact text of `value` leaves (negative once past it),
 * looking no further than the budget: a large container is known to be large after a bounded look.
 */
function charsLeft(value: unknown, budget: number): number {
  // Never one piece (JSON.stringify would make every item at once), unless empty.
  if (value instanceof LazyJsonArray) return value.length === 0 ? budget - 2 : -1;
  if (isLeaf(value)) return budget - (typeof value === 'string' ? value.length + 2 : 24);
  if (Array.isArray(value)) {
    let left = budget - 2;
    for (let i = 0; i < value.length && left >= 0; i++) left = charsLeft(value[i], left - 1);
    return left;
  }
  let left = budget - 2;
  for (const key in value as object) {
    if (left < 0) break;
    if (Object.hasOwn(value as object, key)) left = charsLeft((value as Record<string, unknown>)[key], left - key.length - 4);
  }
  return left;
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
