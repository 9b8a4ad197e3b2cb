import type { ModelSpec } from '../config/model-table.js';
import type { ThinkingLevel } from '../core/runware-limits.js';
import type { SampleRecord } from '../core/sample-record.js';
import { StreamingDistribution } from '../stats/streaming-distribution.js';

/** What the history needs of a results.jsonl line. */
export type UsageRecord = Pick<SampleRecord, 'suite' | 'case' | 'model' | 'thinkingLevel' | 'status' | 'usage' | 'costUsd'>;

/** Where in the history a figure was learned, from the narrowest to the broadest. */
export type HistoryScope = 'case' | 'setting' | 'model';

/** Token use and cost per completed sample, over the samples of one scope. */
export interface UsageStats {
  scope: HistoryScope;
  completionTokens: StreamingDistribution;
  thinkingTokens: StreamingDistribution;
  /** Tokens billed at the output rate: completion, plus thinking when the model bills it on top. */
  outputTokens: StreamingDistribution;
  /** The cost recorded for the sample (the API's own figure, or the price table's when it sent none). */
  costUsd: StreamingDistribution;
  /** Prompt tokens as the API reported them. */
  promptTokens: StreamingDistribution;
}

/**
 * Token use learned from completed samples, per case (suite × case × model × thinkingLevel), per
 * setting (suite × model × thinkingLevel) and per model × thinkingLevel. `numberResults` is not in
 * the key: every result of a request is drawn alike. Bounded memory: case scopes keep moments only,
 * the broader ones a histogram for percentiles. Pure: records go in, nothing is read or written.
 */
export class UsageHistory {
  private readonly scopes = new Map<string, UsageStats>();
  private completed = 0;
  private readonly keepCases: boolean;

  /**
   * @param thinkingBillingOf how a model bills thinking tokens (`separate` when it is unknown).
   * @param options.cases keep the case scope (one set of moments per case and setting); a run's own
   *   measurement, which projects per setting only, leaves it out. @default true
   */
  constructor(
    private readonly thinkingBillingOf: (model: string) => ModelSpec['thinkingBilling'] | undefined = () => undefined,
    options: { cases?: boolean } = {},
  ) {
    this.keepCases = options.cases ?? true;
  }

  /** Learns from one sample; errored samples and samples without usage teach nothing. */
  add(record: UsageRecord): void {
    if (record.status !== 'completed' || !record.usage) return;
    this.completed++;
    const { completionTokens, thinkingTokens } = record.usage;
    const billing = this.thinkingBillingOf(record.model) ?? 'separate';
    const outputTokens = billing === 'separate' ? completionTokens + thinkingTokens : completionTokens;
    if (this.keepCases) this.learn(this.stats('case', caseKey(record.suite, record.case, record.model, record.thinkingLevel)), record, outputTokens);
    this.learn(this.stats('setting', settingKey(record.suite, record.model, record.thinkingLevel)), record, outputTokens);
    this.learn(this.stats('model', modelKey(record.model, record.thinkingLevel)), record, outputTokens);
  }

  /** Completed samples learned from. */
  get samples(): number {
    return this.completed;
  }

  forCase(suite: string, caseId: string, model: string, level: ThinkingLevel): UsageStats | undefined {
    return this.scopes.get(caseKey(suite, caseId, model, level));
  }

  forSetting(suite: string, model: string, level: ThinkingLevel): UsageStats | undefined {
    return this.scopes.get(settingKey(suite, model, level));
  }

  forModel(model: string, level: ThinkingLevel): UsageStats | undefined {
    return this.scopes.get(modelKey(model, level));
  }

  private learn(stats: UsageStats, record: UsageRecord, outputTokens: number): void {
    const usage = record.usage!;
    stats.completionTokens.add(usage.completionTokens);
    stats.thinkingTokens.add(usage.thinkingTokens);
    stats.outputTokens.add(outputTokens);
    stats.promptTokens.add(usage.promptTokens);
    if (record.costUsd !== null) stats.costUsd.add(record.costUsd);
  }

  private stats(scope: HistoryScope, key: string): UsageStats {
    let stats = this.scopes.get(key);
    if (!stats) {
      const withPercentiles = scope !== 'case';
      stats = {
        scope,
        completionTokens: new StreamingDistribution(withPercentiles),
        thinkingTokens: new StreamingDistribution(withPercentiles),
        outputTokens: new StreamingDistribution(withPercentiles),
        costUsd: new StreamingDistribution(withPercentiles),
        promptTokens: new StreamingDistribution(false),
      };
      this.scopes.set(key, stats);
    }
    return stats;
  }
}

const caseKey = (suite: string, caseId: string, model: string, level: string) => `case\u0000${suite}\u0000${caseId}\u0000${model}\u0000${level}`;
const settingKey = (suite: string, model: string, level: string) => `setting\u0000${suite}\u0000${model}\u0000${level}`;
const modelKey = (model: string, level: string) => `model\u0000${model}\u0000${level}`;
