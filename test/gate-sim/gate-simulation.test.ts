import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/results/wilson-interval.js';
import { formatGateSimulation, simulateGate } from './gate-simulation.js';

// CI runs a small simulation; `npm run gate-sim` runs the full one (GATE_SIM_REPS=400).
const REPS = Number(process.env.GATE_SIM_REPS ?? 24);

describe(`the regression gate, simulated ${REPS} times per condition`, () => {
  it('raises false alarms at most alpha of the time, and catches a true 15-point drop', async () => {
    const report = await simulateGate({ reps: REPS, cases: 100, baseAccuracy: 0.9, drop: 0.15 });
    console.log(`\n${formatGateSimulation(report)}\n`);
    // With few repetitions the estimate is rough: the false-alarm rate must be consistent with ≤ alpha
    // (its 95% interval reaches down to alpha), and at full size the rate itself is checked.
    const [lo] = wilsonInterval(report.falseAlarms, report.reps)!;
    expect(lo).toBeLessThanOrEqual(report.alpha);
    if (REPS >= 200) expect(report.falseAlarmRate).toBeLessThanOrEqual(report.alpha);
    expect(report.detectionRate).toBeGreaterThan(0.5);
  }, 600_000);
});
