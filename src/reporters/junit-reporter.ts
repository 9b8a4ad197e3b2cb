import { hostname } from 'node:os';
import path from 'node:path';
import { renderJunit } from './render-junit.js';
import type { Reporter } from '../run/run-events.js';
import { writeFileAtomic } from '../core/write-file-atomic.js';

/** `junit`: writes junit.xml into the run folder, for CI test reports. */
export function createJunitReporter(): Reporter {
  return {
    async onRunFinished({ summary, runDir, details }) {
      await writeFileAtomic(path.join(runDir, 'junit.xml'), renderJunit(summary, await details(), hostname() || 'localhost'));
    },
  };
}
