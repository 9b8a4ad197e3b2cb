import path from 'node:path';
import { renderHtml } from './html/render-html.js';
import type { Reporter } from '../run/run-events.js';
import { writeFileAtomic } from '../core/write-file-atomic.js';

/** `html`: writes report.html into the run folder, one file that opens from disk. */
export function createHtmlReporter(): Reporter {
  return {
    async onRunFinished({ summary, runDir, details }) {
      await writeFileAtomic(path.join(runDir, 'report.html'), renderHtml(summary, await details()));
    },
  };
}
