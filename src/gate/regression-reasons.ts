import type { Comparison } from '../results/compare-runs.js';
import { formatPercent, formatUsd } from '../core/format-figures.js';
import type { GateReason } from '../results/run-summary.js';
import { STATED_POWER, type RegressionPolicy } from './regression-policy.js';
import { settingLabel, settingKey } from '../core/setting.js';

/**
 * What a judged comparison says: `reasons` fail the run (a regression of a gated setting that survived
 * the family's correction), `notices` are said and never fail (a case that flipped, a rise that was not
 * tested or not significant, a suite too small to see the drop that matters, unless `requirePower`).
 */
export function regressionReasons(comparison: Comparison, policy: ReasonPolicy): { reasons: GateReason[]; notices: GateReason[] } {
  const reasons: GateReason[] = [];
  const notices: GateReason[] = [];
  const family = `Holm-adjusted over ${comparison.family.size} test${comparison.family.size === 1 ? '' : 's'}`;
  for (const g of comparison.groups) {
    const where = { suite: g.suite, model: g.model, thinkingLevel: g.thinkingLevel, numberResults: g.numberResults };
    const label = `${g.suite} · ${settingLabel(g)}`;
    if (g.regressions.includes('passRate')) {
      const points = ((g.testedDrop ?? 0) * 100).toFixed(1);
      const test = g.test === 'none' ? '' : `; ${g.test}${g.pairedCases ? ` on ${g.pairedCases} paired cases` : ''}, one-sided p = ${g.pDrop.toPrecision(2)}, ${family} ${g.pDropAdjusted.toPrecision(2)}`;
      reasons.push({ code: 'REGRESSION', message: `${label}: pass rate ${formatPercent(g.before.passRate)} → ${formatPercent(g.after.passRate)} (−${points} points${test}) against baseline ${comparison.baselineRunId}`, ...where });
    }
    if (!g.gated) continue;
    const cost = costRise(g);
    if (g.regressions.includes('cost')) {
      reasons.push({ code: 'COST_REGRESSION', message: `${label}: ${cost} (${g.costTest}, ${family} p = ${g.pCostRiseAdjusted!.toPrecision(2)})`, ...where });
    } else if (g.costTest === 'none' && cost && g.after.costPerSampleUsd! > g.before.costPerSampleUsd! * (1 + (policy.maxCostIncrease ?? NOTED_RISE))) {
      notices.push({ code: 'COST_REGRESSION', message: `${label}: ${cost}, not tested (the baseline records no per-case costs): reported, not failed`, ...where });
    }
    const latency = latencyRise(g);
    if (g.regressions.includes('latency')) {
      reasons.push({ code: 'LATENCY_REGRESSION', message: `${label}: ${latency} (${g.latencyTest} on per-case latencies, ${family} p = ${g.pLatencyRiseAdjusted!.toPrecision(2)})`, ...where });
    } else if (latency && g.latencyRatio !== null && g.latencyRatio > 1 + (policy.maxLatencyIncrease ?? NOTED_RISE) && g.pLatencyRise !== null && g.pLatencyRise <= comparison.family.alpha) {
      const why =
        policy.maxLatencyIncrease === null || policy.maxLatencyIncrease === undefined
          ? 'latency is reported, not gated (gate.maxLatencyIncrease)'
          : g.pLatencyRiseAdjusted === null
            ? `fewer than gate.latencyMinSamples samples on a side (${g.before.completed} before, ${g.after.completed} now): reported, not failed`
            : 'not significant in the family, or under the limits';
      notices.push({ code: 'LATENCY_REGRESSION', message: `${label}: ${latency}; ${why}`, ...where });
    }
    if (g.minDetectableDrop !== null && g.minDetectableDrop > policy.minDrop) {
      const sees = g.minDetectableDrop >= 1
        ? `with ${g.pairedCases} paired cases no drop, however large, can be significant in a family of ${comparison.family.size}`
        : `this comparison detects a drop of ${formatPoints(g.minDetectableDrop)} or more (${formatPercent(STATED_POWER, 0)} power, ${g.pairedCases} paired cases)`;
      const power = `${label}: ${sees}; gate.minDrop is ${formatPoints(policy.minDrop)}, so smaller drops can pass unseen (evalgate advise --drop ${policy.minDrop} says how many cases it takes)`;
      (policy.requirePower ? reasons : notices).push({ code: 'UNDERPOWERED', message: power, ...where });
    }
  }
  const failing = new Set(comparison.groups.filter((g) => g.regressions.includes('cases')).map(settingKey));
  for (const c of comparison.regressedCases) {
    const gated = comparison.groups.find((g) => settingKey(g) === settingKey(c))?.gated ?? false;
    const failed = failing.has(settingKey(c));
    const message = `${c.suite}/${c.case} · ${settingLabel(c)}: passed ${c.before.passed}/${c.before.completed} in the baseline, ${c.after.passed}/${c.after.completed} now`;
    (failed && gated ? reasons : notices).push({ code: 'CASE_REGRESSION', message, suite: c.suite, model: c.model, thinkingLevel: c.thinkingLevel, numberResults: c.numberResults });
  }
  return { reasons, notices };
}

/** What the gate needs of its policy to word its reasons. */
export type ReasonPolicy = Pick<RegressionPolicy, 'minDrop' | 'requirePower'> & Partial<Pick<RegressionPolicy, 'maxCostIncrease' | 'maxLatencyIncrease'>>;

/** A rise worth a notice when the policy sets no limit of its own: +20%. */
const NOTED_RISE = 0.2;

const formatPoints = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} points`;

function costRise(g: Comparison['groups'][number]): string {
  const [before, after] = [g.before.costPerSampleUsd, g.after.costPerSampleUsd];
  if (before === null || after === null || !(before > 0)) return '';
  return `cost per sample ${formatUsd(before)} → ${formatUsd(after)} (+${formatPercent(after / before - 1, 0)})`;
}

function latencyRise(g: Comparison['groups'][number]): string {
  if (g.latencyRatio === null || g.before.caseLatencyMs === null || g.after.caseLatencyMs === null) return '';
  const p95 = g.before.p95LatencyMs !== null && g.after.p95LatencyMs !== null ? `; p95 ${Math.round(g.before.p95LatencyMs)} → ${Math.round(g.after.p95LatencyMs)} ms` : '';
  return `latency per case ${Math.round(g.before.caseLatencyMs)} → ${Math.round(g.after.caseLatencyMs)} ms (×${g.latencyRatio.toFixed(2)} geometric mean${p95})`;
}
