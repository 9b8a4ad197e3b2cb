import Table from 'cli-table3';
import { formatCount, formatInterval, formatMs, formatPercent, formatUsd } from '../core/format-figures.js';
import type { GroupSummary } from '../results/group-summary.js';
import { formatDelivery, hasNonSyncDelivery, hasStreamedGroup, STREAM_HEAD, streamCells } from './settings-details.js';
import { visibleLength, type Painter } from './terminal-text.js';

/** One column of the table: its header, alignment, cell, and how early it goes when the terminal is narrow (lower goes first). */
interface Column {
  head: string;
  align: 'left' | 'right';
  /** Kept longest: model, level, n, pass rate (5); dropped first: stream timings (0). */
  keep: number;
  cell(g: GroupSummary, paint: Painter, isBelow: (g: GroupSummary) => boolean): string;
}

const COLUMNS: Column[] = [
  { head: 'model', align: 'left', keep: 5, cell: (g) => g.model },
  { head: 'level', align: 'left', keep: 5, cell: (g) => g.thinkingLevel },
  { head: 'n', align: 'right', keep: 5, cell: (g) => String(g.numberResults) },
  { head: 'samples', align: 'right', keep: 2, cell: (g) => formatCount(g.samples) },
  {
    head: 'pass rate',
    align: 'right',
    keep: 5,
    cell: (g, paint, isBelow) => {
      // A setting that is not gated is measured, never failed: no ✓ or ✗ for it.
      const below = isBelow(g);
      const rate = `${formatPercent(g.passRate)} ${g.passRate === null ? '?' : g.gated === false ? '·' : below ? '✗' : '✓'}`;
      return g.passRate === null ? paint('yellow', rate) : g.gated === false ? rate : paint(below ? 'red' : 'green', rate);
    },
  },
  { head: '95% CI', align: 'right', keep: 4, cell: (g) => formatInterval(g.passRateCi95) },
  { head: 'errored', align: 'right', keep: 3, cell: (g, paint) => (g.errored > 0 ? paint('yellow', formatCount(g.errored)) : '0') },
  { head: 'cost', align: 'right', keep: 2, cell: (g) => formatUsd(g.costUsd) },
  { head: '$/sample', align: 'right', keep: 4, cell: (g) => formatUsd(g.costPerSampleUsd) },
  { head: 'p50 ms', align: 'right', keep: 1, cell: (g) => formatMs(g.latencyMs.p50) },
  { head: 'p95 ms', align: 'right', keep: 3, cell: (g) => formatMs(g.latencyMs.p95) },
  { head: 'think tok', align: 'right', keep: 1, cell: (g) => formatCount(g.meanThinkingTokens) },
];
/** Shown only when a group was not sent sync: how, and for a stream, how many tasks a trial took. */
const DELIVERY: Column = { head: 'delivery', align: 'left', keep: 1, cell: (g) => formatDelivery(g) };
const STREAM: Column[] = STREAM_HEAD.map((head, i) => ({ head, align: 'right', keep: 0, cell: (g) => streamCells(g)[i]! }));

/**
 * One suite's settings as a table: a row per model × thinkingLevel × numberResults with its samples,
 * pass rate and interval, errors, cost, latency and mean thinking tokens; with the delivery method
 * when any group was not sent sync, and time to first token and text when any group streamed. Given
 * `maxWidth` (a terminal's columns), the least needed columns are left out until it fits; the
 * returned `omitted` names them. `isBelow` marks a gated setting ✗ (threshold-verdict.ts: as the gate
 * judged it). Pure: returns the text.
 */
export function renderSettingsTable(
  groups: readonly GroupSummary[],
  paint: Painter,
  maxWidth: number | undefined,
  isBelow: (g: GroupSummary) => boolean,
): { text: string; omitted: string[] } {
  const all = [...COLUMNS, ...(hasNonSyncDelivery(groups) ? [DELIVERY] : []), ...(hasStreamedGroup(groups) ? STREAM : [])];
  let columns = all;
  const render = (shown: readonly Column[]) => renderTable(shown, groups, paint, isBelow);
  let text = render(columns);
  // Drop the lowest-kept column (the rightmost of equals) until the table fits or only the essentials are left.
  while (maxWidth !== undefined && widest(text) > maxWidth) {
    const lowest = Math.min(...columns.map((c) => c.keep));
    if (lowest >= 5) break;
    const drop = columns.map((c) => c.keep).lastIndexOf(lowest);
    columns = columns.filter((_, i) => i !== drop);
    text = render(columns);
  }
  return { text, omitted: all.filter((c) => !columns.includes(c)).map((c) => c.head) };
}

function renderTable(columns: readonly Column[], groups: readonly GroupSummary[], paint: Painter, isBelow: (g: GroupSummary) => boolean): string {
  const table = new Table({ head: columns.map((c) => c.head), style: { head: [], border: [], compact: true }, colAligns: columns.map((c) => c.align) });
  for (const g of groups) table.push(columns.map((c) => c.cell(g, paint, isBelow)));
  return table.toString();
}

function widest(text: string): number {
  return Math.max(...text.split('\n').map(visibleLength));
}
