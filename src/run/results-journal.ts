import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { EvalgateError } from '../core/evalgate-error.js';
import { ioError } from '../core/io-error.js';
import type { SampleRecord } from '../core/sample-record.js';

/** The file calls the journal makes: node:fs's, or a test's that fails on cue. */
export interface JournalFileSystem {
  openSync(path: string, flags: 'a'): number;
  writeSync(fd: number, text: string): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
}

const nodeFileSystem: JournalFileSystem = { openSync, writeSync, fsyncSync, closeSync };

/**
 * results.jsonl, the journal of a run: one complete JSON line per sample, appended as trials finish.
 * Lines of trials that finish in the same turn of the event loop go out in one write, at the end of
 * that turn (`setImmediate`), straight to the file: no buffer outlives the turn, so a killed run loses
 * at most the trials of its last turn and leaves at worst one torn last line, which readers skip. At
 * thousands of samples a second this is a few hundred writes a second instead of one per trial.
 *
 * A write that fails (a full disk, a folder gone read-only) never throws out of the event loop: the
 * journal keeps the failure as an IO_ERROR and throws it from the next `append` and from `close`, so
 * it ends the run through the CLI's error boundary. What was written stays as it is, to `--resume`.
 */
export class ResultsJournal {
  private fd: number | undefined;
  private pending: string[] = [];
  private flushScheduled = false;
  private failure: EvalgateError | undefined;

  private constructor(readonly path: string, fd: number, private readonly fs: JournalFileSystem) {
    this.fd = fd;
  }

  /** Opens the journal for appending, creating it if needed. */
  static open(path: string, fs: JournalFileSystem = nodeFileSystem): ResultsJournal {
    try {
      return new ResultsJournal(path, fs.openSync(path, 'a'), fs);
    } catch (error) {
      throw ioError(path, error, 'open', resumeHint(path));
    }
  }

  append(records: readonly SampleRecord[]): void {
    if (this.failure) throw this.failure;
    if (this.fd === undefined) throw new Error('results journal is closed');
    if (records.length === 0) return;
    for (const record of records) this.pending.push(`${JSON.stringify(record)}\n`);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what was appended and not yet written; a failure is kept, not thrown (see the class). */
  flush(): void {
    this.flushScheduled = false;
    if (this.fd === undefined || this.pending.length === 0 || this.failure) return;
    const text = this.pending.join('');
    this.pending = [];
    try {
      this.fs.writeSync(this.fd, text);
    } catch (error) {
      this.failure = ioError(this.path, error, 'write', resumeHint(this.path));
    }
  }

  /** Writes what is pending, flushes to disk and closes; throws the journal's failure, if it had one. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (!this.failure) this.fs.fsyncSync(fd);
    } catch (error) {
      this.failure = ioError(this.path, error, 'write', resumeHint(this.path));
    } finally {
      try {
        this.fs.closeSync(fd);
      } catch {
        // Closing after a failed write may fail too; the write's error is the one to report.
      }
    }
    if (this.failure) throw this.failure;
  }
}

function resumeHint(path: string): string {
  return `free space or fix the folder, then continue with: evalgate run --resume ${path.replace(/[/\\]results\.jsonl$/, '')}`;
}
