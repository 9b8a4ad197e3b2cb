import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal, readJournalEntries, readJournalLine, type JournalEntry } from '../../src/results/read-journal.js';
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
    // ~3 MB: lines straddle the 256 KB chunks, and so do emoji and accented letters.
    const records = Array.from({ length: 6000 }, (_, i) => makeRecord({ trialId: `t${i}`, text: `${'é😀'.repeat(i % 97)}${'x'.repeat(300)}` }));
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const read = await readAll(file);
    expect(read.bad).toBe(0);
    expect(read.records).toEqual(records);
  });

  it('reads a line longer than several chunks, and lines that end exactly where a chunk does', async () => {
    const long = makeRecord({ trialId: 'long', text: `${'ü'.repeat(300_000)}😀${'y'.repeat(200_000)}` });
    const first = makeRecord({ trialId: 'first' });
    // Padding puts the newline after `first` on the last byte of the first 256 KB chunk.
    const fill = (1 << 18) - Buffer.byteLength(`${JSON.stringify(first)}\n${JSON.stringify(makeRecord({ trialId: 'padded', text: '' }))}\n`);
    const paddedToEdge = makeRecord({ trialId: 'padded', text: 'p'.repeat(fill) });
    const records = [first, paddedToEdge, long, makeRecord({ trialId: 'after' }), long, makeRecord({ trialId: 'last' })];
    const file = path.join(dir, 'results.jsonl');
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    expect(Buffer.from(text).indexOf('\n', Buffer.byteLength(`${JSON.stringify(first)}\n`))).toBe((1 << 18) - 1);
    writeFileSync(file, text);
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

  it('tells where each line is, so that readJournalLine reads the same record again, across chunks and CRLF', async () => {
    const records = Array.from({ length: 3000 }, (_, i) => makeRecord({ trialId: `t${i}`, text: `${'é😀'.repeat(i % 97)}${'x'.repeat(i % 500 === 7 ? 600_000 : 300)}` }));
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, records.map((r, i) => `${JSON.stringify(r)}${i % 5 === 0 ? '\r\n' : '\n'}${i % 11 === 0 ? '\n' : ''}`).join(''));
    let read = 0;
    for await (const { record, position, bytes } of readJournalEntries(file)) {
      expect(record).toEqual(records[read]);
      expect(readJournalLine(file, position, bytes)).toEqual(records[read]);
      read++;
    }
    expect(read).toBe(records.length);
  });

  it('says that the file changed when a line is no longer where it was read', async () => {
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, `${JSON.stringify(makeRecord({ trialId: 'a' }))}\n${JSON.stringify(makeRecord({ trialId: 'b' }))}\n`);
    const entries: JournalEntry[] = [];
    for await (const entry of readJournalEntries(file)) entries.push(entry);
    writeFileSync(file, 'x'.repeat(10));
    expect(() => readJournalLine(file, entries[1]!.position, entries[1]!.bytes)).toThrow(expect.objectContaining({ code: 'IO_ERROR', exitCode: 3, message: expect.stringContaining('changed') }));
  });

  it('has no records for a missing file', async () => {
    expect(await readAll(path.join(dir, 'missing.jsonl'))).toEqual({ records: [], bad: 0 });
  });

  it('reads a line an older evalgate wrote (no schemaVersion, no later fields) in today\'s shape', async () => {
    const { schemaVersion, deliveryMethod, toolCalls, costSource, timeToFirstTokenMs, timeToFirstTextMs, queueMs, backoffMs, attempts, ...old } = makeRecord({ trialId: 'old' });
    const { schemaVersion: _v, toolCalls: _t, queueMs: _q, ...oldErrored } = makeRecord({ trialId: 'old-err', sampleIndex: 1, status: 'errored', pass: null, text: null, toolCalls: null, error: { code: 'SERVER_ERROR', message: 'boom' } });
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, `${JSON.stringify(old)}\n${JSON.stringify(oldErrored)}\n`);
    const { records, bad } = await readAll(file);
    expect(bad).toBe(0);
    expect(records[0]).toEqual({ ...old, schemaVersion: 1, deliveryMethod: 'sync', toolCalls: [], costSource: null, timeToFirstTokenMs: null, timeToFirstTextMs: null, queueMs: 0, backoffMs: 0, attempts: 1 });
    expect(records[1]).toMatchObject({ schemaVersion: 1, toolCalls: null, queueMs: 0, status: 'errored' });
  });

  it('refuses a journal of a newer schema version, naming the file', async () => {
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, `${JSON.stringify({ ...makeRecord(), schemaVersion: 2 })}\n`);
    await expect(readAll(file)).rejects.toMatchObject({ code: 'USAGE', message: `${file} holds results.jsonl lines of schema version 2; this evalgate reads version 1` });
  });
});
