import type { CaseDetail, SampleExcerpt } from '../../results/collect-case-details.js';
import { caseKey } from '../../results/collect-case-details.js';
import type { GateResult, GroupSummary, RunSummary } from '../../results/run-summary.js';
import { costNotes, projectionTitle, type CostNote } from '../render-cost-notes.js';

/** Everything report.html shows, embedded in it as JSON; built here, drawn by the page's own script. */
export interface ReportData {
  meta: {
    runId: string;
    provider: string;
    simulated: boolean;
    startedAt: string;
    finishedAt: string;
    interrupted: boolean;
    gate: GateResult;
    totals: RunSummary['totals'];
  };
  /** Spent against expected, price-table disagreements, and with `--traffic` the projection. */
  cost: { notes: CostNote[]; projection: (NonNullable<RunSummary['projection']> & { title: string }) | null };
  suites: RunSummary['config']['suites'];
  groups: Pick<
    GroupSummary,
    | 'suite' | 'model' | 'thinkingLevel' | 'numberResults' | 'threshold' | 'samples' | 'passed' | 'failed' | 'errored' | 'passRate'
    | 'passRateCi95' | 'costUsd' | 'costPerSampleUsd' | 'costPer1kRequestsUsd' | 'latencyMs' | 'meanThinkingTokens' | 'latencyHistogram' | 'passAtK' | 'passHatK'
  >[];
  cases: {
    suite: string;
    case: string;
    model: string;
    thinkingLevel: string;
    numberResults: number;
    passed: number;
    failed: number;
    errored: number;
    flaky: boolean;
    passAtK: number[];
    passHatK: number[];
    samples: SampleExcerpt[];
    /** Samples of this case not embedded (they are in results.jsonl). */
    omittedSamples: number;
  }[];
}

/** The most text the report embeds, in all; past it, each sample keeps less (the rest is in results.jsonl). */
const TEXT_BUDGET_CHARS = 12_000_000;
const MIN_TEXT_CHARS = 300;

/**
 * Picks what report.html embeds: every figure of the summary, and for drill-downs a bounded number of
 * samples per case, failed ones first, their texts cut so the file stays small at any run size.
 */
export function buildReportData(summary: RunSummary, details: ReadonlyMap<string, CaseDetail>): ReportData {
  const samplesPerCase = summary.cases.length > 2000 ? 2 : 8;
  const charsPerSample = Math.max(MIN_TEXT_CHARS, Math.min(4000, Math.floor(TEXT_BUDGET_CHARS / Math.max(1, summary.cases.length * samplesPerCase))));
  return {
    meta: {
      runId: summary.runId,
      provider: summary.provider,
      simulated: summary.simulated,
      startedAt: summary.startedAt,
      finishedAt: summary.finishedAt,
      interrupted: summary.interrupted,
      gate: summary.gate,
      totals: summary.totals,
    },
    cost: {
      notes: costNotes(summary),
      projection: summary.projection ? { ...summary.projection, title: projectionTitle(summary.projection) } : null,
    },
    suites: summary.config.suites,
    groups: summary.groups.map((g) => ({
      suite: g.suite, model: g.model, thinkingLevel: g.thinkingLevel, numberResults: g.numberResults, threshold: g.threshold,
      samples: g.samples, passed: g.passed, failed: g.failed, errored: g.errored, passRate: g.passRate, passRateCi95: g.passRateCi95,
      costUsd: g.costUsd, costPerSampleUsd: g.costPerSampleUsd, costPer1kRequestsUsd: g.costPer1kRequestsUsd, latencyMs: g.latencyMs,
      meanThinkingTokens: g.meanThinkingTokens, latencyHistogram: g.latencyHistogram, passAtK: g.passAtK, passHatK: g.passHatK,
    })),
    cases: summary.cases.map((c) => {
      const all = details.get(caseKey(c))?.samples ?? [];
      // Failed and errored samples are what a reader opens a case for: keep those first.
      const rank = (s: SampleExcerpt) => (s.status === 'errored' ? 1 : s.pass ? 2 : 0);
      const kept = [...all].sort((a, b) => rank(a) - rank(b)).slice(0, samplesPerCase).map((s) => cutText(s, charsPerSample));
      return {
        suite: c.suite, case: c.case, model: c.model, thinkingLevel: c.thinkingLevel, numberResults: c.numberResults,
        passed: c.passed, failed: c.failed, errored: c.errored, flaky: c.flaky, passAtK: c.passAtK, passHatK: c.passHatK,
        samples: kept,
        omittedSamples: c.samples - kept.length,
      };
    }),
  };
}

function cutText(sample: SampleExcerpt, max: number): SampleExcerpt {
  if (sample.text === null || sample.text.length <= max) return sample;
  return { ...sample, text: sample.text.slice(0, max), truncatedChars: sample.truncatedChars + sample.text.length - max };
}
