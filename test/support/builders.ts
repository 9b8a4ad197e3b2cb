import { makeSampleView, type SampleView } from '../../src/assertions/assertion.js';
import type { LoadedCase } from '../../src/config/loaded-suite.js';
import type { SweepPoint, Trial } from '../../src/plan/trial.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import type { Counters, GroupSummary } from '../../src/results/group-summary.js';
import type { SequentialGroup, SequentialSummary } from '../../src/results/sequential-summary.js';
import type { ReceivedResult, TrialOutcome } from '../../src/run/execute-trial.js';

/** A completed sample as an assertion sees it. */
export function makeView(overrides: Partial<Omit<SampleView, 'json'>> = {}): SampleView {
  return makeSampleView({
    text: 'hello',
    toolCalls: [],
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 5, thinkingTokens: 20, totalTokens: 35 },
    costUsd: 0.001,
    latencyMs: 120,
    ...overrides,
  });
}

/** One line of results.jsonl. */
export function makeRecord(overrides: Partial<SampleRecord> = {}): SampleRecord {
  return {
    schemaVersion: 1,
    suite: 's',
    case: 'c1',
    model: 'openai-gpt-5-5',
    thinkingLevel: 'low',
    numberResults: 1,
    repeat: 0,
    trialId: 't1',
    sampleIndex: 0,
    status: 'completed',
    pass: true,
    text: 'ok',
    toolCalls: [],
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 5, thinkingTokens: 20, totalTokens: 35 },
    costUsd: 0.001,
    costSource: 'api',
    latencyMs: 100,
    deliveryMethod: 'sync',
    timeToFirstTokenMs: null,
    timeToFirstTextMs: null,
    queueMs: 0,
    backoffMs: 0,
    attempts: 1,
    assertions: [],
    error: null,
    ...overrides,
  };
}

/** An errored line of results.jsonl. */
export function makeErroredRecord(overrides: Partial<SampleRecord> = {}): SampleRecord {
  return makeRecord({
    status: 'errored', pass: null, text: null, toolCalls: null, finishReason: null, usage: null, costUsd: null, costSource: null,
    error: { code: 'SERVER_ERROR', message: 'boom' }, ...overrides,
  });
}

export function makeCase(overrides: Partial<LoadedCase> = {}): LoadedCase {
  return { id: 'c1', tags: [], messages: [{ role: 'user', content: 'hi' }], maxTokens: 100, thinkingLevels: ['low'], assertions: [], ...overrides };
}

export function makeTrial(overrides: Omit<Partial<Trial>, 'setting'> & { setting?: Partial<SweepPoint> } = {}): Trial {
  const setting: SweepPoint = { model: 'openai-gpt-5-5', air: 'openai:gpt@5.5', thinkingLevel: 'low', numberResults: 1, ...overrides.setting };
  const kase = overrides.case ?? makeCase();
  return {
    id: 't1',
    suite: 's',
    caseId: kase.id,
    repeat: 0,
    request: { model: setting.air, messages: kase.messages, maxTokens: kase.maxTokens, thinkingLevel: setting.thinkingLevel, numberResults: setting.numberResults, outputFormat: 'TEXT' },
    pricing: { price: { input: 5, output: 30 }, thinkingBilling: 'separate' },
    ...overrides,
    case: kase,
    setting,
  };
}

/** One result a provider returned (finishReason stop, small usage, the API's cost). */
export function makeProviderResult(overrides: Partial<ReceivedResult> = {}): ReceivedResult {
  return {
    text: 'ok',
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 5, thinkingTokens: 20, totalTokens: 35 },
    costUsd: 0.001,
    latencyMs: 100,
    ...overrides,
  };
}

/** How a trial ended after its attempts: by default one attempt, no results, no failure. */
export function makeTrialOutcome(overrides: Partial<TrialOutcome> = {}): TrialOutcome {
  return { results: [], attempts: 1, latencyMs: 100, backoffMs: 0, ...overrides };
}

/** The run's (or a group's) counters: by default 10 samples of 10 trials, 8 passed, 2 failed. */
export function makeCounters(overrides: Partial<Counters> = {}): Counters {
  return {
    trials: 10,
    retries: 0,
    samples: 10,
    passed: 8,
    failed: 2,
    errored: 0,
    passRate: 0.8,
    costUsd: 0.01,
    latencyMs: { p50: 100, p90: 100, p95: 100, p99: 100, max: 100 },
    timeToFirstTokenMs: null,
    timeToFirstTextMs: null,
    waits: { queueMs: { p50: 0, p95: 0, max: 0 }, backoffMs: { total: 0, max: 0 } },
    tokens: { prompt: 100, completion: 50, thinking: 200 },
    errorsByCode: {},
    ...overrides,
  };
}

/** One group of summary.json: by default suite `s` at openai-gpt-5-5 · low · n=1, 8/10 passed, threshold 0.8. */
export function makeGroup(overrides: Partial<GroupSummary> = {}): GroupSummary {
  return {
    suite: 's',
    model: 'openai-gpt-5-5',
    thinkingLevel: 'low',
    numberResults: 1,
    ...makeCounters(),
    deliveryMethods: ['sync'],
    tasksPerTrial: 1,
    threshold: 0.8,
    gated: true,
    passRateCi95: [0.49, 0.94],
    effectiveSamples: 10,
    icc: 0,
    costPerSampleUsd: 0.001,
    costPer1kRequestsUsd: 1,
    costFromPriceTable: 0,
    costMismatchSamples: 0,
    meanThinkingTokens: 20,
    cases: 10,
    flakyCases: 0,
    failingCases: 2,
    passAtK: [0.8],
    passHatK: [0.8],
    latencyHistogram: { edgesMs: [100, 101], counts: [10] },
    ...overrides,
  };
}

/**
 * One setting of summary.json `sequential`: by default suite `s` at openai-gpt-5-5 · low · n=1, gated,
 * threshold 0.8, decided above it after 46 of 150 cases (e 22.4 against 20), 104 samples saved, the other 46 sent.
 */
export function makeSequentialGroup(overrides: Partial<SequentialGroup> = {}): SequentialGroup {
  const group: Omit<SequentialGroup, 'sentSamples'> = {
    suite: 's',
    model: 'openai-gpt-5-5',
    thinkingLevel: 'low',
    numberResults: 1,
    gated: true,
    threshold: 0.8,
    plannedCases: 150,
    plannedSamples: 150,
    observedCases: 46,
    stoppedAtCase: 46,
    verdict: 'passes',
    thresholdTest: { decision: 'above', decidedAtCase: 46, level: 20, eValues: { above: 22.4, below: 1 }, pValues: { above: 1 / 22.4, below: 1 } },
    regressionTest: null,
    savedSamples: 104,
    savedCostUsd: 0.104,
    ...overrides,
  };
  // Sent: every planned sample its decision did not save, unless said otherwise.
  return { ...group, sentSamples: overrides.sentSamples ?? group.plannedSamples - group.savedSamples };
}

/** summary.json `sequential` over `groups`, its totals summed from them: seed 3, alpha 0.05, no baseline, undecided settings judged by their pass rate. */
export function makeSequentialSummary(groups: SequentialGroup[], overrides: Partial<Omit<SequentialSummary, 'groups' | 'totals'>> = {}): SequentialSummary {
  const plannedSamples = groups.reduce((n, g) => n + g.plannedSamples, 0);
  const savedSamples = groups.reduce((n, g) => n + g.savedSamples, 0);
  const costs = groups.map((g) => g.savedCostUsd);
  return {
    orderSeed: 3,
    alpha: 0.05,
    undecided: 'estimate',
    maxCases: null,
    baselineRunId: null,
    ...overrides,
    groups,
    totals: { plannedSamples, sentSamples: groups.reduce((n, g) => n + g.sentSamples, 0), savedSamples, savedCostUsd: costs.includes(null) ? null : costs.reduce((a, b) => a! + b!, 0) },
  };
}
