import { createHash } from 'node:crypto';
import { serializeJson } from '../../core/write-json-file.js';
import type { CaseDetails } from '../../results/collect-case-details.js';
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
export function renderHtml(summary: RunSummary, details: CaseDetails): string {
  let html = '';
  emitHtml(summary, details, (text) => (html += text));
  return html;
}

/**
 * report.html piece by piece, as {@link renderHtml} returns it whole: its data is serialized into
 * `emit` as it goes, so the page (10 MB at 100,000 samples) is never one string (writeStreamedFile).
 */
export function emitHtml(summary: RunSummary, details: CaseDetails, emit: (text: string) => void): void {
  const script = `(${reportClient.toString()})(JSON.parse(document.getElementById('evalgate-data').textContent), { charts: ${reportCharts.toString()} });`;
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:`;
  const title = `evalgate ${summary.gate.passed ? 'passed' : 'failed'} · ${summary.runId}`.replace(/[<>&"]/g, '');
  emit(`<!doctype html>
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
<script type="application/json" id="evalgate-data">`);
  // Each escaped character is one UTF-16 unit, so escaping piece by piece is escaping the whole.
  serializeJson(buildReportData(summary, details), (text) => emit(text.replace(UNSAFE_IN_SCRIPT, escapeInScript)), { compact: true });
  emit(`</script>
<script>${script}</script>
</body>
</html>
`);
}

/** What must not appear raw in the JSON inside a script element: `<` (it could close it), and the JavaScript line separators. */
const UNSAFE_IN_SCRIPT = /[<\u2028\u2029]/g;

function escapeInScript(char: string): string {
  return char === '<' ? '\\u003c' : char === '\u2028' ? '\\u2028' : '\\u2029';
}
