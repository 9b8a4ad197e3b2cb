import type { CaseSummary } from './group-summary.js';
import { fisherExactOneSided, holmAdjust } from './significance.js';
import { MATCH_BY_SETTING, type SettingMatch } from '../core/setting.js';
import { completedOf, type CaseChange } from './compare-runs.js';

/** One case at one setting in two runs: its passes out of completed samples in each, and a verdict. */
export interface CaseComparison extends CaseChange {
  /** Fisher's exact one-sided p for the direction the pass rate moved, Holm-adjusted across the setting's shared cases; 1 when it did not move. */
  pAdjusted: number;
  verdict: 'worse' | 'better' | 'same';
}

/**
 * Every case that both runs completed at the same setting, side by side: changed cases first (the
 * significant ones, then by the size of the change), unchanged after. A case's samples are few, so
 * its verdict comes from Fisher's exact test on its own samples, Holm-adjusted across the cases of its
 * setting so that a long suite does not turn noise into verdicts; with one sample a case is never
 * significant on its own (the setting's paired test weighs it). `match` pairs the runs' settings.
 */
export function compareCases(before: readonly CaseSummary[], after: readonly CaseSummary[], alpha: number, match: SettingMatch = MATCH_BY_SETTING): CaseComparison[] {
  const { settingKey, caseKey } = match;
  const earlier = new Map(before.map((c) => [caseKey(c), c]));
  const bySetting = new Map<string, CaseComparison[]>();
  const pValues = new Map<CaseComparison, number>();
  for (const now of after) {
    const then = earlier.get(caseKey(now));
    if (!then || completedOf(then) === 0 || completedOf(now) === 0) continue;
    const row: CaseComparison = {
      suite: now.suite, case: now.case, model: now.model, thinkingLevel: now.thinkingLevel, numberResults: now.numberResults,
      before: { passed: then.passed, completed: completedOf(then) },
      after: { passed: now.passed, completed: completedOf(now) },
      pAdjusted: 1,
      verdict: 'same',
    };
    const delta = rateOf(row.after) - rateOf(row.before);
    const [pb, fb, pa, fa] = [then.passed, then.failed, now.passed, now.failed];
    pValues.set(row, delta < 0 ? fisherExactOneSided(pb, fb, pa, fa) : delta > 0 ? fisherExactOneSided(pa, fa, pb, fb) : 1);
    const rows = bySetting.get(settingKey(now)) ?? [];
    rows.push(row);
    bySetting.set(settingKey(now), rows);
  }
  const all: CaseComparison[] = [];
  for (const rows of bySetting.values()) {
    const adjusted = holmAdjust(rows.map((r) => pValues.get(r)!));
    rows.forEach((row, i) => {
      row.pAdjusted = adjusted[i]!;
      const delta = rateOf(row.after) - rateOf(row.before);
      row.verdict = adjusted[i]! <= alpha ? (delta < 0 ? 'worse' : 'better') : 'same';
      all.push(row);
    });
  }
  const change = (r: CaseComparison) => Math.abs(rateOf(r.after) - rateOf(r.before));
  return all.sort((x, y) => Number(y.verdict !== 'same') - Number(x.verdict !== 'same') || change(y) - change(x));
}

const rateOf = (side: { passed: number; completed: number }) => side.passed / side.completed;
