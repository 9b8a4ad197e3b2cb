/** The stylesheet of report.html: inline, no fonts or images fetched. */
export const REPORT_STYLE = `
:root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --pass: #16a34a; --fail: #dc2626; --bg: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f8fafc; }
#app { max-width: 1180px; margin: 0 auto; padding: 20px; }
h1 { margin: 0 0 4px; font-size: 22px; } h2 { font-size: 18px; margin: 0 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); font-size: 12px; font-weight: normal; }
section { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 16px; }
.verdict.pass { border-left: 6px solid var(--pass); } .verdict.fail { border-left: 6px solid var(--fail); }
.verdict ul { margin: 8px 0; padding-left: 18px; } .exit { color: var(--muted); font-size: 14px; font-weight: normal; }
.simulated, .placeholders, .cost .warn { background: #fef3c7; padding: 6px 10px; border-radius: 4px; }
.totals { font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
@media (max-width: 900px) { .charts { grid-template-columns: 1fr; } }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg { width: 100%; height: auto; display: block; }
.grid { stroke: var(--line); } .threshold { stroke: var(--fail); stroke-dasharray: 5 4; }
.tick { font-size: 10px; fill: var(--muted); } .label { font-size: 10px; fill: var(--fg); }
.whisker { stroke-width: 2; } .cheapest { fill: none; stroke: #111827; stroke-width: 1.5; stroke-dasharray: 2 2; }
.bar { fill: #93c5fd; } .p95 { stroke: var(--fail); stroke-width: 2; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tr.below td { color: var(--fail); }
table.facts th, table.facts td { text-align: left; white-space: normal; }
.scroll { overflow-x: auto; }
.matrix td { text-align: center; padding: 2px; }
button.cell { width: 100%; border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; background: #f3f4f6; cursor: pointer; font: inherit; }
button.cell:hover { outline: 2px solid #2563eb; }
dialog { width: min(960px, 94vw); max-height: 90vh; border: 1px solid var(--line); border-radius: 8px; padding: 18px; }
dialog::backdrop { background: rgba(15, 23, 42, 0.45); }
.close { float: right; font-size: 20px; border: 0; background: none; cursor: pointer; }
.sample { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 8px 0; }
.sample.failed { border-left: 4px solid var(--fail); } .sample.passed { border-left: 4px solid var(--pass); } .sample.errored { border-left: 4px solid #d97706; }
.sample-head { display: flex; gap: 12px; flex-wrap: wrap; align-items: baseline; font-size: 12px; }
.badge { padding: 1px 6px; border-radius: 10px; font-size: 11px; text-transform: uppercase; }
.badge.passed { background: #dcfce7; } .badge.failed { background: #fee2e2; } .badge.errored { background: #fef3c7; }
.assertions { margin: 6px 0; padding-left: 16px; font-size: 12px; } .assertions .ko { color: var(--fail); }
.error { color: #b45309; }
details.prompt { margin: 8px 0; } details.prompt p.role { margin: 6px 0 0; font-size: 12px; color: var(--muted, #64748b); text-transform: uppercase; }
pre.text { white-space: pre-wrap; word-break: break-word; background: #f8fafc; border: 1px solid var(--line); padding: 8px; border-radius: 4px; max-height: 320px; overflow: auto; margin: 6px 0 0; }
.case-list ul { margin: 4px 0 8px; padding-left: 18px; } .case-list li { margin: 2px 0; }
button.case-link { border: 0; background: none; padding: 0; color: #2563eb; cursor: pointer; font: inherit; text-decoration: underline; }
.failing h3 { color: var(--fail); }
button.more { margin: 8px 0; padding: 4px 10px; cursor: pointer; }
`;
