import { describe, expect, it } from 'vitest';
import type { ThinkingLevel } from '../../src/core/runware-limits.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { AssertionOutcome, SampleRecord } from '../../src/core/sample-record.js';
import { wilsonInterval, Z_95 } from '../../src/stats/wilson-interval.js';
import { makeErroredRecord, makeRecord } from '../support/builders.js';

const THRESHOLDS: Record<string, number> = { invoices: 0.9, chat: 0.5 };

function summarize(records: readonly SampleRecord[]) {
  const summarizer = new RunSummarizer((suite) => THRESHOLDS[suite] ?? 0.8);
  for (const record of records) summarizer.add(record);
  return { totals: summarizer.totals(), ...summarizer.groupsAndCases() };
}

/** `passes` of `n` completed samples of one case at one level: one trial, one record per sample. */
function caseRecords(kase: string, thinkingLevel: ThinkingLevel, n: number, passes: number, overrides: Partial<SampleRecord> = {}): SampleRecord[] {
  return Array.from({ length: n }, (_, i) =>
    makeRecord({
      suite: 'invoices',
      case: kase,
      thinkingLevel,
      numberResults: n,
      trialId: `${kase}-${thinkingLevel}`,
      sampleIndex: i,
      pass: i < passes,
      assertions: i < passes ? [] : [{ type: 'contains', pass: false, message: `sample ${i} missed` }],
      ...overrides,
    }),
  );
}

const failed = (message: string): AssertionOutcome => ({ type: 'regex', pass: false, message });
const passed = (message: string): AssertionOutcome => ({ type: 'contains', pass: true, message });

describe('RunSummarizer', () => {
  // Two groups of suite `invoices` (low and high, numberResults 4) and one of suite `chat`.
  // low: acme 4/4, globex 0/4, initech 3 errored. high: acme 2/4 (flaky), globex 4/4.
  const usage = (thinkingTokens: number) => ({ promptTokens: 100, completionTokens: 10, thinkingTokens, totalTokens: 110 + thinkingTokens });
  const low: SampleRecord[] = [
    ...caseRecords('acme', 'low', 4, 4).map((r, i) => ({ ...r, latencyMs: 10 * (i + 1), costUsd: 0.001, usage: usage(100) })),
    makeRecord({
      suite: 'invoices', case: 'globex', numberResults: 4, trialId: 'globex-low', sampleIndex: 0, pass: false, latencyMs: 50, costUsd: 0.003, costSource: 'priceTable', usage: usage(300),
      assertions: [passed('contains "total"'), failed('expected a match for /total/, got "nope"'), { type: 'tokens', pass: false, message: 'thinking 300 > max 200' }],
    }),
    ...[1, 2, 3].map((i) =>
      makeRecord({
        suite: 'invoices', case: 'globex', numberResults: 4, trialId: 'globex-low', sampleIndex: i, pass: false, latencyMs: 50 + 10 * i, costUsd: i === 3 ? null : 0.002, costSource: i === 3 ? null : 'api', usage: i === 3 ? null : usage(200),
        assertions: [failed(`later failure ${i}`)],
      }),
    ),
    ...[0, 1, 2].map((i) =>
      makeErroredRecord({
        suite: 'invoices', case: 'initech', numberResults: 4, trialId: 'initech-low', sampleIndex: i, latencyMs: 60_000,
        error: i < 2 ? { code: 'RATE_LIMITED', message: '429' } : { code: 'SERVER_ERROR', message: '500' },
      }),
    ),
  ];
  const high: SampleRecord[] = [
    makeRecord({ suite: 'invoices', case: 'acme', thinkingLevel: 'high', numberResults: 4, trialId: 'acme-high', sampleIndex: 0, pass: true }),
    makeRecord({ suite: 'invoices', case: 'acme', thinkingLevel: 'high', numberResults: 4, trialId: 'acme-high', sampleIndex: 1, pass: false, assertions: [failed('acme high first')] }),
    makeRecord({ suite: 'invoices', case: 'acme', thinkingLevel: 'high', numberResults: 4, trialId: 'acme-high', sampleIndex: 2, pass: false, assertions: [failed('acme high second')] }),
    makeRecord({ suite: 'invoices', case: 'acme', thinkingLevel: 'high', numberResults: 4, trialId: 'acme-high', sampleIndex: 3, pass: true }),
    ...caseRecords('globex', 'high', 4, 4),
  ];
  const chat = [makeRecord({ suite: 'chat', case: 'hello', trialId: 'hello-low', pass: true })];

  // High first, chat in the middle: the output order must not depend on arrival order.
  const run = summarize([...high, ...chat, ...low]);
  const group = (suite: string, level: ThinkingLevel) => run.groups.find((g) => g.suite === suite && g.thinkingLevel === level)!;

  it('counts samples, passes, failures and errors per group', () => {
    expect(group('invoices', 'low')).toMatchObject({ trials: 3, samples: 11, passed: 4, failed: 4, errored: 3, cases: 3, threshold: 0.9 });
    expect(group('invoices', 'high')).toMatchObject({ trials: 2, samples: 8, passed: 6, failed: 2, errored: 0, cases: 2 });
    expect(group('chat', 'low')).toMatchObject({ trials: 1, samples: 1, passed: 1, failed: 0, threshold: 0.5 });
  });

  it('counts an errored sample as neither passed nor failed', () => {
    expect(group('invoices', 'low').passRate).toBe(4 / 8);
    expect(run.totals.passRate).toBe(11 / 17);
  });

  it('adds the groups up into the totals', () => {
    expect(run.totals).toMatchObject({ trials: 6, samples: 20, passed: 11, failed: 6, errored: 3, errorsByCode: { RATE_LIMITED: 2, SERVER_ERROR: 1 } });
  });

  it('counts errors by code', () => {
    expect(group('invoices', 'low').errorsByCode).toEqual({ RATE_LIMITED: 2, SERVER_ERROR: 1 });
    expect(group('invoices', 'high').errorsByCode).toEqual({});
  });

  it('averages cost over the samples that had one, and counts those priced from the table', () => {
    const g = group('invoices', 'low');
    // 4 × 0.001 + 0.003 + 2 × 0.002 over 7 costed samples (one had no cost, errored ones have none).
    expect(g.costUsd).toBeCloseTo(0.011, 12);
    expect(g.costPerSampleUsd).toBeCloseTo(0.011 / 7, 12);
    expect(g.costFromPriceTable).toBe(1);
  });

  it('averages thinking tokens over the samples that reported usage', () => {
    // 4 × 100 + 300 + 2 × 200 over 7 samples with usage.
    expect(group('invoices', 'low').meanThinkingTokens).toBeCloseTo(1100 / 7, 12);
    expect(group('invoices', 'low').tokens).toEqual({ prompt: 700, completion: 70, thinking: 1100 });
  });

  it('takes latency percentiles by nearest rank over completed samples only', () => {
    // Completed: 10, 20, 30, 40, 50, 60, 70, 80; the errored 60 s requests are left out.
    expect(group('invoices', 'low').latencyMs).toEqual({ p50: 40, p90: 80, p95: 80, p99: 80, max: 80 });
  });

  it('lists cases with their counts, telling flaky cases from ones that fail every sample', () => {
    const lowCases = run.cases.filter((c) => c.suite === 'invoices' && c.thinkingLevel === 'low');
    expect(lowCases.map((c) => [c.case, c.samples, c.passed, c.failed, c.errored, c.passRate, c.flaky])).toEqual([
      ['acme', 4, 4, 0, 0, 1, false],
      ['globex', 4, 0, 4, 0, 0, false],
      ['initech', 3, 0, 0, 3, null, false],
    ]);
    expect(group('invoices', 'low')).toMatchObject({ flakyCases: 0, failingCases: 1 });
    const flaky = run.cases.find((c) => c.case === 'acme' && c.thinkingLevel === 'high')!;
    expect(flaky).toMatchObject({ passed: 2, failed: 2, passRate: 0.5, flaky: true });
    expect(group('invoices', 'high')).toMatchObject({ flakyCases: 1, failingCases: 0 });
  });

  it('keeps the first failed assertion of the first failed sample', () => {
    const globex = run.cases.find((c) => c.case === 'globex' && c.thinkingLevel === 'low')!;
    expect(globex.firstFailure).toEqual(failed('expected a match for /total/, got "nope"'));
    expect(run.cases.find((c) => c.case === 'acme' && c.thinkingLevel === 'high')!.firstFailure).toEqual(failed('acme high first'));
    expect(run.cases.find((c) => c.case === 'acme' && c.thinkingLevel === 'low')!.firstFailure).toBeNull();
  });

  it('orders groups by suite, model, then effort, and cases by id, whatever the arrival order', () => {
    expect(run.groups.map((g) => `${g.suite}/${g.thinkingLevel}`)).toEqual(['chat/low', 'invoices/low', 'invoices/high']);
    expect(run.cases.map((c) => `${c.suite}/${c.thinkingLevel}/${c.case}`)).toEqual([
      'chat/low/hello',
      'invoices/low/acme',
      'invoices/low/globex',
      'invoices/low/initech',
      'invoices/high/acme',
      'invoices/high/globex',
    ]);
  });

  it('orders thinking levels from none to xhigh, not alphabetically or by insertion', () => {
    const levels: ThinkingLevel[] = ['xhigh', 'medium', 'none', 'high', 'low'];
    const { groups } = summarize(levels.map((thinkingLevel) => makeRecord({ thinkingLevel, trialId: thinkingLevel })));
    expect(groups.map((g) => g.thinkingLevel)).toEqual(['none', 'low', 'medium', 'high', 'xhigh']);
  });

  it('orders by model, then numberResults', () => {
    const { groups } = summarize([
      makeRecord({ model: 'openai-gpt-5-5', numberResults: 4, trialId: 'a' }),
      makeRecord({ model: 'openai-gpt-5-5', numberResults: 2, trialId: 'b' }),
      makeRecord({ model: 'deepseek-v4-flash', numberResults: 4, trialId: 'c' }),
    ]);
    expect(groups.map((g) => `${g.model}/${g.numberResults}`)).toEqual(['deepseek-v4-flash/4', 'openai-gpt-5-5/2', 'openai-gpt-5-5/4']);
  });
});

describe('RunSummarizer pass-rate interval', () => {
  /** Wilson at 95%, written out from docs/statistics.md. */
  function wilsonByHand(p: number, n: number): [number, number] {
    const z2 = Z_95 * Z_95;
    const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const half = (Z_95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
    return [centre - half, centre + half];
  }

  it('uses the effective sample size: cases 4/4 and 0/4 → ICC 1, DEFF 4, n_eff 2', () => {
    const { groups } = summarize([...caseRecords('acme', 'low', 4, 4), ...caseRecords('globex', 'low', 4, 0)]);
    const g = groups[0]!;
    expect(g).toMatchObject({ passRate: 0.5, icc: 1, effectiveSamples: 2 });
    const [lo, hi] = wilsonByHand(0.5, 2);
    expect(g.passRateCi95![0]).toBeCloseTo(lo, 12);
    expect(g.passRateCi95![1]).toBeCloseTo(hi, 12);
    expect(g.passRateCi95).toEqual(wilsonInterval(1, 2));
    // Far wider than treating the 8 samples as independent.
    expect(g.passRateCi95![1] - g.passRateCi95![0]).toBeGreaterThan(wilsonInterval(4, 8)![1] - wilsonInterval(4, 8)![0]);
  });

  it('uses the effective sample size for partial correlation: cases 2/2, 0/2, 1/2 → ICC 0.5, DEFF 1.5, n_eff 4', () => {
    // One-way ANOVA by hand: p = 1/2; MSB = (2·¼ + 2·¼ + 0) / 2 = ½; MSW = (0 + 0 + 2·¼) / (6 − 3) = ⅙;
    // n0 = (6 − 12/6) / 2 = 2; ICC = (½ − ⅙) / (½ + ⅙) = ½; DEFF = 1 + (2 − 1)·½ = 1.5; n_eff = 6 / 1.5 = 4.
    const { groups } = summarize([...caseRecords('a', 'low', 2, 2), ...caseRecords('b', 'low', 2, 0), ...caseRecords('c', 'low', 2, 1)]);
    const g = groups[0]!;
    expect(g.icc).toBeCloseTo(0.5, 12);
    expect(g.effectiveSamples).toBeCloseTo(4, 12);
    const [lo, hi] = wilsonByHand(0.5, 4);
    expect(g.passRateCi95![0]).toBeCloseTo(lo, 12);
    expect(g.passRateCi95![1]).toBeCloseTo(hi, 12);
  });

  it('is plain Wilson with one sample per case', () => {
    const records = [true, true, true, false].map((pass, i) => makeRecord({ case: `c${i}`, trialId: `t${i}`, pass }));
    const g = summarize(records).groups[0]!;
    expect(g).toMatchObject({ effectiveSamples: 4, icc: 0 });
    expect(g.passRateCi95).toEqual(wilsonInterval(3, 4));
  });

  it('leaves errored samples out of the effective sample size', () => {
    const records = [...caseRecords('acme', 'low', 4, 4), ...caseRecords('globex', 'low', 4, 0), makeErroredRecord({ case: 'initech', numberResults: 4, trialId: 'x' })];
    const g = summarize(records).groups[0]!;
    expect(g.effectiveSamples).toBe(2);
    expect(g.passRateCi95).toEqual(wilsonInterval(1, 2));
  });

  it('has no pass rate and no interval for a group where every sample errored', () => {
    const records = [0, 1, 2].map((i) => makeErroredRecord({ trialId: `t${i}`, case: `c${i}` }));
    const { groups, cases } = summarize(records);
    expect(groups[0]).toMatchObject({
      samples: 3,
      passed: 0,
      failed: 0,
      errored: 3,
      passRate: null,
      passRateCi95: null,
      effectiveSamples: 0,
      costPerSampleUsd: null,
      meanThinkingTokens: null,
      latencyMs: { p50: null, p90: null, p95: null, p99: null, max: null },
      errorsByCode: { SERVER_ERROR: 3 },
      flakyCases: 0,
      failingCases: 0,
    });
    expect(cases.map((c) => c.passRate)).toEqual([null, null, null]);
  });
});

describe('RunSummarizer: the first failure of a case', () => {
  it('comes from the earliest sample (repeat, then index), whatever order samples arrive in', () => {
    const failing = (repeat: number, sampleIndex: number) =>
      makeRecord({ case: 'c', trialId: `t${repeat}`, repeat, sampleIndex, numberResults: 2, pass: false, assertions: [failed(`r${repeat}s${sampleIndex}`)] });
    const arrivals = [failing(1, 0), failing(0, 1), failing(1, 1), failing(0, 0)];
    for (const order of [arrivals, [...arrivals].reverse()]) {
      expect(summarize(order).cases[0]!.firstFailure).toEqual(failed('r0s0'));
    }
  });
});

describe('RunSummarizer: curves, waits, cost per 1,000 requests, latency histogram', () => {
  const records = [
    ...caseRecords('acme', 'low', 4, 2, { latencyMs: 100, queueMs: 5, backoffMs: 0, costUsd: 0.01 }),
    ...caseRecords('globex', 'low', 4, 4, { latencyMs: 1000, queueMs: 50, backoffMs: 1500, costUsd: 0.01 }),
  ];

  it('gives each case pass@k and pass^k for k = 1 … its completed samples', () => {
    const { cases } = summarize(records);
    const acme = cases.find((c) => c.case === 'acme')!;
    expect(acme.passAtK).toHaveLength(4);
    expect(acme.passAtK[0]).toBeCloseTo(0.5, 12);
    expect(acme.passAtK[1]).toBeCloseTo(1 - 1 / 6, 12); // 1 − C(2,2)/C(4,2)
    expect(acme.passHatK[1]).toBeCloseTo(1 / 6, 12); // C(2,2)/C(4,2)
    expect(cases.find((c) => c.case === 'globex')!.passHatK[3]).toBe(1);
  });

  it('averages the curves over the cases of a group', () => {
    const [group] = summarize(records).groups;
    expect(group!.passAtK[0]).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(group!.passHatK[3]).toBeCloseTo((0 + 1) / 2, 12);
  });

  it('reports waits per trial, apart from latency', () => {
    const { totals } = summarize(records);
    expect(totals.waits).toEqual({ queueMs: { p50: 5, p95: 50, max: 50 }, backoffMs: { total: 1500, max: 1500 } });
    expect(totals.latencyMs.max).toBe(1000);
  });

  it('prices 1,000 requests from the cost per trial', () => {
    const [group] = summarize(records).groups;
    // 8 samples at $0.01 over 2 trials: $0.04 a request.
    expect(group!.costPer1kRequestsUsd).toBeCloseTo(40, 10);
  });

  it('counts every completed latency into bins shared by the run', () => {
    const [group] = summarize(records).groups;
    const { edgesMs, counts } = group!.latencyHistogram;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(edgesMs[0]).toBeLessThanOrEqual(100);
    expect(edgesMs.at(-1)).toBeGreaterThanOrEqual(1000);
    expect(counts[0]).toBe(4);
    expect(counts.at(-1)).toBe(4);
  });
});

describe('RunSummarizer at scale', () => {
  it('counts each trial once (on its sample 0, whatever the arrival order) and keeps percentiles within 1% past the exact cap', () => {
    const summarizer = new RunSummarizer(() => 0.5);
    const latencies: number[] = [];
    // 3,000 trials of 4 samples, later samples first: 12,000 latencies from 1.0 ms to 12,000 ms.
    for (let t = 0; t < 3000; t++) {
      for (const sampleIndex of [3, 2, 1, 0]) {
        const latencyMs = latencies.length + 1;
        latencies.push(latencyMs);
        summarizer.add(makeRecord({ trialId: `t${t}`, numberResults: 4, sampleIndex, latencyMs, queueMs: t % 2 === 0 ? 0 : 40, attempts: 2 }));
      }
    }
    const totals = summarizer.totals();
    expect(totals).toMatchObject({ trials: 3000, retries: 3000, samples: 12_000 });
    expect(totals.latencyMs.max).toBe(12_000);
    for (const [q, exact] of [['p50', 6000], ['p95', 11_400], ['p99', 11_880]] as const) {
      expect(Math.abs(totals.latencyMs[q]! - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    expect(totals.waits.queueMs).toEqual({ p50: 0, p95: 40, max: 40 });
    const [group] = summarizer.groupsAndCases().groups;
    expect(group!.latencyHistogram.counts.reduce((a, b) => a + b, 0)).toBe(12_000);
  });
});

describe('RunSummarizer: the API cost against the price table', () => {
  const gpt = { price: { input: 5, output: 30 }, thinkingBilling: 'separate' as const };
  // 100 prompt + (10 completion + 90 thinking) output tokens: $0.0005 + $0.003 = $0.0035 by the table.
  const usage = { promptTokens: 100, completionTokens: 10, thinkingTokens: 90, totalTokens: 200 };

  it('counts per group the samples whose API cost differs from the table by more than 1%, and only those', () => {
    const summarizer = new RunSummarizer(() => 0.5, (model) => (model === 'openai-gpt-5-5' ? gpt : undefined));
    const records = [
      makeRecord({ trialId: 'a', usage, costUsd: 0.0035 }),
      makeRecord({ trialId: 'b', usage, costUsd: 0.0035 * 1.009 }),
      // completionTokens already included the thinking: the API billed 10 output tokens, not 100.
      makeRecord({ trialId: 'c', usage, costUsd: 0.0008 }),
      makeRecord({ trialId: 'd', usage, costUsd: 0.0035 * 1.02 }),
      makeRecord({ trialId: 'e', usage, costUsd: 0.0035, costSource: 'priceTable' }),
      makeRecord({ trialId: 'f', usage, costUsd: 0.5, model: 'unpriced-model' }),
      makeErroredRecord({ trialId: 'g' }),
    ];
    records.forEach((r) => summarizer.add(r));
    const { groups } = summarizer.groupsAndCases();
    expect(groups.find((g) => g.model === 'openai-gpt-5-5')!.costMismatchSamples).toBe(2);
    expect(groups.find((g) => g.model === 'unpriced-model')!.costMismatchSamples).toBe(0);
  });

  it('compares nothing without a price lookup', () => {
    const summarizer = new RunSummarizer(() => 0.5);
    summarizer.add(makeRecord({ usage, costUsd: 1 }));
    expect(summarizer.groupsAndCases().groups[0]!.costMismatchSamples).toBe(0);
  });
});
