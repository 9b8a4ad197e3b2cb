import { describe, expect, it } from 'vitest';
import { GateSchema } from '../../src/config/config-schema.js';
import { MATCH_BY_SUITE } from '../../src/core/setting.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { compareCases } from '../../src/results/compare-cases.js';
import { compareRuns } from '../../src/gate/judge-comparison.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import { makeRecord } from '../support/builders.js';

/** A run of 20 one-sample cases at one setting, case i passing when `passes(i)`. */
function run(overrides: Partial<SampleRecord>, passes: (i: number) => boolean, runId: string) {
  const summarizer = new RunSummarizer(() => 0);
  for (let i = 0; i < 20; i++) summarizer.add(makeRecord({ case: `c${i}`, trialId: `t${i}`, pass: passes(i), ...overrides }));
  return { runId, ...summarizer.groupsAndCases() };
}

describe('comparing by suite (compare --by suite)', () => {
  const policy = GateSchema.parse({});
  const low = run({ thinkingLevel: 'low' }, () => true, 'A');
  const high = run({ thinkingLevel: 'high', model: 'deepseek-v4-flash' }, (i) => i >= 8, 'B');

  it('pairs the one setting of each suite with the other run\'s, keeping the real settings', () => {
    const comparison = compareRuns(low, high, policy, MATCH_BY_SUITE);
    expect(comparison.groups).toHaveLength(1);
    expect(comparison.groups[0]).toMatchObject({ suite: 's', model: 'deepseek-v4-flash', thinkingLevel: 'high', numberResults: 1, pairedCases: 20, verdict: 'worse' });
    expect(comparison.addedGroups).toEqual([]);
    expect(comparison.removedGroups).toEqual([]);
  });

  it('pairs nothing by setting, where the settings differ', () => {
    const comparison = compareRuns(low, high, policy);
    expect(comparison.groups).toEqual([]);
    expect(comparison.addedGroups).toEqual(['s · deepseek-v4-flash · high · n=1']);
    expect(comparison.removedGroups).toEqual(['s · openai-gpt-5-5 · low · n=1']);
  });

  it('pairs each case across the two settings', () => {
    const cases = compareCases(low.cases, high.cases, 0.05, MATCH_BY_SUITE);
    expect(cases).toHaveLength(20);
    expect(cases.filter((c) => c.before.passed === 1 && c.after.passed === 0)).toHaveLength(8);
    expect(compareCases(low.cases, high.cases, 0.05)).toEqual([]);
  });
});
