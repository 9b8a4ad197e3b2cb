import { isGatedSetting, type GateOn } from '../config/gate-on.js';
import type { ModelSpec } from '../config/model-table.js';
import { DELIVERY_METHODS } from '../core/runware-limits.js';
import { compareSettings, settingKey, settingOf, type Setting } from '../core/setting.js';
import { disagreesWithPriceTable } from '../cost/cost-disagreement.js';
import { effectiveSampleSize } from './intra-case-correlation.js';
import { logSpacedEdges } from './latency-histogram.js';
import { passCurves } from './pass-at-k.js';
import { SampleTally } from './sample-tally.js';
import type { CaseSummary, Counters, GroupSummary } from './group-summary.js';
import { sampleOrdinal, type AssertionOutcome, type SampleRecord } from '../core/sample-record.js';
import { wilsonInterval } from '../stats/wilson-interval.js';

interface CaseTally {
  passed: number;
  failed: number;
  errored: number;
  /** Samples whose judge verdicts split. */
  judgeUnsure: number;
  costUsd: number;
  costedSamples: number;
  /** Sum of ln(latency) over completed samples with a latency, for the case's geometric mean. */
  logLatencySum: number;
  timedSamples: number;
  firstFailure: AssertionOutcome | null;
  /** (repeat, sampleIndex) of the sample `firstFailure` came from, so the choice does not depend on arrival order. */
  firstFailureAt: number;
}

interface GroupTally {
  key: Setting;
  tally: SampleTally;
  cases: Map<string, CaseTally>;
}

/**
 * The `summarize` stage, streaming: sample records go in one at a time as they land; only counters,
 * bounded latency sketches and per-case tallies are kept, never the texts, so memory does not grow
 * with output size or (past a few thousand per group) with the number of samples.
 */
export class RunSummarizer {
  private readonly total = new SampleTally();
  private readonly groups = new Map<string, GroupTally>();

  /**
   * @param thresholdOf the minimum pass rate of a suite's groups.
   * @param pricingOf a model's price table entry, to find samples whose API cost disagrees with it.
   * @param gateOnOf which of a suite's settings the gate judges (null: every one).
   */
  constructor(
    private readonly thresholdOf: (suite: string) => number,
    private readonly pricingOf: (model: string) => Pick<ModelSpec, 'price' | 'thinkingBilling'> | undefined = () => undefined,
    private readonly gateOnOf: (suite: string) => GateOn | null | undefined = () => null,
  ) {}

  add(record: SampleRecord): void {
    const isCostMismatch = disagreesWithPriceTable(record, this.pricingOf(record.model));
    this.total.add(record);
    const id = settingKey(record);
    let group = this.groups.get(id);
    if (!group) {
      group = {
        key: settingOf(record),
        tally: new SampleTally(),
        cases: new Map(),
      };
      this.groups.set(id, group);
    }
    group.tally.add(record, isCostMismatch);
    let kase = group.cases.get(record.case);
    if (!kase) {
      kase = { passed: 0, failed: 0, errored: 0, judgeUnsure: 0, costUsd: 0, costedSamples: 0, logLatencySum: 0, timedSamples: 0, firstFailure: null, firstFailureAt: Infinity };
      group.cases.set(record.case, kase);
    }
    if (record.status !== 'errored' && record.costUsd !== null) {
      kase.costUsd += record.costUsd;
      kase.costedSamples++;
    }
    if (record.status !== 'errored' && record.latencyMs !== null && record.latencyMs > 0) {
      kase.logLatencySum += Math.log(record.latencyMs);
      kase.timedSamples++;
    }
    if (record.judge?.isUnsure) kase.judgeUnsure++;
    if (record.status === 'errored') kase.errored++;
    else if (record.pass) kase.passed++;
    else {
      kase.failed++;
      const at = sampleOrdinal(record);
      if (at < kase.firstFailureAt) {
        kase.firstFailureAt = at;
        kase.firstFailure = record.assertions.find((a) => !a.pass) ?? null;
      }
    }
  }

  totals(): Counters {
    return this.total.counters();
  }

  /** Groups and cases, in a stable order: suite, model, thinking level (none → xhigh), numberResults, case. */
  groupsAndCases(): { groups: GroupSummary[]; cases: CaseSummary[] } {
    const groups: GroupSummary[] = [];
    const cases: CaseSummary[] = [];
    const ordered = [...this.groups.values()].sort((a, b) => compareSettings(a.key, b.key));
    // One set of bins for every group of the run, so their distributions compare at a glance.
    const all = this.total.latencies;
    const edges = all.count > 0 ? logSpacedEdges(all.minMs, all.maxMs) : [];
    for (const { key, tally, cases: caseTallies } of ordered) {
      const caseIds = [...caseTallies.keys()].sort();
      const counters = tally.counters();
      const clusters = [...caseTallies.values()].map((c) => ({ passed: c.passed, n: c.passed + c.failed }));
      const { nEffective, icc } = effectiveSampleSize(clusters);
      const ci = counters.passRate === null ? undefined : wilsonInterval(counters.passRate * nEffective, nEffective);
      let flakyCases = 0;
      let failingCases = 0;
      const curves: { passAtK: number[]; passHatK: number[] }[] = [];
      for (const caseId of caseIds) {
        const c = caseTallies.get(caseId)!;
        const completed = c.passed + c.failed;
        const flaky = c.passed > 0 && c.failed > 0;
        if (flaky) flakyCases++;
        else if (c.failed > 0) failingCases++;
        const curve = passCurves(completed, c.passed);
        if (completed > 0) curves.push(curve);
        // Written out field by field: a spread followed by many fields makes V8 build a
        // dictionary-mode object, several KB each, and there is one per case and setting.
        cases.push({
          suite: key.suite,
          model: key.model,
          thinkingLevel: key.thinkingLevel,
          numberResults: key.numberResults,
          case: caseId,
          samples: completed + c.errored,
          passed: c.passed,
          failed: c.failed,
          errored: c.errored,
          passRate: completed > 0 ? c.passed / completed : null,
          costPerSampleUsd: c.costedSamples > 0 ? c.costUsd / c.costedSamples : null,
          latencyGeoMeanMs: c.timedSamples > 0 ? Math.exp(c.logLatencySum / c.timedSamples) : null,
          flaky,
          // Undefined (left out of summary.json) unless a judge was unsure: one shape for every case.
          judgeUnsure: c.judgeUnsure > 0 ? c.judgeUnsure : undefined,
          passAtK: curve.passAtK,
          passHatK: curve.passHatK,
          firstFailure: c.firstFailure,
        });
      }
      const deliveryMethods = DELIVERY_METHODS.filter((m) => tally.deliveryMethods.has(m));
      groups.push({
        ...key,
        ...counters,
        deliveryMethods,
        tasksPerTrial: deliveryMethods.includes('stream') ? key.numberResults : 1,
        threshold: this.thresholdOf(key.suite),
        gated: isGatedSetting(this.gateOnOf(key.suite), key),
        passRateCi95: ci ?? null,
        effectiveSamples: nEffective,
        icc,
        costPerSampleUsd: tally.costedSamples > 0 ? tally.costUsd / tally.costedSamples : null,
        costPerSampleCi95: tally.costPerSampleCi95(),
        costPer1kRequestsUsd: counters.trials > 0 ? (tally.costUsd / counters.trials) * 1000 : null,
        costFromPriceTable: tally.costFromPriceTable,
        costMismatchSamples: tally.costMismatches,
        meanThinkingTokens: tally.usageSamples > 0 ? tally.tokens.thinking / tally.usageSamples : null,
        cases: caseTallies.size,
        flakyCases,
        failingCases,
        ...meanCurves(curves),
        latencyHistogram: tally.latencies.histogram(edges),
      });
    }
    return { groups, cases };
  }
}

/** pass@k and pass^k of a group: the mean over its cases, for the k every case reaches. */
function meanCurves(curves: readonly { passAtK: number[]; passHatK: number[] }[]): { passAtK: number[]; passHatK: number[] } {
  if (curves.length === 0) return { passAtK: [], passHatK: [] };
  const ks = Math.min(...curves.map((c) => c.passAtK.length));
  const mean = (pick: (c: (typeof curves)[number]) => number[]) =>
    Array.from({ length: ks }, (_, k) => curves.reduce((sum, c) => sum + pick(c)[k]!, 0) / curves.length);
  return { passAtK: mean((c) => c.passAtK), passHatK: mean((c) => c.passHatK) };
}
