import { formatCount, formatMs, formatPercent, formatUsd } from '../core/format-figures.js';
import type { GroupSummary } from '../results/group-summary.js';
import { settingLabel } from '../core/setting.js';

/**
 * The figures of a suite's settings that do not fit its main table, as text cells: the latency tail,
 * tokens by kind, pass@k and pass^k, waits kept apart from latency, the total cost, and for a
 * streamed group its delivery and time to first token and text. Shared by summary.md and
 * report.html so both say the same; the console's table reuses its column helpers.
 */
export interface SettingsDetails {
  head: string[];
  /** One row per group, in the order given; every cell already formatted. */
  rows: string[][];
  /** What the delivery and streaming columns mean, when they are shown. */
  notes: string[];
}

/** Whether any group was sent other than sync: the delivery column is shown then. */
export function hasNonSyncDelivery(groups: readonly GroupSummary[]): boolean {
  return groups.some((g) => g.deliveryMethods.some((m) => m !== 'sync'));
}

/** Whether any group streamed: the time-to-first-token columns are shown then. */
export function hasStreamedGroup(groups: readonly GroupSummary[]): boolean {
  return groups.some((g) => g.timeToFirstTokenMs !== null);
}

/** `stream ×4` (a streamed trial of numberResults 4 is sent as 4 tasks), `async`, `sync+async`. */
export function formatDelivery(g: Pick<GroupSummary, 'deliveryMethods' | 'tasksPerTrial'>): string {
  return `${g.deliveryMethods.join('+')}${g.tasksPerTrial > 1 ? ` ×${g.tasksPerTrial}` : ''}`;
}

/** Headers of time to first token (p50, p95) and to first visible text (p50), in ms. */
export const STREAM_HEAD = ['TTFT p50', 'TTFT p95', 'text p50'];

/** A group's cells under STREAM_HEAD (`—` for a group that did not stream). */
export function streamCells(g: Pick<GroupSummary, 'timeToFirstTokenMs' | 'timeToFirstTextMs'>): string[] {
  return [formatMs(g.timeToFirstTokenMs?.p50), formatMs(g.timeToFirstTokenMs?.p95), formatMs(g.timeToFirstTextMs?.p50)];
}

/** The lines that explain the delivery and streaming columns, for the groups that need them. */
export function deliveryNotes(groups: readonly GroupSummary[]): string[] {
  const notes: string[] = [];
  if (groups.some((g) => g.tasksPerTrial > 1)) {
    notes.push('stream ×N: Runware streams one result per task, so a trial of numberResults N is sent as N tasks of one result each');
  }
  if (hasStreamedGroup(groups)) notes.push('TTFT: time to first token (reasoning or text); text: time to first visible text; in ms');
  return notes;
}

/** `92.0% (k=4)`: the mean over cases at the largest k every case reached; `—` without one. */
function atLargestK(values: readonly number[]): string {
  return values.length === 0 ? '—' : `${formatPercent(values[values.length - 1])} (k=${values.length})`;
}

const HEAD = [
  'setting', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'prompt tok', 'completion tok', 'thinking tok',
  'pass@k', 'pass^k', 'queue p95 ms', 'retries', 'backoff ms', 'cost',
];

/** The details of `groups` (one suite's), with delivery and streaming columns only when they apply. */
export function settingsDetails(groups: readonly GroupSummary[]): SettingsDetails {
  const showDelivery = hasNonSyncDelivery(groups);
  const showStream = hasStreamedGroup(groups);
  const rows = groups.map((g) => [
    settingLabel(g),
    formatMs(g.latencyMs.p50),
    formatMs(g.latencyMs.p90),
    formatMs(g.latencyMs.p95),
    formatMs(g.latencyMs.p99),
    formatMs(g.latencyMs.max),
    formatCount(g.tokens.prompt),
    formatCount(g.tokens.completion),
    formatCount(g.tokens.thinking),
    atLargestK(g.passAtK),
    atLargestK(g.passHatK),
    formatMs(g.waits.queueMs.p95),
    formatCount(g.retries),
    formatMs(g.waits.backoffMs.total),
    formatUsd(g.costUsd),
    ...(showDelivery ? [formatDelivery(g)] : []),
    ...(showStream ? streamCells(g) : []),
  ]);
  return {
    head: [...HEAD, ...(showDelivery ? ['delivery'] : []), ...(showStream ? STREAM_HEAD : [])],
    rows,
    notes: deliveryNotes(groups),
  };
}
