import { readCaseLines } from '../config/read-case-lines.js';
import type { Reporter } from '../run/run-events.js';
import { annotateGate } from './workflow-annotations.js';

/**
 * With GITHUB_ACTIONS=true: the failed gate as workflow annotations (`::error file=…,line=…::`), each
 * failing case at its line in its suite, so the pull request's diff shows where. Prints nothing else.
 */
export function createAnnotationReporter(options: { write: (text: string) => void; cwd: string }): Reporter {
  return {
    async onRunFinished({ summary }) {
      if (summary.gate.passed) return;
      const lines = new Map<string, Map<string, number>>();
      for (const suite of summary.config.suites) lines.set(suite.name, await readCaseLines(suite.file, options.cwd));
      const file = (suite: string) => summary.config.suites.find((s) => s.name === suite)?.file;
      const annotations = annotateGate(summary, (suite, caseId) => {
        const line = lines.get(suite)?.get(caseId);
        const at = file(suite);
        return line !== undefined && at !== undefined ? { file: at, line } : undefined;
      });
      if (annotations.length > 0) options.write(`${annotations.join('\n')}\n`);
    },
  };
}
