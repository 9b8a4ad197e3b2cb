import { THINKING_LEVELS, type ThinkingLevel } from './runware-limits.js';

/**
 * A setting: one suite run with one model, one thinking level and one numberResults. It is the unit a
 * run summarises (a group), the gate judges, the estimate prices and compare matches between runs.
 * Everything that keys or names a setting does it with `settingKey` and `settingLabel`.
 */
export interface Setting {
  suite: string;
  /** The model id suites use (`openai-gpt-5-5`). */
  model: string;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
}

/** A case at a setting: the unit the case tables, case details and case comparisons key by. */
export interface CaseAtSetting extends Setting {
  case: string;
}

/** The setting's own four fields, from anything that carries them (a group, a case summary, a record). */
export function settingOf(s: Setting): Setting {
  return { suite: s.suite, model: s.model, thinkingLevel: s.thinkingLevel, numberResults: s.numberResults };
}

/** What joins the parts of {@link settingKey} and {@link caseKey}: a NUL, which no suite name, model or level holds. */
export const KEY_SEPARATOR = '\u0000';

/** The map key of a setting; distinct settings never share one (fields joined by {@link KEY_SEPARATOR}). */
export function settingKey(s: Setting): string {
  return `${s.suite}${KEY_SEPARATOR}${s.model}${KEY_SEPARATOR}${s.thinkingLevel}${KEY_SEPARATOR}${s.numberResults}`;
}

/** The map key of a case at a setting: its setting's key, {@link KEY_SEPARATOR}, its case id. */
export function caseKey(c: CaseAtSetting): string {
  return `${settingKey(c)}${KEY_SEPARATOR}${c.case}`;
}

/** How people read a setting, without its suite: `openai-gpt-5-5 · low · n=4`. */
export function settingLabel(s: Pick<Setting, 'model' | 'thinkingLevel' | 'numberResults'>): string {
  return `${s.model} · ${s.thinkingLevel} · n=${s.numberResults}`;
}

/** Orders settings for reading: by suite, model, then effort from none to xhigh, then numberResults. */
export function compareSettings(a: Setting, b: Setting): number {
  return (
    a.suite.localeCompare(b.suite) ||
    a.model.localeCompare(b.model) ||
    THINKING_LEVELS.indexOf(a.thinkingLevel) - THINKING_LEVELS.indexOf(b.thinkingLevel) ||
    a.numberResults - b.numberResults
  );
}

/**
 * How two runs' settings and cases are paired for a comparison: by the same setting (the default), or
 * by suite, pairing the one setting of each suite in one run with the one in the other, whatever they
 * are (`compare --by suite`).
 */
export interface SettingMatch {
  settingKey(s: Setting): string;
  caseKey(c: CaseAtSetting): string;
}

export const MATCH_BY_SETTING: SettingMatch = { settingKey, caseKey };

export const MATCH_BY_SUITE: SettingMatch = {
  settingKey: (s) => s.suite,
  caseKey: (c) => `${c.suite}\u0000${c.case}`,
};
