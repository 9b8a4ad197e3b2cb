import { hash } from 'node:crypto';
import type { SweepPoint } from './trial.js';

/**
 * A trial's id: a hash of what identifies it (suite, case, setting, repeat), so it is the same in every
 * run, which lets a resumed run or a baseline comparison find the same trial again.
 */
export function trialId(suite: string, caseId: string, setting: SweepPoint, repeat: number): string {
  const key = [suite, caseId, setting.model, setting.thinkingLevel, setting.numberResults, repeat].join('\u0000');
  // One-shot hash (Node 20.12+): the same digest, about twice as fast as a Hash object per trial
  // (docs/performance.md). The first 8 bytes in hex, made from the digest's bytes: a 16-character
  // string of its own (32 bytes), where slicing the 64-character hex would keep all of it (112 bytes
  // per trial held by the plan).
  return hash('sha256', key, 'buffer').toString('hex', 0, 8);
}
