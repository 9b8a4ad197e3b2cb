import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rubricHash } from '../assertions/judge-prompt.js';
import type { Trial } from '../plan/trial.js';
import type { JudgeCalibration } from '../results/judge-calibration.js';
import type { RecordedCalibration } from '../results/run-summary.js';

/**
 * The calibrations kept in `dir` (one `<rubric hash>.json` each, written by `evalgate calibrate`) of the
 * judge rubrics the trials use, each once, without their lists of misses. A missing or unreadable file
 * means no calibration.
 */
export function findCalibrations(trials: readonly Trial[], dir: string): RecordedCalibration[] {
  const hashes = new Set<string>();
  const seenCases = new Set<Trial['case']>();
  for (const trial of trials) {
    if (seenCases.has(trial.case)) continue;
    seenCases.add(trial.case);
    for (const a of trial.case.assertions) if (a.type === 'judge') hashes.add(rubricHash(a.rubric, a.reference));
  }
  const found = new Map<string, RecordedCalibration>();
  for (const hash of hashes) {
    let calibration: JudgeCalibration;
    try {
      calibration = JSON.parse(readFileSync(path.join(dir, `${hash}.json`), 'utf8')) as JudgeCalibration;
    } catch {
      continue;
    }
    if (calibration.schemaVersion !== 1) continue;
    const key = `${calibration.calibratedAt}\u0000${calibration.labelsFile}`;
    if (found.has(key)) continue;
    const { falsePasses, falseFails, ...figures } = calibration;
    found.set(key, { ...figures, falsePasses: falsePasses.length, falseFails: falseFails.length });
  }
  return [...found.values()];
}
