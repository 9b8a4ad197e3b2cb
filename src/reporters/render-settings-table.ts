import Table from 'cli-table3';
import { formatCount, formatInterval, formatMs, formatPercent, formatUsd } from '../results/format-figures.js';
import type { GroupSummary } from '../results/run-summary.js';
import { formatDelivery, hasNonSyncDelivery, hasStreamedGroup, STREAM_HEAD, streamCells } from './settings-details.js';
import type { Painter } from './terminal-text.js';

const HEAD = ['model', 'level', 'n', 'samples', 'pass rate', '95% CI', 'errored', 'cost', '$/sample', 'p50 ms', 'p95 ms', 'think tok'];
/** Shown only when a group was not sent sync: how, and for a stream, how many tasks a trial took. */
const DELIVERY_HEAD = ['delivery'];

/**
 * One suite's settings as a table: a row per model × thinkingLevel × numberResults with its samples,
 * pass rate and interval, errors, cost, latency and mean thinking tokens; with the delivery method
 * when any group was not sent sync, and time to first token and text when any group streamed. Pure:
 * returns the text.
 */
export function renderSettingsTable(groups: readonly GroupSummary[], paint: Painter): string {
  const showDelivery = hasNonSyncDelivery(groups);
  const showStream = hasStreamedGroup(groups);
  const head = [...HEAD, ...(showDelivery ? DELIVERY_HEAD : []), ...(showStream ? STREAM_HEAD : [])];
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (i < 2 || i === HEAD.length ? 'left' : 'right')),
  });
  for (const g of groups) {
    // A setting that is not gated is measured, never failed: no ✓ or ✗ for it.
    const isBelow = g.gated !== false && g.passRate !== null && g.passRate < g.threshold;
    const mark = g.passRate === null ? '?' : g.gated === false ? '·' : isBelow ? '✗' : '✓';
    const rate = `${formatPercent(g.passRate)} ${mark}`;
    table.push([
      g.model,
      g.thinkingLevel,
      String(g.numberResults),
      formatCount(g.samples),
      g.passRate === null ? paint('yellow', rate) : g.gated === false ? rate : paint(isBelow ? 'red' : 'green', rate),
      formatInterval(g.passRateCi95),
      g.errored > 0 ? paint('yellow', formatCount(g.errored)) : '0',
      formatUsd(g.costUsd),
      formatUsd(g.costPerSampleUsd),
      formatMs(g.latencyMs.p50),
      formatMs(g.latencyMs.p95),
      formatCount(g.meanThinkingTokens),
      ...(showDelivery ? [formatDelivery(g)] : []),
      ...(showStream ? streamCells(g) : []),
    ]);
  }
  return table.toString();
}
