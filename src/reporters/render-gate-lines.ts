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
    // Cases that flipped are listed up to a screenful: a broken prompt flips every case, and the rest are in summary.json.
    const flips = notices.filter((n) => n.code === 'CASE_REGRESSION');
    const shown = notices.filter((n) => n.code !== 'CASE_REGRESSION' || flips.indexOf(n) < NAMED_CASE_FLIPS);
    for (const notice of shown) out.push(paint('dim', `  · ${sanitizeForTerminal(notice.message, { singleLine: true })}`));
    if (flips.length > NAMED_CASE_FLIPS) out.push(paint('dim', `  · … and ${flips.length - NAMED_CASE_FLIPS} more cases that passed every sample in the baseline and fail every one now (summary.json gate.notices)`));
  }
  return out;
}

/** Case flips named on the console before "and N more". */
const NAMED_CASE_FLIPS = 10;
