import type { Diagnostic } from '../config/diagnostic.js';
import type { RunSummary } from '../results/run-summary.js';
import type { CaseSummary } from '../results/group-summary.js';
import { sanitizeForTerminal } from './terminal-text.js';
import { settingLabel } from '../core/setting.js';

/** Case annotations printed at most; GitHub shows 10 errors per step and 50 per job. */
export const MAX_CASE_ANNOTATIONS = 30;

/** Where a case is written: its suite file (as shown to the user) and the line of its `id`. */
export type CaseLines = (suite: string, caseId: string) => { file: string; line: number } | undefined;

/** A GitHub Actions workflow command: `::error file=…,line=…,title=…::message`, escaped as the runner wants. */
export function workflowCommand(level: 'error' | 'warning', message: string, at: { file?: string; line?: number; col?: number; title?: string } = {}): string {
  const property = (v: string) => v.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  const data = (v: string) => v.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const props = [
    at.file !== undefined ? `file=${property(at.file)}` : '',
    at.line !== undefined ? `line=${at.line}` : '',
    at.col !== undefined ? `col=${at.col}` : '',
    at.title !== undefined ? `title=${property(at.title)}` : '',
  ].filter(Boolean);
  return `::${level}${props.length ? ` ${props.join(',')}` : ''}::${data(sanitizeForTerminal(message))}`;
}

/** Every diagnostic of a config error, as an annotation at its file:line:col. */
export function annotateDiagnostics(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => workflowCommand(d.severity === 'error' ? 'error' : 'warning', `${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`, { file: d.file, line: d.line, col: d.column, title: d.code }));
}

const GATED_CODES = new Set(['BELOW_THRESHOLD', 'REGRESSION', 'CASE_REGRESSION', 'NO_COMPLETED_SAMPLES']);

/**
 * The gate's verdict as annotations: each failing case of a setting that failed the gate, at the
 * line of the case in its suite (worst first, at most MAX_CASE_ANNOTATIONS), and each reason of a
 * failed gate at its suite file.
 */
export function annotateGate(summary: RunSummary, caseLines: CaseLines): string[] {
  if (summary.gate.passed) return [];
  const settingKey = (s: { suite?: string; model?: string; thinkingLevel?: string; numberResults?: number }) => `${s.suite}|${s.model}|${s.thinkingLevel}|${s.numberResults}`;
  const failedSettings = new Set(summary.gate.reasons.filter((r) => GATED_CODES.has(r.code) && r.suite !== undefined).map(settingKey));
  const fileOf = (suite: string | undefined) => summary.config.suites.find((s) => s.name === suite)?.file;
  const out: string[] = [];
  for (const reason of summary.gate.reasons) {
    const file = fileOf(reason.suite);
    out.push(workflowCommand('error', reason.message, { ...(file ? { file, line: 1 } : {}), title: `evalgate ${reason.code}` }));
  }
  const failing = summary.cases
    .filter((c) => c.failed > 0 && failedSettings.has(settingKey(c)))
    .sort((a, b) => (a.passRate ?? 1) - (b.passRate ?? 1));
  for (const c of failing.slice(0, MAX_CASE_ANNOTATIONS)) {
    const at = caseLines(c.suite, c.case);
    out.push(workflowCommand('error', caseMessage(c), { ...(at ?? {}), title: `evalgate: ${c.suite}/${c.case} failed` }));
  }
  if (failing.length > MAX_CASE_ANNOTATIONS) out.push(workflowCommand('warning', `${failing.length - MAX_CASE_ANNOTATIONS} more failing cases are in summary.md and report.html`, { title: 'evalgate' }));
  return out;
}

function caseMessage(c: CaseSummary): string {
  const failure = c.firstFailure ? ` — ${c.firstFailure.type}: ${c.firstFailure.message.slice(0, 300)}` : '';
  return `${settingLabel(c)}: ${c.passed}/${c.passed + c.failed} samples passed${failure}`;
}
