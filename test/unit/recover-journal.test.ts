import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { recoverJournal } from '../../src/run/recover-journal.js';
import { makeRecord } from '../support/builders.js';

describe('recoverJournal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-journal-'));
    file = path.join(dir, 'results.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const line = (r: SampleRecord) => `${JSON.stringify(r)}\n`;
  const trial = (id: string, n: number) => Array.from({ length: n }, (_, i) => makeRecord({ trialId: id, numberResults: n, sampleIndex: i }));

  it('keeps whole trials, drops a torn last line and the samples of a trial cut short', async () => {
    const whole = trial('a', 2);
    const cut = trial('b', 3).slice(0, 2);
    writeFileSync(file, [...whole, ...cut].map(line).join('') + line(makeRecord({ trialId: 'b', numberResults: 3, sampleIndex: 2 })).slice(0, 40));
    const seen: SampleRecord[] = [];
    const recovered = await recoverJournal(file, (r) => seen.push(r));
    expect([...recovered.completeTrialIds]).toEqual(['a']);
    expect(recovered).toMatchObject({ keptSamples: 2, droppedLines: 3 });
    // The two recorded samples of the cut trial were paid for (0.001 each); the torn line is unreadable.
    expect(recovered.droppedCostUsd).toBeCloseTo(0.002, 12);
    expect(seen.map((r) => r.trialId)).toEqual(['a', 'a']);
    // The file now holds only what was kept, ending in a newline, ready for appending.
    expect(readFileSync(file, 'utf8')).toBe(whole.map(line).join(''));
  });

  it('keeps one copy of a sample written twice', async () => {
    const [first] = trial('a', 1);
    writeFileSync(file, line(first!) + line(first!));
    const recovered = await recoverJournal(file, () => {});
    expect(recovered).toMatchObject({ keptSamples: 1, droppedLines: 1, droppedCostUsd: 0 });
  });

  it('treats a missing journal as empty', async () => {
    expect(await recoverJournal(path.join(dir, 'none.jsonl'), () => {})).toEqual({ completeTrialIds: new Set(), keptSamples: 0, droppedLines: 0, droppedCostUsd: 0 });
  });
});
