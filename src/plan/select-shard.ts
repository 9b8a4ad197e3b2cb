import { EvalgateError } from '../core/evalgate-error.js';
import type { Trial } from './trial.js';

/** One of `count` parts of a plan, 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** Reads `--shard i/n`. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new EvalgateError('USAGE', `--shard must be i/n with 1 ≤ i ≤ n, got ${JSON.stringify(value)}`, { hint: 'e.g. --shard 2/3 runs the second of three parts' });
  }
  return { index, count };
}

/**
 * The trials of one shard: the plan sorted by trial id (a hash, so suites and settings spread evenly)
 * and dealt out in turn, so shards differ in size by at most one and every trial is in exactly one.
 * The same plan always gives the same shards.
 */
export function selectShard(trials: readonly Trial[], shard: Shard): Trial[] {
  const sorted = [...trials].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * The trials of one shard, dealt by whole case: every trial of a case (each setting, each repeat) in
 * the same shard, cases dealt in turn in the order of `trials`. A run that samples until decided
 * shards this way, so that each shard weighs whole cases in its own order.
 */
export function selectShardByCase(trials: readonly Trial[], shard: Shard): Trial[] {
  const caseIndex = new Map<string, number>();
  return trials.filter((t) => {
    const key = `${t.suite}\u0000${t.caseId}`;
    let index = caseIndex.get(key);
    if (index === undefined) caseIndex.set(key, (index = caseIndex.size));
    return index % shard.count === shard.index - 1;
  });
}
