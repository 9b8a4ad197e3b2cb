import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from '../../src/results/significance.js';
import { formatSequentialSimulation, simulateMonitor, simulateSequential } from './sequential-simulation.js';

// CI runs it small; `npm run gate-sim` runs it full size (GATE_SIM_REPS=400; docs/statistics.md).
const REPS = Number(process.env.GATE_SIM_REPS ?? 6);
const FULL = REPS >= 200;
const CASES = 200;

/** The most alarms `reps` runs may raise before "the rate is at most alpha" is rejected at 1%. */
function tolerated(reps: number, alpha: number): number {
  let k = 0;
  while (binomialUpperTail(k + 1, reps, alpha) > 0.01) k++;
  return k;
}

describe('sequential sampling, the monitor alone at known rates (many runs)', () => {
  const reps = FULL ? 4000 : 400;
  const base = { reps, cases: CASES, numberResults: 2, seed: 17 };

  it('decides below for a rate that meets the threshold at most alpha of the time, under continuous monitoring', () => {
    const at = simulateMonitor({ ...base, rate: 0.8 });
    console.log(`monitor: rate at the threshold, ${reps} runs: decided below ${at.decidedBelow}, above ${at.decidedAbove}`);
    expect(at.decidedBelow).toBeLessThanOrEqual(tolerated(reps, 0.05));
  }, 600_000);

  it('spends at most half the fixed plan when the rate is 10 points or more from the threshold', () => {
    for (const rate of [0.9, 0.7, 0.95]) {
      const run = simulateMonitor({ ...base, rate });
      console.log(`monitor: rate ${rate}: ${(run.meanShare * 100).toFixed(1)}% of the fixed plan; below ${run.decidedBelow}, above ${run.decidedAbove} of ${reps}`);
      expect(run.meanShare).toBeLessThanOrEqual(0.5);
    }
  }, 600_000);

  it('against a baseline: an unchanged rate is decided regressed at most alpha of the time; a 15-point drop at least 80%', () => {
    const unchanged = simulateMonitor({ ...base, rate: 0.9, baselineRate: 0.9 });
    const dropped = simulateMonitor({ ...base, rate: 0.75, baselineRate: 0.9 });
    console.log(`monitor: unchanged regressed ${unchanged.regressed}/${reps} (spent ${(unchanged.meanShare * 100).toFixed(1)}%); 15-point drop regressed ${dropped.regressed}/${reps} (spent ${(dropped.meanShare * 100).toFixed(1)}%)`);
    expect(unchanged.regressed).toBeLessThanOrEqual(tolerated(reps, 0.05));
    expect(dropped.regressed / reps).toBeGreaterThanOrEqual(0.8);
  }, 600_000);
});

describe(`sequential sampling end to end over HTTP, ${REPS} runs per condition`, () => {
  it('holds its error rates and saves samples with every part switched on', async () => {
    const report = await simulateSequential({ reps: REPS, cases: CASES, numberResults: 2 });
    console.log(`\n${formatSequentialSimulation(report)}\n`);
    const limit = FULL ? Math.floor(report.alpha * REPS) : tolerated(REPS, report.alpha);
    expect(report.atThreshold.decidedBelow).toBeLessThanOrEqual(limit);
    expect(report.regression.falseAlarms).toBeLessThanOrEqual(limit);
    expect(report.regression.detected / REPS).toBeGreaterThanOrEqual(FULL ? 0.8 : 0.5);
    for (const row of report.savings.filter((s) => Math.abs(s.rate - report.threshold) >= 0.1 - 1e-9)) expect(row.meanShare).toBeLessThanOrEqual(FULL ? 0.5 : 0.75);
  }, 1_800_000);
});
