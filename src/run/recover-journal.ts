import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
import { readJournal } from '../results/read-journal.js';
import type { SampleRecord } from '../core/sample-record.js';

/** What a killed run left in its journal. */
export interface RecoveredJournal {
  /** Trials whose every sample is recorded. */
  completeTrialIds: Set<string>;
  /** Samples kept (those of complete trials). */
  keptSamples: number;
  /** Lines dropped: a torn last line, and the samples of trials that were cut short. */
  droppedLines: number;
  /** What the dropped samples of cut-short trials cost: paid for, though their trials are sent again. */
  droppedCostUsd: number;
}

/**
 * Reads the journal of an interrupted run, keeps the trials recorded whole, and hands each of their
 * samples to `onRecord`. A torn last line (a write cut by SIGKILL) and the lines of a trial whose
 * samples were not all written are removed from the file, so that the resumed run appends cleanly
 * and no sample is counted twice. Streams the file twice; never holds it in memory.
 */
export async function recoverJournal(path: string, onRecord: (record: SampleRecord) => void): Promise<RecoveredJournal> {
  if (!existsSync(path)) return { completeTrialIds: new Set(), keptSamples: 0, droppedLines: 0, droppedCostUsd: 0 };

  const seen = new Map<string, { expected: number; indexes: Set<number> }>();
  let badLines = 0;
  for await (const record of readJournal(path, () => badLines++)) {
    const trial = seen.get(record.trialId) ?? { expected: record.numberResults, indexes: new Set<number>() };
    trial.indexes.add(record.sampleIndex);
    seen.set(record.trialId, trial);
  }
  const completeTrialIds = new Set([...seen].filter(([, t]) => t.indexes.size === t.expected).map(([id]) => id));

  const cleaned = `${path}.recovering`;
  const fd = openSync(cleaned, 'w');
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) writeSync(fd, pending.join(''));
    pending = [];
  };
  let keptSamples = 0;
  let droppedLines = badLines;
  let droppedCostUsd = 0;
  const written = new Set<string>();
  for await (const record of readJournal(path)) {
    const key = `${record.trialId}/${record.sampleIndex}`;
    if (!completeTrialIds.has(record.trialId) || written.has(key)) {
      droppedLines++;
      if (!completeTrialIds.has(record.trialId)) droppedCostUsd += record.costUsd ?? 0;
      continue;
    }
    written.add(key);
    keptSamples++;
    onRecord(record);
    pending.push(`${JSON.stringify(record)}\n`);
    if (pending.length >= 1000) flush();
  }
  flush();
  closeSync(fd);
  renameSync(cleaned, path);
  return { completeTrialIds, keptSamples, droppedLines, droppedCostUsd };
}
