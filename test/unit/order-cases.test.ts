import { describe, expect, it } from 'vitest';
import { orderTrialsByCase } from '../../src/plan/order-cases.js';
import { selectShardByCase } from '../../src/plan/select-shard.js';
import { makeCase, makeTrial } from '../support/builders.js';

const trials = ['a', 'b'].flatMap((suite) =>
  Array.from({ length: 30 }, (_, i) =>
    (['low', 'high'] as const).map((thinkingLevel) => makeTrial({ id: `${suite}-${i}-${thinkingLevel}`, suite, case: makeCase({ id: `c${i}` }), setting: { thinkingLevel } })),
  ).flat(),
);
const caseOrder = (ordered: readonly { suite: string; caseId: string }[]) => [...new Set(ordered.map((t) => `${t.suite}/${t.caseId}`))];

describe('orderTrialsByCase', () => {
  it("keeps every trial, each case's trials together and in plan order", () => {
    const ordered = orderTrialsByCase(trials, 1, null);
    expect(ordered).toHaveLength(trials.length);
    expect(new Set(ordered)).toEqual(new Set(trials));
    for (let i = 0; i < ordered.length; i += 2) {
      expect(ordered[i]!.caseId).toBe(ordered[i + 1]!.caseId);
      expect([ordered[i]!.setting.thinkingLevel, ordered[i + 1]!.setting.thinkingLevel]).toEqual(['low', 'high']);
    }
  });

  it('draws the same order for the same seed, another for another, and mixes the suites', () => {
    const one = caseOrder(orderTrialsByCase(trials, 1, null));
    expect(caseOrder(orderTrialsByCase(trials, 1, null))).toEqual(one);
    expect(caseOrder(orderTrialsByCase(trials, 2, null))).not.toEqual(one);
    expect(one).not.toEqual(caseOrder(trials));
    // Both suites appear among the first ten cases drawn.
    expect(new Set(one.slice(0, 10).map((c) => c.split('/')[0]))).toEqual(new Set(['a', 'b']));
  });

  it('adding a case does not move the others', () => {
    const more = [...trials, makeTrial({ id: 'a-new', suite: 'a', case: makeCase({ id: 'new' }) })];
    expect(caseOrder(orderTrialsByCase(more, 5, null)).filter((c) => c !== 'a/new')).toEqual(caseOrder(orderTrialsByCase(trials, 5, null)));
  });

  it('--max-cases keeps the first cases drawn of each suite', () => {
    const kept = orderTrialsByCase(trials, 3, 4);
    const cases = caseOrder(kept);
    expect(cases.filter((c) => c.startsWith('a/'))).toHaveLength(4);
    expect(cases.filter((c) => c.startsWith('b/'))).toHaveLength(4);
    expect(kept).toHaveLength(16);
    expect(cases).toEqual(caseOrder(orderTrialsByCase(trials, 3, null)).filter((c) => cases.includes(c)));
    expect(cases.filter((c) => c.startsWith('a/'))).toEqual(caseOrder(orderTrialsByCase(trials, 3, null)).filter((c) => c.startsWith('a/')).slice(0, 4));
  });
});

describe('selectShardByCase', () => {
  it('deals whole cases, every repeat and setting of a case in one shard, and every trial in exactly one shard', () => {
    const repeated = trials.flatMap((t) => [t, { ...t, id: `${t.id}-r1`, repeat: 1 }]);
    const ordered = orderTrialsByCase(repeated, 4, null);
    const shards = [1, 2, 3].map((index) => selectShardByCase(ordered, { index, count: 3 }));
    expect(shards.flat()).toHaveLength(repeated.length);
    expect(new Set(shards.flat().map((t) => t.id)).size).toBe(repeated.length);
    const owner = new Map<string, number>();
    shards.forEach((shard, i) => shard.forEach((t) => {
      const key = `${t.suite}/${t.caseId}`;
      expect(owner.get(key) ?? i).toBe(i);
      owner.set(key, i);
    }));
    // Cases dealt in turn: shard sizes differ by at most one case.
    const sizes = shards.map((s) => new Set(s.map((t) => `${t.suite}/${t.caseId}`)).size);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    // Each shard keeps the drawn order.
    expect(caseOrder(shards[0]!)).toEqual(caseOrder(ordered).filter((c) => caseOrder(shards[0]!).includes(c)));
  });
});
