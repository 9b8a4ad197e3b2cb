import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectCaseDetails, detailLimits, MAX_SAMPLES_PER_CASE, MAX_TEXT_CHARS, MIN_TEXT_CHARS, SAMPLE_BUDGET_BYTES, SMALL_RUN_CASES } from '../../src/results/collect-case-details.js';
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

  it("shares one cut prompt among the settings of a case that asked the same, and keeps a different one apart", async () => {
    const asked = { systemPrompt: 'Be brief.', messages: [{ role: 'user', content: `Question: ${'q'.repeat(40)}` }], vars: { i: 1 } };
    const other = { ...asked, vars: { i: 2 } };
    const records = [
      makeRecord({ case: 'a', thinkingLevel: 'low', trialId: 'a-low', prompt: asked }),
      makeRecord({ case: 'a', thinkingLevel: 'high', trialId: 'a-high', prompt: structuredClone(asked) }),
      makeRecord({ case: 'a', thinkingLevel: 'medium', trialId: 'a-medium', prompt: other }),
      makeRecord({ case: 'b', thinkingLevel: 'low', trialId: 'b-low', prompt: structuredClone(asked) }),
    ];
    const details = await collectCaseDetails(journal(records), { samplesFor: () => 1, charsPerSample: 20 });
    const prompt = (c: string, thinkingLevel: 'low' | 'medium' | 'high') => details.get(caseKey({ suite: 's', case: c, model: 'openai-gpt-5-5', thinkingLevel, numberResults: 1 }))!.prompt!;
    const cut = { ...asked, messages: [{ role: 'user', content: `Question: ${'q'.repeat(10)}… (30 more characters in results.jsonl)` }] };
    expect(prompt('a', 'low')).toEqual(cut);
    expect(prompt('a', 'high')).toBe(prompt('a', 'low'));
    expect(prompt('a', 'medium')).toEqual({ ...cut, vars: { i: 2 } });
    expect(prompt('b', 'low')).toEqual(cut);
    expect(prompt('b', 'low')).not.toBe(prompt('a', 'low'));
  });

  it('starts every detail with one shared, frozen empty list, and gives a detail its own list when something is kept', async () => {
    const records = [
      makeRecord({ case: 'a', trialId: 'a' }),
      makeRecord({ case: 'b', trialId: 'b' }),
      makeRecord({ case: 'c', trialId: 'c', pass: false, assertions: fail }),
    ];
    const details = await collectCaseDetails(journal(records), { samplesFor: () => 0, charsPerSample: 20 });
    const of = (c: string) => details.get(caseKey({ suite: 's', case: c, model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 1 }))!;
    expect(of('a').failures).toBe(of('b').errors);
    expect(of('a').samples).toBe(of('b').failures);
    expect(Object.isFrozen(of('a').failures)).toBe(true);
    expect(of('c').failures).toEqual([fail[0]]);
    expect(of('a').failures).toEqual([]);
    const kept = await collectCaseDetails(journal(records), { samplesFor: () => 1, charsPerSample: 20 });
    expect(kept.get(caseKey({ suite: 's', case: 'a', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 1 }))!.samples).toHaveLength(1);
  });

  it('keeps where a sample is, not the sample: it is read from results.jsonl when its detail is asked for', async () => {
    const file = journal([makeRecord({ trialId: 'f', pass: false, assertions: fail, text: 'z'.repeat(50) }), makeRecord({ trialId: 'p' })]);
    const details = await collectCaseDetails(file, { samplesFor: () => 2, charsPerSample: 20 });
    const detail = details.get(caseKey(makeRecord({})))!;
    expect(detail.samples.map((s) => [s.pass, s.text])).toEqual([[false, 'z'.repeat(20)], [true, 'ok']]);
    expect(detail.samples).not.toBe(detail.samples);
    writeFileSync(file, '');
    expect(() => detail.samples).toThrow(/changed while its reports were written/);
    expect(detail.failures).toEqual([fail[0]]);
  });

  it('finds every detail by its caseKey, a case id holding the separator too, and nothing for a key it has not seen', async () => {
    const records = [
      makeRecord({ case: 'a', trialId: 'a', latencyMs: 1 }),
      makeRecord({ case: 'a', thinkingLevel: 'high', trialId: 'a-high', latencyMs: 2 }),
      makeRecord({ case: 'x\u0000y', trialId: 'odd', latencyMs: 3 }),
      makeRecord({ case: 'y', suite: 's\u0000openai-gpt-5-5\u0000low\u00001\u0000x', trialId: 'odder', latencyMs: 4 }),
    ];
    const details = await collectCaseDetails(journal(records), { samplesFor: () => 0, charsPerSample: 20 });
    expect(records.map((r) => details.get(caseKey(r))?.totalLatencyMs)).toEqual([1, 2, 3, 4]);
    expect(details.get(caseKey({ ...records[0]!, case: 'b' }))).toBeUndefined();
    expect(details.get('no separator')).toBeUndefined();
  });

  it('holds a small run\'s samples themselves (detailLimits says so), and reads a larger one\'s again', async () => {
    const records = [makeRecord({ trialId: 'f', pass: false, assertions: fail, text: 'z'.repeat(50) })];
    const small = detailLimits([{ suite: 's', case: 'c', model: 'm', thinkingLevel: 'low', numberResults: 1, failed: 1, errored: 0 }]);
    expect(small.samplesInMemory).toBe(true);
    const file = journal(records);
    const details = await collectCaseDetails(file, small);
    writeFileSync(file, '');
    expect(details.get(caseKey(records[0]!))!.samples.map((s) => s.text)).toEqual(['z'.repeat(50)]);
    const large = detailLimits(Array.from({ length: SMALL_RUN_CASES + 1 }, (_, i) => ({ suite: 's', case: `c${i}`, model: 'm', thinkingLevel: 'low' as const, numberResults: 1, failed: 0, errored: 0 })));
    expect(large.samplesInMemory).toBe(false);
  });
});
