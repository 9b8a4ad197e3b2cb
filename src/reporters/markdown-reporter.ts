import path from 'node:path';
import { renderMarkdown } from './render-markdown.js';
import type { Reporter } from '../run/run-events.js';
import { writeFileAtomic } from '../core/write-file-atomic.js';

/** `markdown`: writes summary.md into the run folder, for a CI job summary or a PR comment. */
export function createMarkdownReporter(): Reporter {
  return {
    async onRunFinished({ summary, runDir }) {
      await writeFileAtomic(path.join(runDir, 'summary.md'), renderMarkdown(summary));
    },
  };
}
