import { ExitCode } from '../core/evalgate-error.js';
import { formatEValue, formatExactPercent, formatInterval, formatPercent, formatUsd } from '../core/format-figures.js';
import type { Comparison } from '../results/compare-runs.js';
import type { GateReason, GateResult, RunSummary } from '../results/run-summary.js';
import type { Counters, GroupSummary } from '../results/group-summary.js';
import { regressionReasons, type ReasonPolicy } from './regression-reasons.js';
import { settingKey, settingLabel } from '../core/setting.js';
import type { SequentialGroup, SequentialSummary } from '../results/sequential-summary.js';

/**
 * Which exit code wins when several reasons hold, weakest first: an interrupted run says so above all;
 * infrastructure trouble outranks a quality verdict, which the trouble may have caused.
 */
export const EXIT_PRECEDENCE: readonly GateResult['exitCode'][] = [ExitCode.ok, ExitCode.gateFailed, ExitCode.infrastructure, ExitCode.interrupted];

export interface GateInput {
  groups: readonly GroupSummary[];
  totals: Counters;
  /** Share of errored samples at which the run is an infrastructure failure (exit 3). */
  maxErrorRate: number;
  interrupted: boolean;
  /** Trials left unsent by the budget. */
  skipped?: RunSummary['skipped'];
  /** Judge calls `--max-cost` refused: their samples errored, so the plan was not carried out. */
  refusedJudgeCalls?: number;
  /** `--max-cost` and what the run spent, when it spent more. */
  overspent?: { spentUsd: number; maxCostUsd: number } | null;
  /** The comparison with a baseline run: its regressions fail the gate. */
  comparison?: Comparison | null;
  /** The policy the comparison was judged by (for the power notice); needed with `comparison`. */
  policy?: ReasonPolicy;
  /** A sequential run's decisions: a setting decided above or below its threshold is judged by its test, not its point estimate. */
  sequential?: SequentialSummary | null;
}

/**
 * The `gate` stage: the verdict, its reasons and its notices. Exit 130 when interrupted; 3 when errors
 * reach `maxErrorRate`, a group has no completed sample to judge, the budget left trials unsent or was passed,
 * or the API refused the key or the account (then that is the only reason given); 1
 * when a gated setting's pass rate is below its threshold or the run regressed against its baseline
 * (gate/judge-comparison.ts); else 0. Settings that are not gated (`gateOn`) never fail the run.
 * Errored samples never count as failed.
 */
export function evaluateGate(input: GateInput): GateResult {
  const reasons: GateReason[] = [];
  const notices: GateReason[] = [];
  let exitCode: GateResult['exitCode'] = ExitCode.ok;
  const raise = (code: GateResult['exitCode']) => {
    if (EXIT_PRECEDENCE.indexOf(code) > EXIT_PRECEDENCE.indexOf(exitCode)) exitCode = code;
  };

  if (input.interrupted) {
    reasons.push({ code: 'INTERRUPTED', message: 'the run was interrupted before every trial was sent' });
    raise(ExitCode.interrupted);
  }
  if (input.skipped?.cause === 'refused') {
    // Every errored sample and every group without an answer follows from it: one reason says it all.
    reasons.push({ code: 'ACCESS_REFUSED', message: `${input.skipped.reason}; ${input.skipped.trials} trials were not sent` });
    raise(ExitCode.infrastructure);
    return { passed: false, exitCode, reasons, notices: [] };
  }
  if (input.skipped) {
    reasons.push({ code: 'BUDGET_EXHAUSTED', message: `${input.skipped.trials} trials (${input.skipped.samples} samples) were not sent: ${input.skipped.reason}` });
    raise(ExitCode.infrastructure);
  }
  if (input.refusedJudgeCalls) {
    reasons.push({
      code: 'BUDGET_EXHAUSTED',
      message: `${input.refusedJudgeCalls} judge calls were not sent: the worst case of each would have passed --max-cost; their samples errored (JUDGE_ERROR)`,
    });
    raise(ExitCode.infrastructure);
  }
  if (input.overspent) {
    reasons.push({
      code: 'BUDGET_EXCEEDED',
      message: `the run spent ${formatUsd(input.overspent.spentUsd)}, above --max-cost ${formatUsd(input.overspent.maxCostUsd)}: the API billed more than the worst case reserved for it (docs/cost.md)`,
    });
    raise(ExitCode.infrastructure);
  }
  const { samples, errored } = input.totals;
  if (samples > 0 && errored > 0 && errored / samples >= input.maxErrorRate) {
    const top = Object.entries(input.totals.errorsByCode).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0];
    reasons.push({
      code: 'TOO_MANY_ERRORS',
      message: `${errored} of ${samples} samples errored (${formatPercent(errored / samples)}, limit ${formatPercent(input.maxErrorRate)})${top ? `; most often ${top[0]}` : ''}`,
    });
    raise(ExitCode.infrastructure);
  }
  const sequential = new Map((input.sequential?.groups ?? []).map((g) => [settingKey(g), g]));
  for (const group of input.groups) {
    const where = { suite: group.suite, model: group.model, thinkingLevel: group.thinkingLevel, numberResults: group.numberResults };
    const label = `${group.suite} · ${settingLabel(group)}`;
    if (group.passRate === null) {
      const message = `${label}: no sample completed (${group.errored} errored), so its pass rate is unknown`;
      // A setting that is not gated is never failed; errors that reach maxErrorRate still are (TOO_MANY_ERRORS).
      if (group.gated === false) notices.push({ code: 'NO_COMPLETED_SAMPLES', message, ...where });
      else {
        reasons.push({ code: 'NO_COMPLETED_SAMPLES', message, ...where });
        raise(ExitCode.infrastructure);
      }
    } else if (group.gated === false) {
      continue;
    } else if (sequential.has(settingKey(group))) {
      const decided = sequential.get(settingKey(group))!;
      const judged = judgeSequentialThreshold(group, decided, input.sequential!.undecided);
      if (judged) {
        (judged.fails ? reasons : notices).push({ ...judged.reason, ...where });
        if (judged.fails) raise(ExitCode.gateFailed);
      }
    } else if (group.passRate < group.threshold) {
      const threshold = formatExactPercent(group.threshold);
      // One decimal reads best, unless rounding would show the rate at the threshold (90.0% below 90%).
      const rounded = formatPercent(group.passRate);
      const rate = parseFloat(rounded) < parseFloat(threshold) ? rounded : formatExactPercent(group.passRate);
      reasons.push({
        code: 'BELOW_THRESHOLD',
        message: `${label}: pass rate ${rate} (95% CI ${formatInterval(group.passRateCi95)}, ${group.passed}/${group.passed + group.failed}) is below the threshold ${threshold}`,
        ...where,
      });
      raise(ExitCode.gateFailed);
    }
  }
  // A suite whose gated settings did not run (--levels, --samples, --filter left them out) judged nothing.
  for (const suite of new Set(input.groups.map((g) => g.suite))) {
    if (input.groups.every((g) => g.suite !== suite || g.gated === false)) {
      notices.push({ code: 'NOTHING_GATED', message: `${suite}: none of its gated settings (gateOn) ran, so nothing in it was gated`, suite });
    }
  }
  if (input.comparison) {
    const found = regressionReasons(input.comparison, input.policy ?? { minDrop: 0, requirePower: false });
    reasons.push(...found.reasons);
    notices.push(...found.notices);
    if (found.reasons.length > 0) raise(ExitCode.gateFailed);
  }
  if (input.comparison && input.sequential) notices.push(...fixedTestsAfterStop(input.comparison, input.sequential));
  return { passed: exitCode === 0, exitCode, reasons, notices };
}

/**
 * A sequential setting's threshold: decided below fails (BELOW_THRESHOLD, with the test that decided
 * it); decided above passes. Undecided after its last case, it follows `sequential.undecided`: judged
 * by its pass rate as a fixed plan would be, passed with a notice, or failed (UNDECIDED). Undecided
 * before its last case, it stopped for another reason: a regression decided (that reason fails it), or
 * the run stopped (interrupted, the budget, the API): a notice, never a verdict on a sample chosen by
 * when it stopped.
 */
function judgeSequentialThreshold(group: GroupSummary, decided: SequentialGroup, policy: SequentialSummary['undecided']): { fails: boolean; reason: Omit<GateReason, 'suite'> } | null {
  const label = `${group.suite} · ${settingLabel(group)}`;
  const threshold = formatExactPercent(group.threshold);
  const test = decided.thresholdTest;
  const rate = `${group.passed}/${group.passed + group.failed} passed`;
  if (test.decision === 'below') {
    const e = test.eValues.below;
    return {
      fails: true,
      reason: { code: 'BELOW_THRESHOLD', message: `${label}: its pass rate is below the threshold ${threshold}, decided after ${test.decidedAtCase} of ${decided.plannedCases} cases (e-value ${formatEValue(e)} ≥ ${formatEValue(test.level)}; ${rate})` },
    };
  }
  if (test.decision === 'above') return null;
  if (decided.observedCases < decided.plannedCases) {
    if (decided.verdict === 'fails') return null;
    return { fails: false, reason: { code: 'UNDECIDED', message: `${label}: undecided against the threshold ${threshold} after ${decided.observedCases} of ${decided.plannedCases} cases: the run stopped before it decided (${rate})` } };
  }
  const undecided = `${label}: still undecided against the threshold ${threshold} after all ${decided.observedCases} cases (${rate})`;
  if (policy === 'fail') return { fails: true, reason: { code: 'UNDECIDED', message: `${undecided}; sequential.undecided is fail` } };
  if (policy === 'pass') return { fails: false, reason: { code: 'UNDECIDED', message: `${undecided}; sequential.undecided is pass, so it passes` } };
  if (group.passRate !== null && group.passRate < group.threshold) {
    return { fails: true, reason: { code: 'BELOW_THRESHOLD', message: `${undecided}, and its pass rate ${formatPercent(group.passRate)} (95% CI ${formatInterval(group.passRateCi95)}) is below it (sequential.undecided: estimate)` } };
  }
  return { fails: false, reason: { code: 'UNDECIDED', message: `${undecided}; its pass rate ${formatPercent(group.passRate ?? 0)} meets it (sequential.undecided: estimate)` } };
}


/**
 * Settings whose sampling stopped early yet were compared by a fixed-sample test: against another
 * baseline than the one they sampled against (`report`/`merge --baseline`), or with no case shared when
 * the run was planned. Such a p-value assumes a plan fixed in advance; said, so it is read as such.
 */
function fixedTestsAfterStop(comparison: Comparison, sequential: SequentialSummary): GateReason[] {
  const stopped = new Set(sequential.groups.filter((g) => g.stoppedAtCase !== null && g.savedSamples > 0).map(settingKey));
  return comparison.groups
    .filter((g) => g.test !== 'anytime-betting' && g.test !== 'none' && stopped.has(settingKey(g)))
    .map((g) => ({
      code: 'FIXED_TEST_AFTER_STOP' as const,
      message: `${g.suite} · ${settingLabel(g)}: compared with baseline ${comparison.baselineRunId} by a fixed-sample test (${g.test}), though its sampling stopped early against ${sequential.baselineRunId ?? 'no baseline'}: read its p-value as if the plan had been fixed`,
      suite: g.suite,
      model: g.model,
      thinkingLevel: g.thinkingLevel,
      numberResults: g.numberResults,
    }));
}
