import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/results/read-journal.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { makeRecord } from '../support/builders.js';

async function readAll(file: string): Promise<{ records: SampleRecord[]; bad: number }> {
  let bad = 0;
  const records: SampleRecord[] = [];
  for await (const record of readJournal(file, () => bad++)) records.push(record);
  return { records, bad };
}

describe('readJournal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-read-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every line across chunk boundaries, multi-byte text intact, in order', async () => {
    // ~3 MB: lines straddle the 1 MB chunks, and so do emoji and accented letters.
    const records = Array.from({ length: 6000 }, (_, i) => makeRecord({ trialId: `t${i}`, text: `${'é😀'.repeat(i % 97)}${'x'.repeat(300)}` }));
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const read = await readAll(file);
    expect(read.bad).toBe(0);
    expect(read.records).toEqual(records);
  });

  it('skips blank lines, reads CRLF and a last line without a newline, and counts a torn line and foreign JSON as bad', async () => {
    const a = makeRecord({ trialId: 'a' });
    const b = makeRecord({ trialId: 'b' });
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, `${JSON.stringify(a)}\r\n\n  \n[1, 2]\nnull\n${JSON.stringify(b)}\n{"suite": "s", "to`);
    const read = await readAll(file);
    expect(read.records.map((r) => r.trialId)).toEqual(['a', 'b']);
    expect(read.bad).toBe(3);
    writeFileSync(file, JSON.stringify(a));
    expect((await readAll(file)).records).toEqual([a]);
  });

  it('has no records for a missing file', async () => {
    expect(await readAll(path.join(dir, 'missing.jsonl'))).toEqual({ records: [], bad: 0 });
  });
});
