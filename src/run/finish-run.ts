import path from 'node:path';
import { EvalgateError } from '../core/evalgate-error.js';
import { evaluateGate } from '../gate/evaluate-gate.js';
import type { Reporter } from './run-events.js';
import { collectCaseDetails, detailLimits, type CaseDetails } from '../results/collect-case-details.js';
import { compareRuns } from '../gate/judge-comparison.js';
import type { RegressionPolicy } from '../gate/regression-policy.js';
import { recommendSettings } from '../results/recommend-settings.js';
import type { RunSummarizer } from '../results/run-summarizer.js';
import type { SequentialRecord } from '../gate/sequential-monitor.js';
import type { Setting } from '../core/setting.js';
import { SUMMARY_SCHEMA_VERSION, type RunConfigRecord, type RunSummary } from '../results/run-summary.js';

/** What a summary says about its run beyond the samples. */
export interface RunMeta {
  runId: string;
  provider: string;
  simulated: boolean;
  startedAt: Date;
  finishedAt: Date;
  interrupted: boolean;
  plannedTrials: number;
  skipped: RunSummary['skipped'];
  /** Judge calls `--max-cost` refused (their samples errored JUDGE_ERROR). */
  refusedJudgeCalls?: number;
  /** `--max-cost` and what was spent, when the spending passed it (the API billed more than any bound held). */
  overspent?: { spentUsd: number; maxCostUsd: number } | null;
  /** What the plan was expected to cost before it ran. */
  estimate: RunSummary['estimate'];
  /** `--traffic`: the run's cost per request projected to production, from the groups. */
  projection: RunSummary['projection'] | ((groups: RunSummary['groups']) => NonNullable<RunSummary['projection']>);
  config: RunConfigRecord;
  /** A sequential run's decisions (its live monitor, or as recorded): they go into summary.json and the gate. */
  sequential?: SequentialRecord;
}

/** A baseline to compare the run with, and when a change counts as a regression. */
export interface BaselineCheck {
  summary: RunSummary;
  policy: RegressionPolicy;
}

/** summary.json from the summarized samples and what the run was: figures, the comparison with a baseline, then the gate's verdict. */
export function buildRunSummary(summarizer: RunSummarizer, meta: RunMeta, baseline?: BaselineCheck): RunSummary {
  const totals = summarizer.totals();
  const { groups, cases } = summarizer.groupsAndCases();
  const partial: Omit<RunSummary, 'recommendations' | 'baseline' | 'gate'> = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    runId: meta.runId,
    provider: meta.provider,
    simulated: meta.simulated,
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    interrupted: meta.interrupted,
    plannedTrials: meta.plannedTrials,
    skipped: meta.skipped,
    estimate: meta.estimate,
    projection: typeof meta.projection === 'function' ? meta.projection(groups) : meta.projection,
    config: meta.config,
    totals,
    groups,
    cases,
  };
  const sequential = meta.sequential?.summarize(groups) ?? null;
  const monitor = meta.sequential;
  // The anytime p-values answer for the baseline they were asked against, and only for it.
  const anytime = monitor && baseline && sequential?.baselineRunId === baseline.summary.runId ? (setting: Setting) => monitor.pDrop(setting) : undefined;
  const comparison = baseline ? compareRuns(baseline.summary, { groups, cases }, baseline.policy, undefined, anytime) : null;
  return {
    ...partial,
    recommendations: recommendSettings(groups),
    baseline: comparison,
    ...(sequential ? { sequential } : {}),
    gate: evaluateGate({
      groups,
      totals,
      maxErrorRate: meta.config.maxErrorRate,
      interrupted: meta.interrupted,
      skipped: meta.skipped,
      refusedJudgeCalls: meta.refusedJudgeCalls ?? 0,
      overspent: meta.overspent ?? null,
      comparison,
      sequential,
      ...(baseline ? { policy: baseline.policy } : {}),
    }),
  };
}

/**
 * Hands the summary to every reporter, with the case details read at most once, when first asked. A
 * report that cannot be written ends the run with IO_ERROR (exit 3), saying that the run itself is
 * complete, what the gate's own verdict was (the console may have printed it already), and how to
 * rebuild the reports without sending anything.
 */
export async function announceFinished(reporters: readonly Reporter[], summary: RunSummary, runDir: string): Promise<void> {
  let details: Promise<CaseDetails> | undefined;
  const event = { summary, runDir, details: () => (details ??= collectCaseDetails(path.join(runDir, 'results.jsonl'), detailLimits(summary.cases))) };
  for (const reporter of reporters) {
    try {
      await reporter.onRunFinished?.(event);
    } catch (error) {
      if (!(error instanceof EvalgateError) || error.code !== 'IO_ERROR') throw error;
      const verdict = `the gate's own verdict was ${summary.gate.passed ? 'PASSED' : 'FAILED'} (exit ${summary.gate.exitCode}), but a report could not be written, so evalgate exits ${error.exitCode}`;
      throw new EvalgateError('IO_ERROR', `${error.message}; ${verdict}`, {
        exitCode: error.exitCode,
        cause: error,
        hint: `${error.hint ?? 'fix the folder'}; the run's samples are all in ${path.join(runDir, 'results.jsonl')}, and evalgate report ${runDir} rebuilds every report from them without sending anything`,
      });
    }
  }
}
