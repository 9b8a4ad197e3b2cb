import { describe, expect, it } from 'vitest';
import { formatSoakReport, runSoak } from './soak.js';

// CI runs a small soak; `npm run soak` runs the full size (SOAK_TRIALS=2400).
const TRIALS = Number(process.env.SOAK_TRIALS ?? 300);

describe(`soak: ${TRIALS} trials through every fault`, () => {
  it('records every trial once, whole, and errors a sample only when its retries ran out', async () => {
    const report = await runSoak({ trials: TRIALS, concurrency: 32, faultShare: 0.03, admitConcurrency: 12, seed: 42 });
    console.log(`\n${formatSoakReport(report)}\n`);
    expect(report.trials).toBeGreaterThanOrEqual(TRIALS);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
    expect(report.erroredEarly).toBe(0);
    expect(report.samples).toBe(report.trials * 2.5);
    // Every fault kind was exercised. (Whether the queue limit is reached depends on how fast the
    // run backs off from the other faults; the concurrency test below exercises it for sure.)
    for (const kind of ['rateLimited', 'serverError', 'unavailable', 'gatewayTimeout', 'providerTimeout', 'hang', 'reset', 'malformed', 'truncated', 'mixed', 'wrongCount']) {
      expect(report.faultsInjected[kind], kind).toBeGreaterThan(0);
    }
    expect(report.retries).toBeGreaterThan(0);
  }, 240_000);

  it('under faults that outlast the retries, still loses and duplicates nothing, and errors only exhausted samples', async () => {
    const report = await runSoak({ trials: Math.min(TRIALS, 160), concurrency: 16, faultShare: 0.07, admitConcurrency: 8, seed: 7, maxAttempts: 3 });
    console.log(`\n${formatSoakReport(report)}\n`);
    expect(report.errored).toBeGreaterThan(0);
    expect(report.erroredEarly).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
  }, 240_000);

  it('finishes a run at concurrency 64 against a server that admits 8, without an error, refused less often than without backing off', async () => {
    // No hung responses to cut short here: a generous timeout keeps a busy machine from erroring samples.
    const options = { trials: Math.min(TRIALS, 400), concurrency: 64, faultShare: 0, admitConcurrency: 8, seed: 3, requestTimeoutMs: 5000 };
    const report = await runSoak(options);
    console.log(`\n${formatSoakReport(report)}\n`);
    expect(report.faultsInjected.admission).toBeGreaterThan(0);
    expect(report.faultsInjected.admission!).toBeLessThan(report.trials / 2);
    expect(report.errored).toBe(0);
    expect(report.lost).toBe(0);

    // The same run at a fixed concurrency of 64: what backing off (AIMD) is worth.
    const fixed = await runSoak({ ...options, adaptiveConcurrency: false });
    console.log(
      `concurrency 64 against a server admitting 8, ${report.trials} trials: with AIMD ${report.faultsInjected.admission} refusals (429), ${report.errored} errored samples; ` +
        `without ${fixed.faultsInjected.admission ?? 0} refusals, ${fixed.errored} errored samples ${JSON.stringify(fixed.erroredByCode)}`,
    );
    expect(report.faultsInjected.admission!).toBeLessThan(fixed.faultsInjected.admission ?? 0);
    expect(report.errored).toBeLessThanOrEqual(fixed.errored);
    expect(fixed.lost).toBe(0);
  }, 240_000);
});
