import path from 'node:path';
import type { Reporter } from '../run/run-events.js';
import { writeJsonFile } from '../core/write-json-file.js';

/** `json`: writes summary.json into the run folder (schemas/summary.schema.json), streamed. */
export function createSummaryJsonReporter(): Reporter {
  return {
    onRunFinished({ summary, runDir }) {
      writeJsonFile(path.join(runDir, 'summary.json'), summary);
    },
  };
}
