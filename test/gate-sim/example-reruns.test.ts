import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from '../../src/results/significance.js';
import { rerunExamples } from './example-reruns.js';

// CI reruns the examples a few times; `npm run gate-sim` runs them at full size (GATE_SIM_REPS=400:
// 400 fresh pairs, and 20 reruns against the one baseline of the default seed), figures in docs/ci.md.
const REPS = Number(process.env.GATE_SIM_REPS ?? 6);
const FULL = REPS >= 200;

describe("the shipped examples, rerun unchanged against a baseline", () => {
  it('raise a regression reason in at most alpha of fresh pairs', async () => {
    const report = await rerunExamples(REPS);
    console.log(`\nexamples, ${REPS} unchanged pairs: ${report.falseAlarms} false alarms (${JSON.stringify(report.byReason)})\n`);
    if (FULL) expect(report.falseAlarms).toBeLessThanOrEqual(Math.floor(0.05 * REPS));
    // At CI's size: reject "at most 5%" only when the count would happen 1% of the time at 5%.
    else expect(binomialUpperTail(report.falseAlarms, REPS, 0.05)).toBeGreaterThan(0.01);
  }, 3_600_000);

  it('raise none in at least 19 of 20 reruns against the default seed\'s baseline', async () => {
    const reruns = FULL ? 20 : 3;
    const report = await rerunExamples(reruns, 7);
    console.log(`\nexamples, ${reruns} reruns against the seed-7 baseline: ${report.falseAlarms} with a regression reason (${JSON.stringify(report.byReason)})\n`);
    expect(report.falseAlarms).toBeLessThanOrEqual(FULL ? 1 : 1);
  }, 3_600_000);
});
