import { displayPath } from '../config/display-path.js';
import type { Reporter } from '../run/run-events.js';
import { renderGateLines } from './render-gate-lines.js';
import { makePainter } from './terminal-text.js';

/**
 * The verdict alone, when the console report is not chosen (`--reporter json`, say): a gate that
 * fails says why on screen, whatever else is written. The console report ends with the same lines.
 */
export function createVerdictReporter(options: { write: (text: string) => void; color: boolean; cwd: string }): Reporter {
  const paint = makePainter(options.color);
  return {
    onRunFinished({ summary, runDir }) {
      options.write(`${[...renderGateLines(summary, paint), paint('dim', `Artefacts: ${displayPath(runDir, options.cwd)}`)].join('\n')}\n`);
    },
  };
}
