import { createHash } from 'node:crypto';
import type { CaseDetail } from '../../results/collect-case-details.js';
import type { RunSummary } from '../../results/run-summary.js';
import { reportCharts } from './report-charts.js';
import { reportClient } from './report-client.js';
import { buildReportData } from './report-data.js';
import { REPORT_STYLE } from './report-style.js';

/**
 * report.html: one self-contained file that opens from disk, with no network. The data goes in as
 * JSON (with `<` escaped, so nothing in it can close its script element); the page draws itself with
 * its own script, which a Content-Security-Policy pins by hash: even markup that slipped into the
 * page could neither run a script nor load anything.
 */
export function renderHtml(summary: RunSummary, details: ReadonlyMap<string, CaseDetail>): string {
  const data = JSON.stringify(buildReportData(summary, details)).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const script = `(${reportClient.toString()})(JSON.parse(document.getElementById('evalgate-data').textContent), { charts: ${reportCharts.toString()} });`;
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:`;
  const title = `evalgate ${summary.gate.passed ? 'passed' : 'failed'} · ${summary.runId}`.replace(/[<>&"]/g, '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<main id="app"></main>
<script type="application/json" id="evalgate-data">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}
