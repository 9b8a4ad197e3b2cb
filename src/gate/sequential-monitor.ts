import type { SampleRecord } from '../core/sample-record.js';
import { compareSettings, settingKey, settingOf, type Setting } from '../core/setting.js';
import type { GroupSummary } from '../results/group-summary.js';
import type { SequentialGroup, SequentialQuestion, SequentialSummary, UndecidedPolicy } from '../results/sequential-summary.js';
import { BettingTest } from '../stats/betting-test.js';

/** What the monitor reads of a sample: its setting and case, and whether it completed and passed. */
export type MonitoredSample = Pick<SampleRecord, 'suite' | 'model' | 'thinkingLevel' | 'numberResults' | 'case' | 'status' | 'pass'>;

/** What one setting of a `--until-decided` run samples, and against what. */
export interface SequentialSettingPlan extends Setting {
  gated: boolean;
  threshold: number;
  /** The setting's cases in the order drawn, each with its trials in this invocation's plan (each brings numberResults samples). */
  cases: readonly { id: string; trials: number }[];
  /** The e-value each question's tests need to decide: (tests sharing alpha) ÷ alpha. */
  levels: { threshold: number; regression: number };
  /** With a baseline: each shared case's pass rate in it, at this setting. */
  baselineRates?: ReadonlyMap<string, number>;
  /** With a baseline: a drop smaller than this, shown with confidence, decides `not-regressed`. */
  futilityDrop?: number;
}

export interface SequentialOptions {
  orderSeed: number;
  undecided: UndecidedPolicy;
  maxCases: number | null;
  /** The level the tests' families are held to: gate.alpha, or alpha ÷ k in each of k shards. */
  alpha: number;
  /** gate.minDrop: a significant drop decides `regressed` only from this size. */
  minDrop: number;
  /** The baseline's run id, with `--baseline`: the regression questions are asked against it. */
  baselineRunId?: string | null;
}

/**
 * What a run's summary and gate read of its sequential sampling: the decisions per setting, and the
 * anytime-valid p-value of each setting's pass-rate drop against the baseline. The live monitor is
 * one; a run rebuilt from its folder (`report`) or from shards (`merge`) has one recorded
 * (gate/recorded-sequential.ts).
 */
export interface SequentialRecord {
  summarize(groups: readonly GroupSummary[]): SequentialSummary;
  pDrop(setting: Setting): number | null;
}

/** A case at a setting, while its trials land. */
interface CaseTally {
  /** Samples landed, errored ones included. */
  samples: number;
  passed: number;
  completed: number;
}

interface Question<D extends string> {
  tests: Record<D, BettingTest>;
  level: number;
  decision: D | null;
  decidedAtCase: number | null;
}

interface SettingState {
  plan: SequentialSettingPlan;
  tallies: Map<string, CaseTally>;
  /** Cases of `plan.cases` observed so far (every trial landed), in order. */
  observed: number;
  threshold: Question<'above' | 'below'>;
  regression: (Question<'regressed' | 'not-regressed'> & { dropSum: number; paired: number }) | null;
  stoppedAtCase: number | null;
  verdict: SequentialGroup['verdict'];
  /** Samples landed (or recovered on resume), whichever case they belong to. */
  landedSamples: number;
}

/**
 * The gate's side of sequential sampling. Fed every trial as it lands, it takes each setting's cases
 * strictly in the drawn order (a case counts once all its trials are in, so the order in which answers
 * come back, which can depend on the answers, never chooses the evidence), and asks two questions of
 * each, by betting (stats/betting-test.ts), each anytime-valid:
 * - is the pass rate above or below the threshold? Observations are each case's pass rate over its
 *   samples, so samples of one case, which are correlated, weigh as one case;
 * - with a baseline, has it dropped? Observations are each shared case's rate now minus before;
 *   `regressed` needs the drop to be significant and at least gate.minDrop, `not-regressed` that the
 *   drop is below `futilityDrop` with the same confidence.
 * Each test decides at e ≥ (tests sharing alpha) / alpha: the threshold tests of the gated settings are
 * one family (as many as there are), the regression tests share alpha with the gate's whole baseline
 * family (a bound on its size known before the run), so a decided regression is always one the gate's
 * Holm correction keeps. Settings not gated are families of their own and never fail the run.
 *
 * The scheduler asks only `skip(trial)`: a trial of a setting whose verdict is known is not sent.
 */
export class SequentialMonitor implements SequentialRecord {
  private readonly settings = new Map<string, SettingState>();

  constructor(
    /** What it watches, as planned (planSequential). */
    readonly plans: readonly SequentialSettingPlan[],
    private readonly options: SequentialOptions,
  ) {
    for (const plan of plans) {
      const threshold: Question<'above' | 'below'> = {
        tests: { above: new BettingTest(plan.threshold, 'above', [0, 1]), below: new BettingTest(plan.threshold, 'below', [0, 1]) },
        level: plan.levels.threshold,
        decision: null,
        decidedAtCase: null,
      };
      const regression =
        plan.baselineRates && plan.baselineRates.size > 0
          ? {
              // Observations are (rate now − rate before) ∈ [−1, 1].
              tests: { regressed: new BettingTest(0, 'below', [-1, 1]), 'not-regressed': new BettingTest(-(plan.futilityDrop ?? 1), 'above', [-1, 1]) },
              level: plan.levels.regression,
              decision: null,
              decidedAtCase: null,
              dropSum: 0,
              paired: 0,
            }
          : null;
      this.settings.set(settingKey(plan), { plan, tallies: new Map(), observed: 0, threshold, regression, stoppedAtCase: null, verdict: 'undecided', landedSamples: 0 });
    }
  }

  /** Takes recorded samples (a trial's, or those a resumed run recovered), errored ones included. */
  add(records: readonly MonitoredSample[]): void {
    const touched = new Set<SettingState>();
    for (const r of records) {
      const state = this.settings.get(settingKey(r));
      if (!state) continue;
      const tally = state.tallies.get(r.case) ?? { samples: 0, passed: 0, completed: 0 };
      tally.samples++;
      if (r.status === 'completed') {
        tally.completed++;
        if (r.pass) tally.passed++;
      }
      state.tallies.set(r.case, tally);
      state.landedSamples++;
      touched.add(state);
    }
    for (const state of touched) this.advance(state);
  }

  /** The scheduler's one question: is the verdict of this trial's setting known (so the trial need not be sent)? */
  isDecided(trial: { suite: string; setting: Omit<Setting, 'suite'> }): boolean {
    return this.settings.get(settingKey({ suite: trial.suite, ...trial.setting }))?.stoppedAtCase != null;
  }

  /** The anytime-valid p-value for a drop of the setting's pass rate against the baseline, when it was tested. */
  pDrop(setting: Setting): number | null {
    return this.settings.get(settingKey(setting))?.regression?.tests.regressed.pValue ?? null;
  }

  /** summary.json `sequential`, given the run's groups (for the cost of the samples saved). */
  summarize(groups: readonly GroupSummary[]): SequentialSummary {
    const costs = new Map(groups.map((g) => [settingKey(g), g.costPerSampleUsd]));
    const summaries = [...this.settings.values()].map((state) => summarizeSetting(state, costs.get(settingKey(state.plan)) ?? null)).sort(compareSettings);
    const plannedSamples = summaries.reduce((s, g) => s + g.plannedSamples, 0);
    const sentSamples = summaries.reduce((s, g) => s + g.sentSamples, 0);
    const savedSamples = summaries.reduce((s, g) => s + g.savedSamples, 0);
    const costsKnown = summaries.every((g) => g.savedCostUsd !== null || g.savedSamples === 0);
    return {
      orderSeed: this.options.orderSeed,
      alpha: this.options.alpha,
      undecided: this.options.undecided,
      maxCases: this.options.maxCases,
      baselineRunId: this.options.baselineRunId ?? null,
      groups: summaries,
      totals: {
        plannedSamples,
        sentSamples,
        savedSamples,
        savedCostUsd: costsKnown ? summaries.reduce((s, g) => s + (g.savedCostUsd ?? 0), 0) : null,
      },
    };
  }

  /** Observes the setting's next cases in order while each has every trial in, and decides what it can. */
  private advance(state: SettingState): void {
    const { plan } = state;
    while (state.observed < plan.cases.length) {
      const { id: caseId, trials } = plan.cases[state.observed]!;
      const tally = state.tallies.get(caseId);
      if (!tally || tally.samples < trials * plan.numberResults) return;
      state.observed++;
      // Weighed once: a case observed needs no tally (a long run holds only the cases still landing).
      state.tallies.delete(caseId);
      // The verdict is known: later cases are recorded, not weighed.
      if (state.stoppedAtCase !== null || tally.completed === 0) continue;
      const rate = tally.passed / tally.completed;
      this.observeThreshold(state, rate);
      this.observeRegression(state, caseId, rate);
      this.settle(state);
    }
  }

  private observeThreshold(state: SettingState, rate: number): void {
    const q = state.threshold;
    if (q.decision !== null) return;
    q.tests.above.observe(rate);
    q.tests.below.observe(rate);
    if (q.tests.below.reached(q.level)) q.decision = 'below';
    else if (q.tests.above.reached(q.level)) q.decision = 'above';
    if (q.decision !== null) q.decidedAtCase = state.observed;
  }

  private observeRegression(state: SettingState, caseId: string, rate: number): void {
    const q = state.regression;
    const before = state.plan.baselineRates?.get(caseId);
    if (!q || q.decision !== null || before === undefined) return;
    const difference = rate - before;
    q.tests.regressed.observe(difference);
    // When even the full plan could see no drop (futilityDrop 1: too few cases), "smaller than that" says
    // nothing: that question is not asked, and the setting can pass only by running out of cases.
    if ((state.plan.futilityDrop ?? 1) < 1) q.tests['not-regressed'].observe(difference);
    q.dropSum -= difference;
    q.paired++;
    // A significant drop decides only once it is a drop that matters (gate.minDrop), as in the fixed gate.
    if (q.tests.regressed.reached(q.level) && q.dropSum / q.paired >= this.options.minDrop) q.decision = 'regressed';
    else if (q.tests['not-regressed'].reached(q.level)) q.decision = 'not-regressed';
    if (q.decision !== null) q.decidedAtCase = state.observed;
  }

  /** A setting stops when a question decides against it (gated: it fails) or every question it asks is decided. */
  private settle(state: SettingState): void {
    const below = state.threshold.decision === 'below';
    const regressed = state.plan.gated && state.regression?.decision === 'regressed';
    // A setting not gated asks only the threshold: what the regression test says there never fails a run.
    const passes = state.threshold.decision === 'above' && (!state.plan.gated || !state.regression || state.regression.decision === 'not-regressed');
    if (below || regressed) state.verdict = 'fails';
    else if (passes) state.verdict = 'passes';
    else return;
    state.stoppedAtCase = state.observed;
  }
}

function summarizeQuestion<D extends string>(q: Question<D>): SequentialQuestion<D> {
  const directions = Object.keys(q.tests) as D[];
  return {
    decision: q.decision,
    decidedAtCase: q.decidedAtCase,
    level: q.level,
    eValues: Object.fromEntries(directions.map((d) => [d, q.tests[d].peakEValue])) as Record<D, number>,
    pValues: Object.fromEntries(directions.map((d) => [d, q.tests[d].pValue])) as Record<D, number>,
  };
}

function summarizeSetting(state: SettingState, costPerSampleUsd: number | null): SequentialGroup {
  const { plan } = state;
  const plannedSamples = plan.cases.reduce((s, c) => s + c.trials, 0) * plan.numberResults;
  // A setting that stopped sends none of its trials left: those are what the verdict saved.
  const savedSamples = state.stoppedAtCase === null ? 0 : Math.max(0, plannedSamples - state.landedSamples);
  return {
    ...settingOf(plan),
    gated: plan.gated,
    threshold: plan.threshold,
    plannedCases: plan.cases.length,
    plannedSamples,
    sentSamples: state.landedSamples,
    observedCases: state.observed,
    stoppedAtCase: state.stoppedAtCase,
    verdict: state.verdict,
    thresholdTest: summarizeQuestion(state.threshold),
    regressionTest: state.regression
      ? {
          ...summarizeQuestion(state.regression),
          futilityDrop: plan.futilityDrop ?? 1,
          meanDrop: state.regression.paired > 0 ? state.regression.dropSum / state.regression.paired : null,
          pairedCases: state.regression.paired,
        }
      : null,
    savedSamples,
    savedCostUsd: savedSamples === 0 ? 0 : costPerSampleUsd !== null ? savedSamples * costPerSampleUsd : null,
  };
}
