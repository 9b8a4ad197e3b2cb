import { compareSettings, settingKey, type Setting } from '../core/setting.js';
import type { GroupSummary } from '../results/group-summary.js';
import type { SequentialGroup, SequentialQuestion, SequentialSummary } from '../results/sequential-summary.js';
import type { SequentialRecord } from './sequential-monitor.js';

/**
 * A sequential run's decisions as its summary.json recorded them, for a run rebuilt from its folder
 * (`evalgate report`), or combined from the summaries of its shards (`evalgate merge`). Each shard
 * decided for its own cases at alpha ÷ shards, so the whole run may combine them by Bonferroni:
 * - a setting fails (below its threshold, or regressed) when any shard decided so; it passes a
 *   question only when every shard that ran it decided in its favour; otherwise it is undecided;
 * - a decision against it rests on the strongest shard's evidence, one in its favour on the weakest's
 *   (combineQuestion), held to the level a single run would use.
 * Counts (cases, samples saved) add up; the cost saved is priced again at the merged run's cost per sample.
 */
export function recordedSequential(summaries: readonly SequentialSummary[]): SequentialRecord {
  const first = summaries[0];
  if (!first) throw new RangeError('recordedSequential needs at least one summary');
  const shards = summaries.length;
  const bySetting = new Map<string, SequentialGroup[]>();
  for (const summary of summaries) {
    for (const g of summary.groups) bySetting.set(settingKey(g), [...(bySetting.get(settingKey(g)) ?? []), g]);
  }
  const combined = new Map([...bySetting].map(([key, groups]) => [key, combineGroups(groups, shards)]));
  return {
    summarize(runGroups: readonly GroupSummary[]): SequentialSummary {
      const costs = new Map(runGroups.map((g) => [settingKey(g), g.costPerSampleUsd]));
      const groups = [...combined.values()].sort(compareSettings).map((g) => {
        const cost = costs.get(settingKey(g)) ?? null;
        return { ...g, savedCostUsd: g.savedSamples === 0 ? 0 : cost !== null ? g.savedSamples * cost : null };
      });
      const plannedSamples = groups.reduce((s, g) => s + g.plannedSamples, 0);
      const sentSamples = groups.reduce((s, g) => s + g.sentSamples, 0);
      const savedSamples = groups.reduce((s, g) => s + g.savedSamples, 0);
      return {
        orderSeed: first.orderSeed,
        alpha: first.alpha * shards,
        undecided: first.undecided,
        maxCases: first.maxCases,
        baselineRunId: first.baselineRunId,
        ...(shards > 1 ? { shards } : {}),
        groups,
        totals: {
          plannedSamples,
          sentSamples,
          savedSamples,
          savedCostUsd: groups.every((g) => g.savedCostUsd !== null) ? groups.reduce((s, g) => s + (g.savedCostUsd ?? 0), 0) : null,
        },
      };
    },
    pDrop(setting: Setting): number | null {
      return combined.get(settingKey(setting))?.regressionTest?.pValues.regressed ?? null;
    },
  };
}

function combineGroups(groups: readonly SequentialGroup[], shards: number): SequentialGroup {
  const [first] = groups as [SequentialGroup, ...SequentialGroup[]];
  if (groups.length === 1 && shards === 1) return first;
  const sum = (f: (g: SequentialGroup) => number) => groups.reduce((s, g) => s + f(g), 0);
  const missing = groups.length < shards;
  const verdict = groups.some((g) => g.verdict === 'fails') ? 'fails' : !missing && groups.every((g) => g.verdict === 'passes') ? 'passes' : 'undecided';
  const regressions = groups.map((g) => g.regressionTest).filter((r): r is NonNullable<SequentialGroup['regressionTest']> => r !== null);
  const paired = regressions.reduce((s, r) => s + r.pairedCases, 0);
  return {
    ...first,
    plannedCases: sum((g) => g.plannedCases),
    plannedSamples: sum((g) => g.plannedSamples),
    sentSamples: sum((g) => g.sentSamples),
    observedCases: sum((g) => g.observedCases),
    stoppedAtCase: verdict === 'undecided' ? null : sum((g) => g.stoppedAtCase ?? g.observedCases),
    verdict,
    thresholdTest: combineQuestion(groups.map((g) => g.thresholdTest), 'below', shards, missing),
    regressionTest:
      regressions.length === 0
        ? null
        : {
            ...combineQuestion(regressions, 'regressed', shards, missing || regressions.length < groups.length),
            futilityDrop: Math.max(...regressions.map((r) => r.futilityDrop)),
            meanDrop: paired > 0 ? regressions.reduce((s, r) => s + (r.meanDrop ?? 0) * r.pairedCases, 0) / paired : null,
            pairedCases: paired,
          },
    savedSamples: sum((g) => g.savedSamples),
  };
}

/**
 * `failing`: the decision any one shard may take for all, so its evidence is the strongest shard's:
 * p = shards × the smallest p, e = the largest e ÷ shards (the largest of k e-values is at most their
 * sum, so this is an e-value too). The other decision needs every shard: its evidence is the weakest
 * shard's, p = shards × the largest p, e = the smallest e ÷ shards. Either way the e-value is held to
 * the level a single run would use (a shard's ÷ shards), so it reaches it exactly when the shards decided.
 */
function combineQuestion<D extends string>(questions: readonly SequentialQuestion<D>[], failing: D, shards: number, missing: boolean): SequentialQuestion<D> {
  const [first] = questions as [SequentialQuestion<D>, ...SequentialQuestion<D>[]];
  const directions = Object.keys(first.pValues) as D[];
  const other = directions.find((d) => d !== failing)!;
  const decision: D | null = questions.some((q) => q.decision === failing) ? failing : !missing && questions.every((q) => q.decision === other) ? other : null;
  const decided = questions.filter((q) => q.decidedAtCase !== null);
  // JSON writes an infinite e-value as null.
  const e = (q: SequentialQuestion<D>, d: D) => q.eValues[d] ?? Number.POSITIVE_INFINITY;
  const strongest = (d: D) => d === failing || !missing;
  return {
    decision,
    decidedAtCase: decision === null ? null : decided.reduce((s, q) => s + q.decidedAtCase!, 0),
    level: first.level / shards,
    eValues: Object.fromEntries(
      directions.map((d) => [d, d === failing ? Math.max(...questions.map((q) => e(q, d))) / shards : strongest(d) ? Math.min(...questions.map((q) => e(q, d))) / shards : 0]),
    ) as Record<D, number>,
    pValues: Object.fromEntries(
      directions.map((d) => [d, Math.min(1, shards * (d === failing ? Math.min(...questions.map((q) => q.pValues[d])) : strongest(d) ? Math.max(...questions.map((q) => q.pValues[d])) : 1))]),
    ) as Record<D, number>,
  };
}
