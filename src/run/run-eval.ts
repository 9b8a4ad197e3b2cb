import { mkdirSync } from 'node:fs';
import { ioError } from '../core/io-error.js';
import path from 'node:path';
import { compileChecks, type CompiledChecks } from '../assertions/assertion-registry.js';
import { RegexRunner } from '../assertions/regex-runner.js';
import type { LoadedCase } from '../config/loaded-suite.js';
import type { Trial } from '../plan/trial.js';
import type { Provider } from '../providers/provider.js';
import type { Reporter } from './run-events.js';
import { RunSummarizer } from '../results/run-summarizer.js';
import type { RecordedCalibration, RunConfigRecord, RunSummary } from '../results/run-summary.js';
import { REFUSAL_CODES, type SampleRecord } from '../core/sample-record.js';
import { applyDeferredChecks } from './apply-deferred-checks.js';
import { createJudgeGateway } from './create-judge-gateway.js';
import { JudgeCache } from './judge-cache.js';
import { buildSampleRecords } from './build-sample-records.js';
import type { Clock } from './clock.js';
import { checkBudget } from '../cost/check-budget.js';
import type { CostEstimate } from '../cost/cost-estimate.js';
import { projectSettings } from '../cost/project-settings.js';
import type { Traffic } from '../cost/traffic.js';
import { UsageHistory } from '../cost/usage-history.js';
import { BudgetGuard, chargeOf, type TrialCharge } from './budget-guard.js';
import { describeBudgetStop, describeOverrun, describeRefusal, describeRefusalStop } from './describe-stops.js';
import { executeTrial, type Pacer } from './execute-trial.js';
import { AsyncTaskJournal } from './async-task-journal.js';
import { announceFinished, buildRunSummary, type BaselineCheck } from './finish-run.js';
import { recoverJournal } from './recover-journal.js';
import { ResultsJournal, type JournalFileSystem } from './results-journal.js';
import { RecentCases } from './recent-cases.js';
import { RetryBudget } from './retry-budget.js';
import { scheduleTrials, type ScheduleResult } from './schedule-trials.js';
import type { SequentialMonitor } from '../gate/sequential-monitor.js';

export interface RunEvalOptions {
  runId: string;
  /** The run folder; created if missing. */
  runDir: string;
  /** Every trial of the plan (on resume, those already recorded are not sent again). */
  trials: readonly Trial[];
  provider: Provider;
  /** True when the provider is the built-in simulator: every report says so. */
  simulated: boolean;
  /** Minimum pass rate per suite. */
  thresholds: ReadonlyMap<string, number>;
  /** Longest a regex assertion may run on one output before it is counted as failed (errored). */
  assertionTimeoutMs: number;
  reporters: readonly Reporter[];
  clock: Clock;
  /** First Ctrl-C: stop sending new trials; in-flight ones finish. */
  stopSignal: AbortSignal;
  /** Second Ctrl-C: abandon in-flight requests too. */
  abortSignal: AbortSignal;
  /**
   * What the run was asked to do, secrets removed: recorded in summary.json, and the one source of the
   * concurrency, request timeout and retry policy the run uses (so the record cannot disagree with it).
   */
  configRecord: RunConfigRecord;
  /** Continue the run in `runDir`: what its journal holds is kept and not sent again. */
  resume?: boolean;
  /** When the run first started (a resumed run keeps its original start). */
  startedAt?: Date;
  /** `--baseline`: a run to compare with, and when a change is a regression. */
  baseline?: BaselineCheck;
  /**
   * `--max-cost`, for the whole run: on resume, what the recovered samples cost counts against it. With
   * `allowPartial`, a plan whose worst case is above it runs until the budget is reserved.
   */
  budget?: { maxCostUsd: number; allowPartial: boolean };
  /** Estimates trials of the plan from earlier runs: for `--max-cost`, and recorded in summary.json beside the actual cost. */
  estimateCost?: (trials: readonly Trial[]) => CostEstimate;
  /** `--traffic`: project this run's cost per request to production traffic in summary.json. */
  traffic?: Traffic;
  /**
   * Back off under throttling (AIMD). Internal: no flag or setting turns it off; the soak test does, to
   * compare. @default true
   */
  adaptiveConcurrency?: boolean;
  /**
   * Told, as one line each, what the run must say while it goes: `warning: …` (the API billed past
   * maxTokens, a cost not to be trusted), each once; `stopping: …` when the API refuses the key.
   */
  tell?: (line: string) => void;
  /** Folder of cached judge verdicts; absent with `--no-judge-cache` (every verdict is asked for). */
  judgeCacheDir?: string;
  /** Calibrations of the judge rubrics the plan uses, recorded in summary.json. */
  judgeCalibrations?: readonly RecordedCalibration[];
  /** The journal's file calls; tests inject one that fails, to see a full disk end the run cleanly. @default node:fs */
  journalFileSystem?: JournalFileSystem;
  /**
   * `--until-decided`: watches every sample as it lands (recovered ones first) and tells the scheduler
   * which settings are decided; `trials` must then be in case order (plan/order-cases.ts).
   */
  sequential?: SequentialMonitor;
}

/**
 * The `run` stage and everything after it: sends the trials through a queue at the configured
 * concurrency, checks and records every sample as it lands (results.jsonl), summarizes as it goes,
 * then passes the summary and the gate's verdict to the reporters. A failed request becomes errored
 * samples; it never ends the run.
 */
export async function runEval(options: RunEvalOptions): Promise<RunSummary> {
  const summary = await sendRun(options);
  await announceFinished(options.reporters, summary, options.runDir);
  return summary;
}

/**
 * {@link runEval} without the reports: every trial sent, checked and recorded, then summarized
 * (summary.json's content), for a caller that hands the summary to the reporters (announceFinished)
 * once it no longer holds the plan (runCommand). The reporters hear every event but `onRunFinished`.
 * What the run holds while it sends (its tallies, journals, compiled checks) is garbage once it returns:
 * the reports read results.jsonl again and hold its case details meanwhile.
 */
export async function sendRun(options: RunEvalOptions): Promise<RunSummary> {
  try {
    mkdirSync(options.runDir, { recursive: true });
  } catch (error) {
    throw ioError(options.runDir, error, 'create the run folder');
  }
  const { concurrency, requestTimeoutMs, retry } = options.configRecord;
  const startedAt = options.startedAt ?? new Date();
  const journalPath = path.join(options.runDir, 'results.jsonl');
  const pricing = new Map(options.trials.map((t) => [t.setting.model, t.pricing]));
  const gateOn = new Map(options.configRecord.suites.map((s) => [s.name, s.gateOn ?? null]));
  const summarizer = new RunSummarizer((suite) => options.thresholds.get(suite) ?? 0, (model) => pricing.get(model), (suite) => gateOn.get(suite));
  const measured = new UsageHistory(undefined, { cases: false });
  let recoveredCostUsd = 0;
  const record = (sample: SampleRecord) => {
    summarizer.add(sample);
    measured.add(sample);
    options.sequential?.add([sample]);
  };
  const recovered = options.resume
    ? await recoverJournal(journalPath, (sample) => {
        recoveredCostUsd += sample.costUsd ?? 0;
        record(sample);
      })
    : undefined;
  // Samples of a trial cut short were paid for, though the trial is sent again: they count as spent.
  recoveredCostUsd += recovered?.droppedCostUsd ?? 0;
  const pending = recovered ? options.trials.filter((t) => !recovered.completeTrialIds.has(t.id)) : options.trials;
  if (options.budget && pending.length > 0) checkBudget(pending, options.budget.maxCostUsd, options.budget.allowPartial, options.estimateCost?.(pending), recoveredCostUsd);
  const tell = options.tell ?? (() => {});
  const warn = (message: string) => tell(`warning: ${message}`);
  const budgetGuard = options.budget ? new BudgetGuard(options.budget.maxCostUsd, recoveredCostUsd, (overrun) => warn(describeOverrun(overrun))) : undefined;
  const estimate = options.estimateCost?.(options.trials) ?? null;
  const journal = ResultsJournal.open(journalPath, options.journalFileSystem);
  // Async tasks are journaled before they are sent; a resumed run asks Runware for those of its unfinished trials first.
  const taskJournalPath = path.join(options.runDir, 'async-tasks.jsonl');
  const resumableTasks = options.resume ? AsyncTaskJournal.read(taskJournalPath) : new Map<string, never[]>();
  const taskJournal = AsyncTaskJournal.open(taskJournalPath);
  const regexRunner = new RegexRunner(options.assertionTimeoutMs);
  const retryBudget = RetryBudget.forRun(pending.length, retry.budget);
  // What every request of the run is sent with, the candidate's and the judge's alike.
  const attempts = { provider: options.provider, retry, requestTimeoutMs, clock: options.clock, signal: options.abortSignal, retryBudget };
  // Judges are asked through the same provider, retries, deadline and budget as the candidate; a
  // trial's judge calls happen inside its queue slot, so they share the run's concurrency too.
  const judge = createJudgeGateway({
    ...attempts,
    ...(budgetGuard ? { budget: budgetGuard } : {}),
    ...(options.judgeCacheDir !== undefined ? { cache: new JudgeCache(options.judgeCacheDir) } : {}),
  });
  // A case's checks are compiled when its first trial lands and kept while its trials come (they come
  // together); the trials in flight span at most `concurrency` cases.
  const compiled = new RecentCases<LoadedCase, CompiledChecks>(Math.max(64, 2 * concurrency));
  const checksFor = (trial: Trial) =>
    compiled.get(trial.case, () => {
      const subject = { suite: trial.suite, caseId: trial.caseId, vars: trial.case.vars ?? {} };
      return compileChecks(trial.case.assertions, { regex: regexRunner, subject, judge, conversation: trial.request.messages });
    });

  for (const reporter of options.reporters) {
    reporter.onRunStarted?.({
      runId: options.runId,
      runDir: options.runDir,
      provider: options.provider.name,
      simulated: options.simulated,
      plannedTrials: options.trials.length,
      plannedSamples: options.trials.reduce((s, t) => s + t.setting.numberResults, 0),
      recordedTrials: options.trials.length - pending.length,
      concurrency,
      suites: options.configRecord.suites,
    });
  }

  let inFlight = 0;
  let refusal: { code: string; message: string; httpStatus?: number } | null = null;
  const costWarned = new Set<string>();
  const runTrial = async (trial: Trial, pacer: Pacer, queuedMs: number, answered: (charge: TrialCharge) => void = () => {}): Promise<TrialCharge> => {
    inFlight++;
    const outcome = await executeTrial(trial.request, {
      ...attempts,
      pacer,
      ...(trial.request.deliveryMethod === 'async'
        ? {
            resumeTasks: resumableTasks.get(trial.id) ?? [],
            onAsyncSubmit: (taskUUID: string, numberResults: number) => taskJournal.record({ trialId: trial.id, taskUUID, numberResults }),
          }
        : {}),
    });
    inFlight--;
    // A trial cut short by a second Ctrl-C has no answer yet: it is left for --resume, not recorded.
    if (outcome.failure?.code === 'INTERRUPTED' && outcome.results.length === 0) return { costUsd: 0, billedOutputTokens: 0 };
    if (outcome.failure && REFUSAL_CODES.has(outcome.failure.code) && !refusal) {
      refusal = outcome.failure;
      tell(`stopping: ${describeRefusal(refusal)}; no new request is sent (those in flight finish)`);
    }
    const checks = checksFor(trial);
    const records = await buildSampleRecords(trial, outcome, checks.sync, queuedMs);
    // The answers are billed: the budget gets back what their worst case held, for their judge calls.
    const charge = chargeOf(records, trial.pricing);
    answered(charge);
    await applyDeferredChecks(records, checks.deferred);
    const flagged = records.find((r) => r.costFlag !== undefined);
    if (flagged && !costWarned.has(trial.setting.model)) {
      costWarned.add(trial.setting.model);
      warn(`${trial.setting.model}: ${flagged.costFlag} (trial ${trial.id}); such samples carry costFlag in results.jsonl, and the budget counts the larger figure`);
    }
    journal.append(records);
    records.forEach(record);
    for (const reporter of options.reporters) reporter.onTrialFinished?.({ records, inFlight });
    return charge;
  };

  let schedule: ScheduleResult;
  try {
    schedule = await scheduleTrials(pending, {
      concurrency,
      now: () => options.clock.now(),
      stopSignal: options.stopSignal,
      runTrial,
      shouldHalt: () => (refusal ? refusal.code : null),
      ...(options.sequential ? { isDecided: (trial: Trial) => isDecided(options.sequential!, trial, options.reporters) } : {}),
      ...(budgetGuard ? { budget: budgetGuard } : {}),
      ...(options.adaptiveConcurrency === false ? { adaptive: false } : {}),
    });
    journal.close();
  } catch (error) {
    for (const reporter of options.reporters) reporter.onRunFailed?.();
    throw error;
  } finally {
    try {
      journal.close();
    } catch {
      // Already thrown above: the first failure is the one that ends the run.
    }
    taskJournal.close();
    await regexRunner.close();
  }

  const interrupted = schedule.stoppedBy === 'signal' || options.abortSignal.aborted;
  const skipped =
    schedule.stoppedBy === 'budget'
      ? describeBudgetStop(schedule.unscheduled, budgetGuard!, recoveredCostUsd)
      : refusal && schedule.unscheduled.length > 0
        ? describeRefusalStop(schedule.unscheduled, refusal)
        : null;
  const summary = buildRunSummary(summarizer, {
    runId: options.runId,
    provider: options.provider.name,
    simulated: options.simulated,
    startedAt,
    finishedAt: new Date(),
    interrupted,
    plannedTrials: options.trials.length,
    skipped,
    refusedJudgeCalls: budgetGuard?.refusedCallCount ?? 0,
    // Passed by what this invocation sent: a finished run resumed with a smaller budget sends nothing and passes nothing.
    overspent: budgetGuard && budgetGuard.spentUsd > budgetGuard.maxCostUsd && budgetGuard.spentUsd > recoveredCostUsd ? { spentUsd: budgetGuard.spentUsd, maxCostUsd: budgetGuard.maxCostUsd } : null,
    estimate,
    projection: options.traffic ? (groups) => projectSettings(groups, measured, 'run', options.traffic!) : null,
    config: options.configRecord,
    ...(options.sequential ? { sequential: options.sequential } : {}),
  }, options.baseline);
  if (options.judgeCalibrations && options.judgeCalibrations.length > 0) summary.judgeCalibrations = [...options.judgeCalibrations];
  return summary;
}

/** Asks the monitor; a trial it need not send is told to the reporters (the progress line plans one trial fewer). */
function isDecided(monitor: SequentialMonitor, trial: Trial, reporters: readonly Reporter[]): boolean {
  const decided = monitor.isDecided(trial);
  if (decided) for (const reporter of reporters) reporter.onTrialDecided?.();
  return decided;
}
