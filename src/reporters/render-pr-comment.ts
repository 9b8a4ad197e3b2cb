import { formatUsd } from '../core/format-figures.js';
import type { RunSummary } from '../results/run-summary.js';
import { cell, renderMarkdown } from './render-markdown.js';
import { settingLabel } from '../core/setting.js';

/** The hidden marker that finds evalgate's own comment again, so later runs update it. */
export const PR_COMMENT_MARKER = '<!-- evalgate:pr-comment -->';
/** GitHub refuses a comment body longer than this many characters. */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;
/** GitLab's limit on a note is 1,000,000 characters. */
export const GITLAB_NOTE_MAX_CHARS = 1_000_000;

export interface PrCommentOptions {
  /** The most characters the code host takes. */
  maxChars: number;
  /** Where the full report is: a sentence (with a link) naming the artefact. */
  reportPointer: string;
}

/**
 * The pull-request comment: the hidden marker, summary.md (verdict, settings table, regressions against
 * the baseline), the cost of each setting against the baseline, and where the full report is. When it
 * is longer than the host allows it is cut at a line, any open <details> closed, and the pointer kept.
 */
export function renderPrComment(summary: RunSummary, options: PrCommentOptions): string {
  const body = [renderMarkdown(summary).trimEnd(), ...costAgainstBaseline(summary)].join('\n');
  const footer = `\n\n---\n${options.reportPointer}\n`;
  const full = `${PR_COMMENT_MARKER}\n${body}${footer}`;
  if (full.length <= options.maxChars) return full;

  const cutNotice = '\n\n> ✂️ This comment was cut to the code host\'s size limit; the rest is in the full report.';
  const room = options.maxChars - PR_COMMENT_MARKER.length - 1 - footer.length - cutNotice.length - '\n</details>'.length * 8;
  const kept: string[] = [];
  let used = 0;
  for (const line of body.split('\n')) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  const text = kept.join('\n');
  const open = (text.match(/<details>/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
  const closing = open > 0 ? `\n${'</details>\n'.repeat(open).trimEnd()}` : '';
  return `${PR_COMMENT_MARKER}\n${text}${closing}${cutNotice}${footer}`;
}

/** Each setting's cost per sample against the baseline's, when there is one. */
function costAgainstBaseline(summary: RunSummary): string[] {
  const groups = summary.baseline?.groups.filter((g) => g.before.costPerSampleUsd !== null || g.after.costPerSampleUsd !== null) ?? [];
  if (groups.length === 0) return [];
  const out = ['', '### Cost against the baseline', '', '| suite | setting | $/sample before | $/sample now | change |', '|---|---|--:|--:|--:|'];
  for (const g of groups) {
    const before = g.before.costPerSampleUsd;
    const after = g.after.costPerSampleUsd;
    const change = before !== null && after !== null && before > 0 ? `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(0)}%${g.regressions.includes('cost') ? ' ❌' : ''}` : '—';
    out.push(`| ${cell(g.suite)} | ${cell(settingLabel(g))} | ${formatUsd(before)} | ${formatUsd(after)} | ${change} |`);
  }
  return out;
}
