import { createHash } from 'node:crypto';
import type { Trial } from './trial.js';

/**
 * A case's place in the seeded random order of a sequential run: a hash of the seed, suite and case,
 * so the order is the same for the same seed whatever else the suites hold (adding a case does not
 * move the others), and unrelated to what the cases ask.
 */
export function caseRank(seed: number, suite: string, caseId: string): string {
  return createHash('sha256').update(`${seed}\u0000${suite}\u0000${caseId}`).digest('hex');
}

/**
 * The plan in case order: every trial of the first case drawn, then of the second, and so on (a case's
 * trials keep their plan order), with at most `maxCases` cases of each suite, the first drawn. Every
 * setting thus sees its cases in the same random order, and stopping early leaves a random sample of
 * the suite behind, not its last cases.
 */
export function orderTrialsByCase(trials: readonly Trial[], seed: number, maxCases: number | null): Trial[] {
  const ranks = new Map<string, string>();
  const rankOf = (t: Trial) => {
    const key = `${t.suite}\u0000${t.caseId}`;
    let rank = ranks.get(key);
    if (rank === undefined) ranks.set(key, (rank = caseRank(seed, t.suite, t.caseId)));
    return rank;
  };
  const ordered = trials.map((trial, index) => ({ trial, index, rank: rankOf(trial) })).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.index - b.index));
  if (maxCases === null) return ordered.map((o) => o.trial);
  const kept = new Map<string, Set<string>>();
  return ordered.flatMap(({ trial }) => {
    const cases = kept.get(trial.suite) ?? new Set<string>();
    kept.set(trial.suite, cases);
    if (!cases.has(trial.caseId)) {
      if (cases.size >= maxCases) return [];
      cases.add(trial.caseId);
    }
    return [trial];
  });
}
