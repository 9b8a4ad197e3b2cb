import type { CaseDetails, SampleExcerpt } from '../../results/collect-case-details.js';
import { belowThreshold } from '../threshold-verdict.js';
import type { SuiteRecommendation } from '../../results/recommend-settings.js';
import type { RunSummary } from '../../results/run-summary.js';
import type { CaseSummary, GroupSummary } from '../../results/group-summary.js';
import type { Comparison } from '../../results/compare-runs.js';
import { formatPercent } from '../../core/format-figures.js';
import type { TrialPrompt } from '../../core/sample-record.js';
import { costNotes, projectionTitle, type CostNote } from '../render-cost-notes.js';
import { placeholderNote } from '../placeholder-note.js';
import { settingsDetails, type SettingsDetails } from '../settings-details.js';
import { caseKey, settingKey, settingLabel } from '../../core/setting.js';
import { sequentialFacts } from '../sequential-facts.js';
import { LazyJsonArray } from '../../core/lazy-json-array.js';

/** Cases listed per suite under "Failing on every sample" and under "Flaky", before "and N more". */
export const LISTED_CASES = 25;
const FIRST_FAILURE_CHARS = 160;

/** Some of a suite's cases (indexes into `cases`), with how many more there are. */
export interface ListedCases {
  cases: { index: number; firstFailure: string | null }[];
  more: number;
}

/** Everything report.html shows, embedded in it as JSON; built here, drawn by the page's own script. */
export interface ReportData {
  meta: Pick<RunSummary, 'runId' | 'provider' | 'simulated' | 'startedAt' | 'finishedAt' | 'interrupted' | 'gate' | 'totals'>;
  /** Against `--baseline`: what was compared, the family, and per setting its change, test and power; null without one. */
  comparison: {
    baselineRunId: string;
    summary: string;
    settings: { label: string; gated: boolean; change: string; p: number; verdict: string; minDetectableDrop: number | null; regressions: string[] }[];
  } | null;
  /**
   * With `--until-decided`: how the run sampled, its totals, and a row per setting (suite, setting,
   * verdict, threshold question, regression question when there was a baseline, saved), worded by the
   * same code as the other reports; null for a fixed plan.
   */
  sequential: { about: string; totals: string; head: string[]; rows: { verdict: 'passes' | 'fails' | 'undecided'; gated: boolean; cells: string[] }[] } | null;
  /** The placeholder-answers warning when the simulator had no scenario for a suite, else null. */
  placeholders: string | null;
  /** Spent against expected, price-table disagreements, and with `--traffic` the projection. */
  cost: { notes: CostNote[]; projection: (NonNullable<RunSummary['projection']> & { title: string }) | null };
  suites: RunSummary['config']['suites'];
  groups: (Pick<
    GroupSummary,
    | 'suite' | 'model' | 'thinkingLevel' | 'numberResults' | 'threshold' | 'gated' | 'samples' | 'passed' | 'failed' | 'errored' | 'passRate'
    | 'passRateCi95' | 'costUsd' | 'costPerSampleUsd' | 'costPer1kRequestsUsd' | 'latencyMs' | 'meanThinkingTokens' | 'latencyHistogram' | 'passAtK' | 'passHatK'
  > & {
    /** The gate holds it below its threshold (threshold-verdict.ts): the page marks it so, and never decides it again. */
    isBelow: boolean;
  })[];
  /** Per suite, as in `suites`: its settings in detail, its cases that failed every sample and its flaky ones, and the cheapest setting summary.json recommends (never recomputed here). */
  suiteDetails: { suite: string; settings: SettingsDetails; failing: ListedCases; flaky: ListedCases; judgeUnsure: ListedCases; cheapest: SuiteRecommendation['cheapest'] }[];
  /** One per case and setting, compact: a run can have tens of thousands. */
  cases: ReportCase[];
}

/** A case at a setting in report.html's data. */
export interface ReportCase {
  /** Index into `groups`: the setting. */
  group: number;
  case: string;
  passed: number;
  failed: number;
  errored: number;
  /** pass@1, and pass@k and pass^k at the largest k (its completed samples, at most 16); left out when all or none passed. */
  curve?: { k: number; passAt1: number; passAtK: number; passHatK: number };
  /** The samples kept for the drill-down (see detailLimits); left out when none. */
  samples?: readonly SampleExcerpt[];
  /** Samples of this case not embedded (they are in results.jsonl). */
  omittedSamples: number;
  /** What the case asked: system prompt, messages and vars; left out for runs that did not store it. */
  prompt?: TrialPrompt;
}

/**
 * ReportData as built: its cases are made one at a time as report.html is written (with their samples
 * read from results.jsonl), never all at once; JSON.stringify writes the same text.
 */
export type BuiltReportData = Omit<ReportData, 'cases'> & { cases: LazyJsonArray<ReportCase> };

/**
 * Picks what report.html embeds: every figure of the summary, and for drill-downs the samples the
 * details kept (bounded per case and in all, failed ones first: see detailLimits), so the file stays
 * small at any run size.
 */
export function buildReportData(summary: RunSummary, details: CaseDetails): BuiltReportData {
  const groupIndex = new Map(summary.groups.map((g, i) => [settingKey(g), i]));
  const isBelow = belowThreshold(summary);
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
    comparison: summary.baseline ? comparisonData(summary.baseline) : null,
    sequential: summary.sequential ? sequentialData(summary.sequential) : null,
    placeholders: placeholderNote(summary) ?? null,
    cost: {
      notes: costNotes(summary),
      projection: summary.projection ? { ...summary.projection, title: projectionTitle(summary.projection) } : null,
    },
    suites: summary.config.suites,
    groups: summary.groups.map((g) => ({
      isBelow: isBelow(g),
      suite: g.suite, model: g.model, thinkingLevel: g.thinkingLevel, numberResults: g.numberResults, threshold: g.threshold, gated: g.gated,
      samples: g.samples, passed: g.passed, failed: g.failed, errored: g.errored, passRate: g.passRate, passRateCi95: g.passRateCi95,
      costUsd: g.costUsd, costPerSampleUsd: g.costPerSampleUsd, costPer1kRequestsUsd: g.costPer1kRequestsUsd, latencyMs: g.latencyMs,
      meanThinkingTokens: g.meanThinkingTokens, latencyHistogram: g.latencyHistogram, passAtK: g.passAtK, passHatK: g.passHatK,
    })),
    suiteDetails: summary.config.suites.map((suite) => {
      const listed = (isListed: (c: CaseSummary) => boolean): ListedCases => {
        const indexes = summary.cases.flatMap((c, index) => (c.suite === suite.name && isListed(c) ? [index] : []));
        const cases = indexes.slice(0, LISTED_CASES).map((index) => {
          const first = summary.cases[index]!.firstFailure;
          const text = first ? `${first.type}: ${first.message}` : null;
          return { index, firstFailure: text && text.length > FIRST_FAILURE_CHARS ? `${text.slice(0, FIRST_FAILURE_CHARS)}…` : text };
        });
        return { cases, more: indexes.length - cases.length };
      };
      return {
        suite: suite.name,
        settings: settingsDetails(summary.groups.filter((g) => g.suite === suite.name)),
        failing: listed((c) => c.failed > 0 && !c.flaky),
        flaky: listed((c) => c.flaky),
        judgeUnsure: listed((c) => (c.judgeUnsure ?? 0) > 0),
        cheapest: summary.recommendations.find((r) => r.suite === suite.name)?.cheapest ?? null,
      };
    }),
    cases: new LazyJsonArray(summary.cases.length, (index): ReportCase => {
      const c = summary.cases[index]!;
      const detail = details.get(caseKey(c));
      const kept = detail?.samples ?? [];
      const k = c.passAtK.length;
      const isMixed = c.passed > 0 && c.failed > 0;
      return {
        group: groupIndex.get(settingKey(c))!,
        case: c.case,
        passed: c.passed,
        failed: c.failed,
        errored: c.errored,
        ...(isMixed && k > 1 ? { curve: { k, passAt1: c.passAtK[0]!, passAtK: c.passAtK[k - 1]!, passHatK: c.passHatK[k - 1]! } } : {}),
        ...(kept.length > 0 ? { samples: kept } : {}),
        omittedSamples: c.samples - kept.length,
        ...(detail?.prompt ? { prompt: detail.prompt } : {}),
      };
    }),
  };
}

function comparisonData(comparison: Comparison): NonNullable<ReportData['comparison']> {
  const gated = comparison.groups.filter((g) => g.gated).length;
  return {
    baselineRunId: comparison.baselineRunId,
    summary: `Compared ${comparison.groups.length} settings (${gated} gated) and ${comparison.comparedCases} cases; ${comparison.family.size} tests in one family at α = ${comparison.family.alpha} (Holm–Bonferroni).`,
    settings: comparison.groups.map((g) => ({
      label: `${g.suite} · ${settingLabel(g)}`,
      gated: g.gated,
      change: `${formatPercent(g.before.passRate)} → ${formatPercent(g.after.passRate)}`,
      p: g.verdict === 'better' ? g.pRiseAdjusted : g.pDropAdjusted,
      verdict: g.verdict,
      minDetectableDrop: g.minDetectableDrop,
      regressions: g.regressions,
    })),
  };
}

function sequentialData(sequential: NonNullable<RunSummary['sequential']>): NonNullable<ReportData['sequential']> {
  const facts = sequentialFacts(sequential);
  return {
    about: facts.about,
    totals: facts.totals,
    head: ['suite', 'setting', 'verdict', 'threshold', ...(facts.hasRegression ? ['regression'] : []), 'saved'],
    rows: facts.settings.map((s) => ({
      verdict: s.verdict,
      gated: s.gated,
      cells: [s.suite, settingLabel(s), s.verdictText, s.threshold, ...(facts.hasRegression ? [s.regression ?? '—'] : []), s.saved],
    })),
  };
}
