import type { RunSummary } from '../results/run-summary.js';
import { sanitizeForTerminal, type Painter } from './terminal-text.js';

/** The gate's verdict as the console ends with it: the exit code, every reason, then the notices. */
export function renderGateLines(summary: RunSummary, paint: Painter): string[] {
  const out: string[] = [];
  const verdict = summary.gate.passed ? paint('green', 'PASSED') : paint('red', 'FAILED');
  out.push(`Gate: ${verdict} (exit ${summary.gate.exitCode})`);
  for (const reason of summary.gate.reasons) out.push(`  - ${sanitizeForTerminal(reason.message, { singleLine: true })}`);
  const notices = summary.gate.notices ?? [];
  if (notices.length > 0) {
    out.push(paint('dim', `Notices (said, not failed):`));
    for (const notice of notices) out.push(paint('dim', `  · ${sanitizeForTerminal(notice.message, { singleLine: true })}`));
  }
  return out;
}
