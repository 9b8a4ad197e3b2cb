import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';

/** One async task a run submitted: which trial it belongs to, and how many results it asked for. */
export interface JournaledTask {
  trialId: string;
  taskUUID: string;
  numberResults: number;
}

/**
 * async-tasks.jsonl, beside results.jsonl: one line per `deliveryMethod: async` task, written (with
 * a synchronous write, so a SIGKILL right after cannot lose it) before the task's submission is sent.
 * A resumed run reads it back and polls getResponse for the tasks of its unfinished trials instead of
 * paying for them again; only a task Runware no longer knows is sent anew.
 */
export class AsyncTaskJournal {
  private fd: number | undefined;

  private constructor(readonly path: string) {}

  /** Opens the journal for appending; the file is created at the first task. */
  static open(path: string): AsyncTaskJournal {
    return new AsyncTaskJournal(path);
  }

  /** The tasks an earlier run journaled, per trial, in the order they were sent. A torn last line is skipped. */
  static read(path: string): Map<string, JournaledTask[]> {
    const byTrial = new Map<string, JournaledTask[]>();
    if (!existsSync(path)) return byTrial;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const task = parseLine(line);
      if (!task) continue;
      const list = byTrial.get(task.trialId) ?? [];
      list.push(task);
      byTrial.set(task.trialId, list);
    }
    return byTrial;
  }

  /** Records a task about to be submitted; returns once the line is written. */
  record(task: JournaledTask): void {
    this.fd ??= openSync(this.path, 'a');
    writeSync(this.fd, `${JSON.stringify(task)}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

function parseLine(line: string): JournaledTask | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as Partial<JournaledTask>;
    if (typeof value.trialId !== 'string' || typeof value.taskUUID !== 'string' || !Number.isInteger(value.numberResults)) return undefined;
    return { trialId: value.trialId, taskUUID: value.taskUUID, numberResults: value.numberResults! };
  } catch {
    return undefined;
  }
}
