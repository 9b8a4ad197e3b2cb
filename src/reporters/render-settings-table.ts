import Table from 'cli-table3';
import { formatCount, formatInterval, formatMs, formatPercent, formatUsd } from '../results/format-figures.js';
import type { GroupSummary } from '../results/run-summary.js';
import type { Painter } from './terminal-text.js';

const HEAD = ['model', 'level', 'n', 'samples', 'pass rate', '95% CI', 'errored', 'cost', '$/sample', 'p50 ms', 'p95 ms', 'think tok'];

/**
 * One suite's settings as a table: a row per model × thinkingLevel × numberResults with its samples,
 * pass rate and interval, errors, cost, latency and mean thinking tokens. Pure: returns the text.
 */
export function renderSettingsTable(groups: readonly GroupSummary[], paint: Painter): string {
  const table = new Table({
    head: HEAD,
    style: { head: [], border: [], compact: true },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const g of groups) {
    const isBelow = g.passRate !== null && g.passRate < g.threshold;
    const mark = g.passRate === null ? '?' : isBelow ? '✗' : '✓';
    const rate = `${formatPercent(g.passRate)} ${mark}`;
    table.push([
      g.model,
      g.thinkingLevel,
      String(g.numberResults),
      formatCount(g.samples),
      g.passRate === null ? paint('yellow', rate) : paint(isBelow ? 'red' : 'green', rate),
      formatInterval(g.passRateCi95),
      g.errored > 0 ? paint('yellow', formatCount(g.errored)) : '0',
      formatUsd(g.costUsd),
      formatUsd(g.costPerSampleUsd),
      formatMs(g.latencyMs.p50),
      formatMs(g.latencyMs.p95),
      formatCount(g.meanThinkingTokens),
    ]);
  }
  return table.toString();
}
