import { GateSchema } from '../../src/config/config-schema.js';
import { describe, expect, it } from 'vitest';
import { renderCaseComparison, renderComparison } from '../../src/cli/commands/compare-command.js';
import { compareCases } from '../../src/results/compare-cases.js';
import { compareRuns } from '../../src/gate/judge-comparison.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { makeRecord } from '../support/builders.js';

const POLICY = GateSchema.parse({ alpha: 0.05, minDrop: 0.02, maxDrop: null, maxCostIncrease: null, maxLatencyIncrease: null, minLatencyIncreaseMs: 0, caseMinSamples: 2 });

/** A run of `cases` cases × `k` samples where case i passes its first passes(i) samples. */
function run(cases: number, k: number, passes: (i: number) => number, overrides: Partial<SampleRecord> = {}) {
  const summarizer = new RunSummarizer(() => 0);
  for (let i = 0; i < cases; i++) {
    for (let s = 0; s < k; s++) summarizer.add(makeRecord({ case: `c${i}`, trialId: `t${i}`, numberResults: k, sampleIndex: s, pass: s < passes(i), ...overrides }));
  }
  return { runId: 'r', ...summarizer.groupsAndCases() };
}

const both = (...runs: ReturnType<typeof run>[]) => ({ runId: 'r', groups: runs.flatMap((r) => r.groups), cases: runs.flatMap((r) => r.cases) });

describe('compareCases', () => {
  it('puts shared cases side by side, changed first, with a verdict only where a case\'s own samples show it', () => {
    // c0: 8/8 → 0/8 (worse), c1: 0/8 → 8/8 (better), c2: 8/8 → 6/8 (changed, not significant), c3–c5 unchanged.
    const before = run(6, 8, (i) => (i === 1 ? 0 : 8));
    const after = run(6, 8, (i) => (i === 0 ? 0 : i === 2 ? 6 : 8));
    const rows = compareCases(before.cases, after.cases, 0.05);
    expect(rows.map((r) => [r.case, `${r.before.passed}/${r.before.completed}`, `${r.after.passed}/${r.after.completed}`, r.verdict])).toEqual([
      ['c0', '8/8', '0/8', 'worse'],
      ['c1', '0/8', '8/8', 'better'],
      ['c2', '8/8', '6/8', 'same'],
      ['c3', '8/8', '8/8', 'same'],
      ['c4', '8/8', '8/8', 'same'],
      ['c5', '8/8', '8/8', 'same'],
    ]);
    // Fisher one-sided for 8/8 vs 0/8 is 1/12870; Holm over 6 cases multiplies the smallest by 6.
    expect(rows[0]!.pAdjusted).toBeCloseTo(6 / 12870, 10);
    expect(rows[3]!.pAdjusted).toBe(1);
  });

  it('adjusts within each setting and leaves out cases one run did not complete or ran at another setting', () => {
    const before = both(run(2, 4, () => 4), run(2, 4, () => 4, { thinkingLevel: 'high' }));
    const after = both(run(3, 4, (i) => (i === 0 ? 0 : 4)), run(1, 4, () => 4, { thinkingLevel: 'medium' }));
    const rows = compareCases(before.cases, after.cases, 0.05);
    expect(rows.map((r) => `${r.case} ${r.thinkingLevel}`)).toEqual(['c0 low', 'c1 low']);
    // 4/4 → 0/4: Fisher p = 1/70, Holm over the 2 shared cases of the setting = 2/70 ≤ 0.05.
    expect(rows[0]).toMatchObject({ verdict: 'worse' });
    expect(rows[0]!.pAdjusted).toBeCloseTo(2 / 70, 12);
  });

  it('never calls a single-sample case significant', () => {
    const rows = compareCases(run(5, 1, () => 1).cases, run(5, 1, () => 0).cases, 0.05);
    expect(rows.every((r) => r.verdict === 'same')).toBe(true);
  });
});

describe('evalgate compare output', () => {
  it('caps the case rows with "and N more", counting the changed ones it left out', () => {
    const rows = compareCases(run(30, 2, () => 2).cases, run(30, 2, (i) => (i < 25 ? 0 : 2)).cases, 0.05);
    const text = renderCaseComparison(rows, new Map(), 20);
    expect(text).toContain('Cases in both runs: 30, 25 with a different pass rate');
    expect(text.match(/│ s\/c\d+ /g)).toHaveLength(20);
    expect(text).toContain('… and 10 more (5 of them changed); --all-cases lists every one');
    expect(renderCaseComparison(rows, new Map(), Infinity).match(/│ s\/c\d+ /g)).toHaveLength(30);
  });

  it('shows an improved setting\'s Holm-adjusted p, the one its verdict uses, not the unadjusted pRise', () => {
    const before = both(run(30, 1, () => 0), run(30, 1, () => 1, { thinkingLevel: 'high' }));
    const after = both(run(30, 1, (i) => (i < 10 ? 1 : 0)), run(30, 1, () => 1, { thinkingLevel: 'high' }));
    const comparison = compareRuns(before, after, POLICY);
    const improved = comparison.groups.find((g) => g.thinkingLevel === 'low')!;
    expect(improved).toMatchObject({ verdict: 'better' });
    expect(improved.pRise).toBeCloseTo(1 / 1024, 12);
    expect(improved.pRiseAdjusted).toBeCloseTo(2 / 1024, 12);
    const text = renderComparison(comparison, 'a', 'b', new Map());
    expect(text).toContain('p (one-sided, Holm)');
    expect(text).toMatch(/low · n=1 .*\+33\.3 .* 0\.0020 .*better/);
    expect(text).not.toContain('0.00098');
  });
});
