import type { ThinkingLevel } from '../core/runware-limits.js';
import type { JudgeAgreement } from './judge-agreement.js';

/** A labelled answer the judge got wrong. */
export interface JudgeMiss {
  case: string;
  /** The labels file's line. */
  line: number;
  /** The answer, cut to 200 characters. */
  text: string;
  note?: string;
  /** The judge's first reason. */
  reason: string;
}

/**
 * What `evalgate calibrate` measured, as stored (one file per rubric hash under judge.calibrationsDir)
 * and as later runs record it in summary.json (`judgeCalibrations`) when they use that rubric.
 */
export interface JudgeCalibration extends JudgeAgreement {
  schemaVersion: 1;
  suite: string;
  /** The rubric (and reference) hashes this calibration measured: a run using one of them records it. */
  rubricHashes: string[];
  judge: { model: string; thinkingLevel: ThinkingLevel; samples: number; threshold: number | null; promptVersion: string };
  labelsFile: string;
  calibratedAt: string;
  falsePasses: JudgeMiss[];
  falseFails: JudgeMiss[];
  cost: { calls: number; cachedCalls: number; costUsd: number };
}
