import path from 'node:path';
import type { Reporter } from './reporter.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** `json`: writes summary.json into the run folder (schemas/summary.schema.json). */
export function createSummaryJsonReporter(): Reporter {
  return {
    async onRunFinished({ summary, runDir }) {
      await writeFileAtomic(path.join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    },
  };
}
