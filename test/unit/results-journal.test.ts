import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultsJournal } from '../../src/run/results-journal.js';
import { makeRecord } from '../support/builders.js';

describe('ResultsJournal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-journal-'));
    file = path.join(dir, 'results.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { trialId: string });

  it('writes the trials of one turn of the event loop together at its end, never later', async () => {
    const journal = ResultsJournal.open(file);
    journal.append([makeRecord({ trialId: 'a' }), makeRecord({ trialId: 'a', sampleIndex: 1 })]);
    journal.append([makeRecord({ trialId: 'b' })]);
    expect(readFileSync(file, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines().map((l) => l.trialId)).toEqual(['a', 'a', 'b']);
    journal.append([makeRecord({ trialId: 'c' })]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines().map((l) => l.trialId)).toEqual(['a', 'a', 'b', 'c']);
    journal.close();
  });

  it('writes what is pending when closed, and refuses records after', () => {
    const journal = ResultsJournal.open(file);
    journal.append([makeRecord({ trialId: 'a' })]);
    journal.close();
    expect(lines().map((l) => l.trialId)).toEqual(['a']);
    expect(() => journal.append([makeRecord()])).toThrow(/closed/);
  });

  it('appends to a journal that exists (a resumed run)', () => {
    const first = ResultsJournal.open(file);
    first.append([makeRecord({ trialId: 'a' })]);
    first.close();
    const second = ResultsJournal.open(file);
    second.append([makeRecord({ trialId: 'b' })]);
    second.close();
    expect(lines().map((l) => l.trialId)).toEqual(['a', 'b']);
  });
});
