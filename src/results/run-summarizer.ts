import type { ModelSpec } from '../config/model-table.js';
import { RUNWARE_LIMITS, THINKING_LEVELS, type ThinkingLevel } from '../config/runware-limits.js';
import { disagreesWithPriceTable } from '../cost/cost-disagreement.js';
import { effectiveSampleSize } from './intra-case-correlation.js';
import { summarizeLatency } from './percentile.js';
import type { CaseSummary, Counters, GroupSummary } from './run-summary.js';
import type { AssertionOutcome, SampleErrorCode, SampleRecord } from './sample-record.js';
import { wilsonInterval } from './wilson-interval.js';

class Tally {
  readonly trialIds = new Set<string>();
  /** Attempts beyond the first, counted once per trial. */
  retries = 0;
  samples = 0;
  passed = 0;
  failed = 0;
  errored = 0;
  costUsd = 0;
  costedSamples = 0;
  costFromPriceTable = 0;
  /** Samples whose API cost differs from the price table's by more than 1%. */
  costMismatches = 0;
  usageSamples = 0;
  readonly tokens = { prompt: 0, completion: 0, thinking: 0 };
  readonly latencies: number[] = [];
  readonly errorsByCode: Partial<Record<SampleErrorCode, number>> = {};

  add(record: SampleRecord, isCostMismatch = false): void {
    if (isCostMismatch) this.costMismatches++;
    if (!this.trialIds.has(record.trialId)) {
      this.trialIds.add(record.trialId);
      this.retries += record.attempts - 1;
    }
    this.samples++;
    if (record.status === 'errored') {
      this.errored++;
      const code = record.error?.code ?? 'UNKNOWN_ERROR';
      this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
      return;
    }
    if (record.pass) this.passed++;
    else this.failed++;
    if (record.costUsd !== null) {
      this.costUsd += record.costUsd;
      this.costedSamples++;
      if (record.costSource === 'priceTable') this.costFromPriceTable++;
    }
    if (record.usage) {
      this.usageSamples++;
      this.tokens.prompt += record.usage.promptTokens;
      this.tokens.completion += record.usage.completionTokens;
      this.tokens.thinking += record.usage.thinkingTokens;
    }
    if (record.latencyMs !== null) this.latencies.push(record.latencyMs);
  }

  counters(): Counters {
    const completed = this.passed + this.failed;
    return {
      trials: this.trialIds.size,
      retries: this.retries,
      samples: this.samples,
      passed: this.passed,
      failed: this.failed,
      errored: this.errored,
      passRate: completed > 0 ? this.passed / completed : null,
      costUsd: this.costUsd,
      latencyMs: summarizeLatency([...this.latencies]),
      tokens: { ...this.tokens },
      errorsByCode: { ...this.errorsByCode },
    };
  }
}

interface CaseTally {
  passed: number;
  failed: number;
  errored: number;
  firstFailure: AssertionOutcome | null;
  /** (repeat, sampleIndex) of the sample `firstFailure` came from, so the choice does not depend on arrival order. */
  firstFailureAt: number;
}

interface GroupTally {
  key: { suite: string; model: string; thinkingLevel: ThinkingLevel; numberResults: number };
  tally: Tally;
  cases: Map<string, CaseTally>;
}

/**
 * The `summarize` stage, streaming: sample records go in one at a time as they land; only counters,
 * latencies and per-case tallies are kept, never the texts, so memory does not grow with output size.
 */
export class RunSummarizer {
  private readonly total = new Tally();
  private readonly groups = new Map<string, GroupTally>();

  /**
   * @param thresholdOf the minimum pass rate of a suite's groups.
   * @param pricingOf a model's price table entry, to find samples whose API cost disagrees with it.
   */
  constructor(
    private readonly thresholdOf: (suite: string) => number,
    private readonly pricingOf: (model: string) => Pick<ModelSpec, 'price' | 'thinkingBilling'> | undefined = () => undefined,
  ) {}

  add(record: SampleRecord): void {
    const isCostMismatch = disagreesWithPriceTable(record, this.pricingOf(record.model));
    this.total.add(record);
    const id = `${record.suite}\u0000${record.model}\u0000${record.thinkingLevel}\u0000${record.numberResults}`;
    let group = this.groups.get(id);
    if (!group) {
      group = {
        key: { suite: record.suite, model: record.model, thinkingLevel: record.thinkingLevel, numberResults: record.numberResults },
        tally: new Tally(),
        cases: new Map(),
      };
      this.groups.set(id, group);
    }
    group.tally.add(record, isCostMismatch);
    let kase = group.cases.get(record.case);
    if (!kase) {
      kase = { passed: 0, failed: 0, errored: 0, firstFailure: null, firstFailureAt: Infinity };
      group.cases.set(record.case, kase);
    }
    if (record.status === 'errored') kase.errored++;
    else if (record.pass) kase.passed++;
    else {
      kase.failed++;
      const at = record.repeat * RUNWARE_LIMITS.numberResults.max + record.sampleIndex;
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
    for (const { key, tally, cases: caseTallies } of ordered) {
      const caseIds = [...caseTallies.keys()].sort();
      const counters = tally.counters();
      const clusters = [...caseTallies.values()].map((c) => ({ passed: c.passed, n: c.passed + c.failed }));
      const { nEffective, icc } = effectiveSampleSize(clusters);
      const ci = counters.passRate === null ? undefined : wilsonInterval(counters.passRate * nEffective, nEffective);
      let flakyCases = 0;
      let failingCases = 0;
      for (const caseId of caseIds) {
        const c = caseTallies.get(caseId)!;
        const completed = c.passed + c.failed;
        const flaky = c.passed > 0 && c.failed > 0;
        if (flaky) flakyCases++;
        else if (c.failed > 0) failingCases++;
        cases.push({
          ...key,
          case: caseId,
          samples: completed + c.errored,
          passed: c.passed,
          failed: c.failed,
          errored: c.errored,
          passRate: completed > 0 ? c.passed / completed : null,
          flaky,
          firstFailure: c.firstFailure,
        });
      }
      groups.push({
        ...key,
        ...counters,
        threshold: this.thresholdOf(key.suite),
        passRateCi95: ci ?? null,
        effectiveSamples: nEffective,
        icc,
        costPerSampleUsd: tally.costedSamples > 0 ? tally.costUsd / tally.costedSamples : null,
        costFromPriceTable: tally.costFromPriceTable,
        costMismatchSamples: tally.costMismatches,
        meanThinkingTokens: tally.usageSamples > 0 ? tally.tokens.thinking / tally.usageSamples : null,
        cases: caseTallies.size,
        flakyCases,
        failingCases,
      });
    }
    return { groups, cases };
  }
}

type SettingKey = GroupTally['key'];

/** Orders groups for reading: by suite, model, then effort from none to xhigh, then numberResults. */
export function compareSettings(a: SettingKey, b: SettingKey): number {
  return (
    a.suite.localeCompare(b.suite) ||
    a.model.localeCompare(b.model) ||
    THINKING_LEVELS.indexOf(a.thinkingLevel) - THINKING_LEVELS.indexOf(b.thinkingLevel) ||
    a.numberResults - b.numberResults
  );
}
