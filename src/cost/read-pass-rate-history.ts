import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { settingKey, type Setting } from '../core/setting.js';

/** A setting's pass rate in an earlier run, and its cases' counts. */
export interface SettingPassRates {
  runId: string;
  passRate: number;
  /** Per case: completed samples and those that passed (cases with no completed sample left out). */
  cases: { passed: number; completed: number }[];
}

/** Each setting's pass rates in the newest earlier run that has them, keyed by settingKey. */
export type PassRateHistory = ReadonlyMap<string, SettingPassRates>;

interface SummaryShape {
  schemaVersion?: unknown;
  runId?: unknown;
  groups?: (Setting & { passed: number; failed: number; passRate: number | null })[];
  cases?: (Setting & { passed: number; failed: number })[];
  sequential?: { groups?: (Setting & { savedSamples: number })[] };
  /** Trials the budget or a refused key left unsent, and an interrupted run: either took part of its plan. */
  skipped?: unknown;
  interrupted?: unknown;
}

/**
 * Reads the summary.json of each run folder, newest first (as readUsageHistory lists them), and keeps
 * for each setting (suite × model × level × numberResults) the pass rates of the first that has a
 * completed sample of it. A setting that a run sampling until decided stopped early is taken only when
 * no run has it whole: its cases were cut where they happened to look decided, which biases its rate
 * toward that decision. So is every setting of a run that did not finish its plan (interrupted, or
 * trials left unsent by the budget or a refused key): it took the first cases of its plan, not all of
 * them. A folder without a readable summary.json of schema version 1 (a run killed
 * before it wrote one) is passed over.
 */
export function readPassRateHistory(runDirs: readonly string[]): PassRateHistory {
  const history = new Map<string, SettingPassRates>();
  const stoppedEarly = new Map<string, SettingPassRates>();
  for (const dir of runDirs) {
    const summary = readSummary(path.join(dir, 'summary.json'));
    if (!summary) continue;
    const cases = new Map<string, { passed: number; completed: number }[]>();
    for (const c of summary.cases ?? []) {
      const completed = c.passed + c.failed;
      if (completed > 0) cases.set(settingKey(c), [...(cases.get(settingKey(c)) ?? []), { passed: c.passed, completed }]);
    }
    const stopped = new Set((summary.sequential?.groups ?? []).filter((g) => g.savedSamples > 0).map(settingKey));
    const partial = Boolean(summary.skipped) || summary.interrupted === true;
    for (const g of summary.groups ?? []) {
      const key = settingKey(g);
      const into = partial || stopped.has(key) ? stoppedEarly : history;
      if (into.has(key) || g.passRate === null || g.passed + g.failed === 0) continue;
      into.set(key, { runId: String(summary.runId), passRate: g.passRate, cases: cases.get(key) ?? [] });
    }
  }
  for (const [key, rates] of stoppedEarly) if (!history.has(key)) history.set(key, rates);
  return history;
}

function readSummary(file: string): SummaryShape | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as SummaryShape;
    return value.schemaVersion === 1 && Array.isArray(value.groups) ? value : undefined;
  } catch {
    return undefined;
  }
}
