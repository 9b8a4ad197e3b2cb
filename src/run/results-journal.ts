import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { SampleRecord } from '../core/sample-record.js';

/**
 * results.jsonl, the journal of a run: one complete JSON line per sample, appended as trials finish.
 * Lines of trials that finish in the same turn of the event loop go out in one write, at the end of
 * that turn (`setImmediate`), straight to the file: no buffer outlives the turn, so a killed run loses
 * at most the trials of its last turn and leaves at worst one torn last line, which readers skip. At
 * thousands of samples a second this is a few hundred writes a second instead of one per trial.
 */
export class ResultsJournal {
  private fd: number | undefined;
  private pending: string[] = [];
  private flushScheduled = false;

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
    for (const record of records) this.pending.push(`${JSON.stringify(record)}\n`);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what was appended and not yet written. */
  flush(): void {
    this.flushScheduled = false;
    if (this.fd === undefined || this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    writeSync(this.fd, text);
  }

  /** Writes what is pending, flushes to disk and closes. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
