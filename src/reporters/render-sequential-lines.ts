import type { SequentialSummary } from '../results/sequential-summary.js';
import { sequentialFacts, type SequentialSettingFacts } from './sequential-facts.js';
import { fitToWidth, type Painter } from './terminal-text.js';

/**
 * The console's lines for one suite of a `--until-decided` run, under its settings table: per setting
 * its verdict and what stopping saved, then when the threshold (and, with a baseline, the regression)
 * question was decided and on what e-value. Two or three lines a setting, each under 80 columns for
 * the usual names; with `width` (a terminal), each is cut to it. Empty when the suite did not sample
 * until decided. Pure.
 */
export function renderSequentialLines(sequential: SequentialSummary, suite: string, paint: Painter, width?: number): string[] {
  const settings = sequentialFacts(sequential).settings.filter((s) => s.suite === suite);
  if (settings.length === 0) return [];
  const isMultiModel = new Set(settings.map((s) => s.model)).size > 1;
  const lines = [paint('bold', `Until decided`) + paint('dim', ` (order seed ${sequential.orderSeed}, α = ${sequential.alpha}):`)];
  for (const s of settings) {
    const setting = `${isMultiModel ? `${s.model} ` : ''}${s.thinkingLevel} n=${s.numberResults}`;
    lines.push(`  ${mark(s, paint)} ${setting} · ${s.verdictText} · saved ${s.saved}`);
    lines.push(paint('dim', `      ${s.threshold}`));
    if (s.regression) lines.push(paint('dim', `      ${s.regression}`));
  }
  return width === undefined ? lines : lines.map((line) => fitToWidth(line, width));
}

/** The console's one line of totals: `Until decided: sent 422 of 900 planned samples; saved 478 (53%), $2.49`. */
export function renderSequentialTotals(sequential: SequentialSummary): string {
  return `Until decided: ${sequentialFacts(sequential).totals}`;
}

function mark(s: SequentialSettingFacts, paint: Painter): string {
  if (s.verdict === 'undecided') return paint('yellow', '?');
  if (!s.gated) return '·';
  return s.verdict === 'passes' ? paint('green', '✓') : paint('red', '✗');
}
