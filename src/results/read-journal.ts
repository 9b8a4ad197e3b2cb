import { closeSync, createReadStream, existsSync, openSync, readSync } from 'node:fs';
import { EvalgateError, ExitCode } from '../core/evalgate-error.js';
import { RESULT_LINE_SCHEMA_VERSION, type SampleRecord } from '../core/sample-record.js';

/**
 * The records of a results.jsonl, streamed in chunks of {@link CHUNK_BYTES} and split into lines here,
 * on the raw bytes (a newline byte never occurs inside a UTF-8 character), each line decoded on its
 * own; this is several times faster than node:readline on files of this shape. Only a line split
 * between two chunks is copied (its two parts joined), never a whole chunk: reading 86 MB allocates
 * little beyond the chunks themselves. Lines that are not a record (a torn last line of a killed run)
 * are skipped and counted through `onBadLine`. A missing file has none.
 * Lines of an older evalgate are normalised to today's shape (normalizeRecord); a line of a newer
 * schema version than this evalgate reads is an error naming the file, not a guess.
 */
export async function* readJournal(path: string, onBadLine: () => void = () => {}): AsyncGenerator<SampleRecord> {
  for await (const entry of readJournalEntries(path, onBadLine)) yield entry.record;
}

/** A record of a results.jsonl and where its line is in the file. */
export interface JournalEntry {
  record: SampleRecord;
  /** The byte offset of its line in the file. */
  position: number;
  /** The bytes of its line, without the newline. */
  bytes: number;
}

/** {@link readJournal}, each record with where its line is: {@link readJournalLine} reads it again from there. */
export async function* readJournalEntries(path: string, onBadLine: () => void = () => {}): AsyncGenerator<JournalEntry> {
  if (!existsSync(path)) return;
  // The start of a line the previous chunks ended in, without its end yet, and where it began.
  let rest: Buffer[] = [];
  let restPosition = 0;
  // The file offset of the current chunk.
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    if (end === -1) {
      if (rest.length === 0) restPosition = offset;
      rest.push(chunk);
      offset += chunk.length;
      continue;
    }
    if (rest.length > 0) {
      rest.push(chunk.subarray(0, end));
      const line = Buffer.concat(rest);
      const record = parseLine(line.toString('utf8'), onBadLine, path);
      if (record) yield { record, position: restPosition, bytes: line.length };
      rest = [];
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    for (; end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const record = parseLine(chunk.toString('utf8', start, end), onBadLine, path);
      if (record) yield { record, position: offset + start, bytes: end - start };
      start = end + 1;
    }
    if (start < chunk.length) {
      restPosition = offset + start;
      rest.push(chunk.subarray(start));
    }
    offset += chunk.length;
  }
  if (rest.length > 0) {
    const line = Buffer.concat(rest);
    const record = parseLine(line.toString('utf8'), onBadLine, path);
    if (record) yield { record, position: restPosition, bytes: line.length };
  }
}

/**
 * The record whose line {@link readJournalEntries} found at `position` (`bytes` long), read again from
 * the file: what the reports keep of a sample until they write it is where it is (collectCaseDetails).
 * The file must not have changed since.
 */
export function readJournalLine(path: string, position: number, bytes: number): SampleRecord {
  const buffer = Buffer.allocUnsafe(bytes);
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < bytes) {
      const n = readSync(fd, buffer, read, bytes - read, position + read);
      if (n === 0) break;
      read += n;
    }
    const record = read === bytes ? parseLine(buffer.toString('utf8'), () => {}, path) : undefined;
    if (!record) throw new EvalgateError('IO_ERROR', `${path} changed while its reports were written: no record at byte ${position}`, { exitCode: ExitCode.infrastructure, hint: 'write the reports again: evalgate report <run folder>' });
    return record;
  } finally {
    closeSync(fd);
  }
}

/** Bytes read at a time: large enough that reading costs no more than with 1 MB, small enough to hold little. */
const CHUNK_BYTES = 1 << 18;

const NEWLINE = 0x0a;

function parseLine(line: string, onBadLine: () => void, path: string): SampleRecord | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    onBadLine();
    return undefined;
  }
  const raw = value as Partial<Record<keyof SampleRecord, unknown>> | null;
  if (typeof raw !== 'object' || raw === null || typeof raw.trialId !== 'string' || typeof raw.sampleIndex !== 'number' || typeof raw.numberResults !== 'number') {
    onBadLine();
    return undefined;
  }
  if (raw.schemaVersion !== undefined && raw.schemaVersion !== RESULT_LINE_SCHEMA_VERSION) {
    throw new EvalgateError('USAGE', `${path} holds results.jsonl lines of schema version ${String(raw.schemaVersion)}; this evalgate reads version ${RESULT_LINE_SCHEMA_VERSION}`, {
      hint: 'read it with the evalgate version that wrote it (see its run.json), or upgrade evalgate',
    });
  }
  return normalizeRecord(raw as LegacyRecord);
}

/** A line as written before some fields existed: those are absent (their meaning then is the default below). */
type LegacyRecord = Omit<SampleRecord, LegacyField> & Partial<Pick<SampleRecord, LegacyField>>;
type LegacyField = 'schemaVersion' | 'deliveryMethod' | 'toolCalls' | 'costSource' | 'timeToFirstTokenMs' | 'timeToFirstTextMs' | 'queueMs' | 'backoffMs' | 'attempts';

/**
 * Today's shape of a line an older evalgate wrote: every sample was sync, waited for nothing
 * measured, took one attempt that evalgate knows of, and called no tool; where a cost's source was
 * not recorded it stays unknown (null). Lines of today's shape come back as they are.
 */
export function normalizeRecord(raw: LegacyRecord): SampleRecord {
  if (raw.schemaVersion === RESULT_LINE_SCHEMA_VERSION) return raw as SampleRecord;
  return {
    ...raw,
    schemaVersion: RESULT_LINE_SCHEMA_VERSION,
    deliveryMethod: raw.deliveryMethod ?? 'sync',
    toolCalls: raw.toolCalls !== undefined ? raw.toolCalls : raw.status === 'errored' ? null : [],
    costSource: raw.costSource ?? null,
    timeToFirstTokenMs: raw.timeToFirstTokenMs ?? null,
    timeToFirstTextMs: raw.timeToFirstTextMs ?? null,
    queueMs: raw.queueMs ?? 0,
    backoffMs: raw.backoffMs ?? 0,
    attempts: raw.attempts ?? 1,
  };
}
