import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { recordedSequential } from '../gate/recorded-sequential.js';
import type { SequentialRecord } from '../gate/sequential-monitor.js';
import type { RunSummary } from '../results/run-summary.js';
import type { RunManifest } from './run-manifest.js';

/**
 * The sequential decisions the run folders' summary.json recorded (one folder: `report`; the shards
 * of one run: `merge`), or why there are none: a run with a fixed plan has none to find; a sequential
 * run whose summary.json is missing or unreadable cannot be judged as it sampled, and is judged as a
 * fixed plan, which `warn` says.
 */
export function readRecordedSequential(runDirs: readonly string[], manifest: RunManifest | undefined, warn: (line: string) => void): SequentialRecord | undefined {
  if (!manifest?.config.suites.some((s) => s.untilDecided)) return undefined;
  const summaries = runDirs.map((dir) => {
    const file = path.join(dir, 'summary.json');
    try {
      return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as RunSummary).sequential ?? null) : null;
    } catch {
      return null;
    }
  });
  const missing = runDirs.filter((_, i) => summaries[i] === null);
  if (missing.length > 0) {
    warn(`warning: ${missing.join(', ')} recorded no sequential decisions (summary.json missing or from a fixed plan); the run is judged as a fixed plan`);
    return undefined;
  }
  return recordedSequential(summaries.filter((s) => s !== null));
}
