import path from 'node:path';
import { emitHtml } from './html/render-html.js';
import type { Reporter } from '../run/run-events.js';
import { writeStreamedFile } from '../core/write-json-file.js';

/** `html`: writes report.html into the run folder, one file that opens from disk, streamed. */
export function createHtmlReporter(): Reporter {
  return {
    async onRunFinished({ summary, runDir, details }) {
      const caseDetails = await details();
      writeStreamedFile(path.join(runDir, 'report.html'), (emit) => emitHtml(summary, caseDetails, emit));
    },
  };
}
