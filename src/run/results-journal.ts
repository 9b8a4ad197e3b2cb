import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { SampleRecord } from '../results/sample-record.js';

/**
 * results.jsonl, the journal of a run: one complete JSON line per sample, appended as trials finish.
 * A trial's lines go out in one write, straight to the file (no buffering in this process), so a
 * killed run leaves at worst one torn last line, which readers skip.
 */
export class ResultsJournal {
  private fd: number | undefined;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** Opens the journal for appending, creating it if needed. */
  static open(path: string): ResultsJournal {
    return new ResultsJournal(path, openSync(path, 'a'));
  }

  append(records: readonly SampleRecord[]): void {
    if (this.fd === undefined) throw new Error('results journal is closed');
    if (records.length === 0) return;
    writeSync(this.fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  /** Flushes to disk and closes. */
  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
