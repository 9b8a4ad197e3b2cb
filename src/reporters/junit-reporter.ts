import { hostname } from 'node:os';
import path from 'node:path';
import { emitJunit } from './render-junit.js';
import type { Reporter } from '../run/run-events.js';
import { writeStreamedFile } from '../core/write-json-file.js';

/** `junit`: writes junit.xml into the run folder, for CI test reports, streamed (as report.html is). */
export function createJunitReporter(): Reporter {
  return {
    async onRunFinished({ summary, runDir, details }) {
      const caseDetails = await details();
      writeStreamedFile(path.join(runDir, 'junit.xml'), (emit) => emitJunit(summary, caseDetails, hostname() || 'localhost', emit));
    },
  };
}
