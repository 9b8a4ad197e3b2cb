import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from '../../src/results/significance.js';
import { formatGateSimulation, simulateGate } from './gate-simulation.js';

// CI runs a small simulation; `npm run gate-sim` runs the full one (GATE_SIM_REPS=400, docs/ci.md).
const REPS = Number(process.env.GATE_SIM_REPS ?? 8);
const FULL = REPS >= 200;

/**
 * The most false alarms `reps` unchanged pairs may raise before we reject "the rate is at most alpha"
 * at 1%: at CI's size a gate at exactly alpha fails this test 1% of the time at most, one at 4 × alpha
 * most of the time. At full size the observed rate itself must be at most alpha.
 */
function tolerated(reps: number, alpha: number): number {
  let k = 0;
  while (binomialUpperTail(k + 1, reps, alpha) > 0.01) k++;
  return k;
}

describe(`the whole gate, simulated ${REPS} times per condition, every check on`, () => {
  it('raises false alarms at most alpha of the time, and catches a true 15-point drop at the case count advise names (numberResults 2)', async () => {
    const report = await simulateGate({ reps: REPS, cases: 100, numberResults: 2, repeats: 1, baseAccuracy: 0.9, drop: 0.15 });
    console.log(`\n${formatGateSimulation(report)}\n(tolerated at this size: ${tolerated(REPS, report.alpha)} false alarms)\n`);
    // Both policies: every check in the family (a larger family holds each test stricter), and the defaults.
    for (const alarms of [report.falseAlarms.everyCheck, report.falseAlarms.defaults]) {
      expect(alarms).toBeLessThanOrEqual(FULL ? Math.floor(report.alpha * REPS) : tolerated(REPS, report.alpha));
    }
    for (const detected of [report.detections.everyCheck, report.detections.defaults]) {
      expect(detected / REPS).toBeGreaterThanOrEqual(FULL ? 0.8 : 0.5);
    }
  }, 1_800_000);

  it('holds with repeats as well as numberResults (samples of a case from several requests)', async () => {
    const reps = FULL ? REPS : Math.ceil(REPS / 2);
    const report = await simulateGate({ reps, cases: 40, numberResults: 2, repeats: 2, baseAccuracy: 0.9, drop: 0.15, degradedCases: 40 });
    console.log(`\n${formatGateSimulation(report)}\n`);
    for (const alarms of [report.falseAlarms.everyCheck, report.falseAlarms.defaults]) {
      expect(alarms).toBeLessThanOrEqual(FULL ? Math.floor(report.alpha * reps) : tolerated(reps, report.alpha));
    }
  }, 1_800_000);
});
