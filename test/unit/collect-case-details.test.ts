import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectCaseDetails, detailLimits, MAX_SAMPLES_PER_CASE, MAX_TEXT_CHARS, MIN_TEXT_CHARS, SAMPLE_BUDGET_BYTES } from '../../src/results/collect-case-details.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { makeErroredRecord, makeRecord } from '../support/builders.js';
import { caseKey } from '../../src/core/setting.js';

describe('detailLimits', () => {
  const cases = (n: number, troubled: number) =>
    Array.from({ length: n }, (_, i) => ({ suite: 's', case: `c${i}`, model: 'm', thinkingLevel: 'low' as const, numberResults: 1, failed: i < troubled ? 1 : 0, errored: 0 }));
  const keyOf = (i: number) => caseKey({ suite: 's', case: `c${i}`, model: 'm', thinkingLevel: 'low', numberResults: 1 });

  it('keeps every sample of a small run whole', () => {
    const limits = detailLimits(cases(10, 2));
    expect(limits.samplesFor(keyOf(0))).toBe(MAX_SAMPLES_PER_CASE);
    expect(limits.samplesFor(keyOf(9))).toBe(MAX_SAMPLES_PER_CASE);
    expect(limits.charsPerSample).toBe(MAX_TEXT_CHARS);
  });

  it('in a large run keeps two samples of troubled cases and one of the rest, within the budget', () => {
    const limits = detailLimits(cases(5000, 100));
    expect(limits.samplesFor(keyOf(0))).toBe(2);
    expect(limits.samplesFor(keyOf(4999))).toBe(1);
    expect((2 * 100 + 4900) * (limits.charsPerSample + 450)).toBeLessThanOrEqual(SAMPLE_BUDGET_BYTES);
  });

  it('drops the samples of passing cases before those of troubled ones, and never cuts texts below the minimum', () => {
    const huge = detailLimits(cases(25_000, 1000));
    expect(huge.samplesFor(keyOf(0))).toBe(2);
    expect(huge.samplesFor(keyOf(24_999))).toBe(0);
    const allFailing = detailLimits(cases(40_000, 40_000));
    expect(allFailing.samplesFor(keyOf(0))).toBe(1);
    expect(allFailing.charsPerSample).toBe(MIN_TEXT_CHARS);
  });
});

describe('collectCaseDetails', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-details-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const journal = (records: SampleRecord[]) => {
    const file = path.join(dir, 'results.jsonl');
    writeFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return file;
  };
  const fail = [{ type: 'regex' as const, pass: false, message: 'no match' }];

  it('keeps failed, then errored, then the earliest passed samples, within the limit, texts cut', async () => {
    const records = [
      ...[0, 1, 2, 3].map((i) => makeRecord({ trialId: `p${i}`, repeat: i, text: 'y'.repeat(50) })),
      makeErroredRecord({ trialId: 'e', repeat: 6 }),
      makeRecord({ trialId: 'f2', repeat: 5, pass: false, assertions: fail, text: 'x'.repeat(50) }),
      makeRecord({ trialId: 'f1', repeat: 4, pass: false, assertions: fail, text: 'x'.repeat(50) }),
    ];
    const details = await collectCaseDetails(journal(records), { samplesFor: () => 4, charsPerSample: 20 });
    const detail = details.get(caseKey(records[0]!))!;
    expect(detail.samples.map((s) => [s.repeat, s.status, s.pass])).toEqual([[4, 'completed', false], [5, 'completed', false], [6, 'errored', null], [0, 'completed', true]]);
    expect(detail.samples[0]!.text).toBe('x'.repeat(20));
    expect(detail.samples[0]!.truncatedChars).toBe(30);
    expect(detail.failures).toEqual([fail[0]]);
    expect(detail.errors).toHaveLength(1);
  });
});
