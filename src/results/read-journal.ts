import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SampleRecord } from './sample-record.js';

/**
 * The records of a results.jsonl, streamed one line at a time. Lines that are not a record (a torn
 * last line of a killed run) are skipped and counted through `onBadLine`. A missing file has none.
 */
export async function* readJournal(path: string, onBadLine: () => void = () => {}): AsyncGenerator<SampleRecord> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let record: SampleRecord;
    try {
      record = JSON.parse(line) as SampleRecord;
    } catch {
      onBadLine();
      continue;
    }
    if (typeof record.trialId !== 'string' || typeof record.sampleIndex !== 'number' || typeof record.numberResults !== 'number') {
      onBadLine();
      continue;
    }
    yield record;
  }
}
