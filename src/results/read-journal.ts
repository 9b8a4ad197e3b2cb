import { createReadStream, existsSync } from 'node:fs';
import type { SampleRecord } from '../core/sample-record.js';

/**
 * The records of a results.jsonl, streamed in 1 MB chunks and split into lines here, on the raw
 * bytes (a newline byte never occurs inside a UTF-8 character), each line decoded on its own; this is
 * several times faster than node:readline on files of this shape. Lines that are not a record (a torn
 * last line of a killed run) are skipped and counted through `onBadLine`. A missing file has none.
 */
export async function* readJournal(path: string, onBadLine: () => void = () => {}): AsyncGenerator<SampleRecord> {
  if (!existsSync(path)) return;
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = rest ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const record = parseLine(bytes.toString('utf8', start, end), onBadLine);
      if (record) yield record;
      start = end + 1;
    }
    rest = start < bytes.length ? bytes.subarray(start) : undefined;
  }
  const record = rest ? parseLine(rest.toString('utf8'), onBadLine) : undefined;
  if (record) yield record;
}

const NEWLINE = 0x0a;

function parseLine(line: string, onBadLine: () => void): SampleRecord | undefined {
  if (line.trim() === '') return undefined;
  let record: SampleRecord;
  try {
    record = JSON.parse(line) as SampleRecord;
  } catch {
    onBadLine();
    return undefined;
  }
  if (typeof record !== 'object' || record === null || typeof record.trialId !== 'string' || typeof record.sampleIndex !== 'number' || typeof record.numberResults !== 'number') {
    onBadLine();
    return undefined;
  }
  return record;
}
