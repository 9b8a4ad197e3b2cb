import { describe, expect, it } from 'vitest';
import { evaluateGate, type GateInput } from '../../src/gate/evaluate-gate.js';
import { makeCounters, makeGroup, makeSequentialGroup, makeSequentialSummary } from '../support/builders.js';

function gate(overrides: Partial<GateInput> = {}) {
  return evaluateGate({ groups: [makeGroup()], totals: makeCounters(), maxErrorRate: 0.5, interrupted: false, ...overrides });
}

const belowThreshold = makeGroup({
  suite: 'invoices',
  model: 'openai-gpt-5-5',
  thinkingLevel: 'low',
  numberResults: 4,
  samples: 12,
  passed: 7,
  failed: 5,
  passRate: 7 / 12,
  passRateCi95: [0.32, 0.81],
  threshold: 0.9,
});
const allErrored = makeGroup({ suite: 'chat', thinkingLevel: 'high', samples: 4, passed: 0, failed: 0, errored: 4, passRate: null, passRateCi95: null });
const manyErrors = makeCounters({ samples: 10, passed: 3, failed: 1, errored: 6, errorsByCode: { SERVER_ERROR: 2, RATE_LIMITED: 3, NETWORK_ERROR: 1 } });

describe('evaluateGate', () => {
  it('passes with exit 0 and no reasons when every group meets its threshold', () => {
    const groups = [makeGroup({ thinkingLevel: 'low', passRate: 0.95, threshold: 0.9 }), makeGroup({ thinkingLevel: 'high', passRate: 1, threshold: 0.9 })];
    expect(gate({ groups })).toEqual({ passed: true, exitCode: 0, reasons: [], notices: [] });
  });

  it('gives a refused key as the one reason, exit 3, leaving out the errors and empty groups that follow from it', () => {
    const skipped = { trials: 20, samples: 40, reason: 'the API key was refused (HTTP 401 INVALID_API_KEY)', trialIds: [], cause: 'refused' as const };
    expect(gate({ groups: [allErrored], totals: manyErrors, skipped })).toEqual({
      passed: false,
      exitCode: 3,
      reasons: [{ code: 'ACCESS_REFUSED', message: 'the API key was refused (HTTP 401 INVALID_API_KEY); 20 trials were not sent' }],
      notices: [],
    });
  });

  it('fails with exit 3 when --max-cost refused judge calls, though the few samples graded passed', () => {
    // Before, 14 of 16 samples errored JUDGE_ERROR for the budget and the gate passed on the other 2 (exit 0).
    const result = gate({ refusedJudgeCalls: 42, totals: makeCounters({ samples: 16, passed: 2, failed: 0, errored: 14, errorsByCode: { JUDGE_ERROR: 14 } }), maxErrorRate: 1 });
    expect(result.exitCode).toBe(3);
    expect(result.reasons).toEqual([
      { code: 'BUDGET_EXHAUSTED', message: '42 judge calls were not sent: the worst case of each would have passed --max-cost; their samples errored (JUDGE_ERROR)' },
    ]);
    expect(gate({ refusedJudgeCalls: 0 }).exitCode).toBe(0);
  });

  it('fails with exit 3, saying so, when the run spent more than its budget, though every group passed', () => {
    const result = gate({ overspent: { spentUsd: 246914.2, maxCostUsd: 1 } });
    expect(result).toMatchObject({ passed: false, exitCode: 3 });
    expect(result.reasons).toEqual([{ code: 'BUDGET_EXCEEDED', message: expect.stringMatching(/^the run spent \$246,?914(\.\d+)?, above --max-cost \$1/) }]);
  });

  it('passes a group whose pass rate equals its threshold exactly', () => {
    expect(gate({ groups: [makeGroup({ passed: 9, failed: 1, passRate: 9 / 10, threshold: 0.9 })] })).toMatchObject({ passed: true, exitCode: 0 });
    expect(gate({ groups: [makeGroup({ passed: 29, failed: 21, passRate: 29 / 50, threshold: 0.58 })] })).toMatchObject({ passed: true, exitCode: 0 });
  });

  it('fails with exit 1 when a group is below its threshold, naming the group, its rate, interval and threshold', () => {
    const result = gate({ groups: [makeGroup({ thinkingLevel: 'high', passRate: 1 }), belowThreshold] });
    expect(result.passed).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.reasons).toEqual([
      {
        code: 'BELOW_THRESHOLD',
        message: 'invoices · openai-gpt-5-5 · low · n=4: pass rate 58.3% (95% CI 32–81%, 7/12) is below the threshold 90%',
        suite: 'invoices',
        model: 'openai-gpt-5-5',
        thinkingLevel: 'low',
        numberResults: 4,
      },
    ]);
  });

  it('states a threshold with decimals as written', () => {
    const result = gate({ groups: [makeGroup({ passed: 99, failed: 1, passRate: 0.99, passRateCi95: [0.946, 0.998], threshold: 0.995 })] });
    expect(result.reasons[0]!.message).toContain('pass rate 99.0% (95% CI 95–100%, 99/100) is below the threshold 99.5%');
  });

  it('shows more digits when one decimal would round the rate up to the threshold', () => {
    const result = gate({ groups: [makeGroup({ passed: 2249, failed: 251, passRate: 2249 / 2500, passRateCi95: [0.887, 0.911], threshold: 0.9 })] });
    expect(result.exitCode).toBe(1);
    expect(result.reasons[0]!.message).toContain('pass rate 89.96% (95% CI 89–91%, 2249/2500) is below the threshold 90%');
  });

  it('fails with exit 3 and NO_COMPLETED_SAMPLES when a group has only errored samples', () => {
    const result = gate({ groups: [allErrored], totals: makeCounters({ samples: 100, errored: 4 }) });
    expect(result).toMatchObject({ passed: false, exitCode: 3 });
    expect(result.reasons).toEqual([
      {
        code: 'NO_COMPLETED_SAMPLES',
        message: 'chat · openai-gpt-5-5 · high · n=1: no sample completed (4 errored), so its pass rate is unknown',
        suite: 'chat',
        model: 'openai-gpt-5-5',
        thinkingLevel: 'high',
        numberResults: 1,
      },
    ]);
  });

  it('fails with exit 3 and TOO_MANY_ERRORS when errors reach maxErrorRate, naming the most frequent code', () => {
    const result = gate({ totals: manyErrors, maxErrorRate: 0.6 });
    expect(result).toMatchObject({ passed: false, exitCode: 3 });
    expect(result.reasons).toEqual([
      { code: 'TOO_MANY_ERRORS', message: '6 of 10 samples errored (60.0%, limit 60.0%); most often RATE_LIMITED' },
    ]);
  });

  it('tolerates errors below maxErrorRate', () => {
    expect(gate({ totals: manyErrors, maxErrorRate: 0.61 })).toEqual({ passed: true, exitCode: 0, reasons: [], notices: [] });
  });

  it('never counts errored samples as failed: a group with errors but a good rate passes', () => {
    const group = makeGroup({ samples: 10, passed: 5, failed: 0, errored: 5, passRate: 1, threshold: 0.9 });
    expect(gate({ groups: [group], totals: makeCounters({ samples: 10, errored: 5 }), maxErrorRate: 0.9 })).toMatchObject({ exitCode: 0 });
  });

  it('ends with 130 when interrupted', () => {
    expect(gate({ interrupted: true })).toEqual({
      passed: false,
      exitCode: 130,
      reasons: [{ code: 'INTERRUPTED', message: 'the run was interrupted before every trial was sent' }],
      notices: [],
    });
  });

  it('ranks exit codes 130 > 3 > 1 > 0 and keeps every reason', () => {
    const everything = gate({ interrupted: true, totals: manyErrors, maxErrorRate: 0.5, groups: [belowThreshold, allErrored] });
    expect(everything.exitCode).toBe(130);
    expect(everything.reasons.map((r) => r.code)).toEqual(['INTERRUPTED', 'TOO_MANY_ERRORS', 'BELOW_THRESHOLD', 'NO_COMPLETED_SAMPLES']);

    expect(gate({ totals: manyErrors, groups: [belowThreshold] }).exitCode).toBe(3);
    expect(gate({ groups: [allErrored, belowThreshold] }).exitCode).toBe(3);
    expect(gate({ groups: [belowThreshold, allErrored] }).exitCode).toBe(3);
    expect(gate({ groups: [belowThreshold] }).exitCode).toBe(1);
  });

  it('says so when none of a suite\'s gated settings ran, and still passes', () => {
    const groups = [makeGroup({ suite: 'a', thinkingLevel: 'low', gated: false, passRate: 0.1 }), makeGroup({ suite: 'b', thinkingLevel: 'low' })];
    expect(gate({ groups })).toMatchObject({ passed: true, reasons: [], notices: [{ code: 'NOTHING_GATED', suite: 'a', message: 'a: none of its gated settings (gateOn) ran, so nothing in it was gated' }] });
  });
});

describe('evaluateGate with a sequential run', () => {
  // The invoices setting above: 7/12 passing (58%) against a threshold of 90%.
  const setting = { suite: 'invoices', model: 'openai-gpt-5-5', thinkingLevel: 'low' as const, numberResults: 4, threshold: 0.9 };
  const undecidedTest = { decision: null, decidedAtCase: null, level: 20, eValues: { above: 1, below: 3 }, pValues: { above: 1, below: 1 / 3 } };
  const sequentialGate = (group: Parameters<typeof makeSequentialGroup>[0], undecided: 'estimate' | 'pass' | 'fail' = 'estimate') =>
    gate({ groups: [belowThreshold], sequential: makeSequentialSummary([makeSequentialGroup({ ...setting, ...group })], { undecided }) });

  it('fails a setting decided below, naming the test, and passes one decided above whatever its point estimate', () => {
    const below = sequentialGate({ verdict: 'fails', observedCases: 9, stoppedAtCase: 9, thresholdTest: { decision: 'below', decidedAtCase: 9, level: 20, eValues: { above: 1, below: 25 }, pValues: { above: 1, below: 0.04 } } });
    expect(below.reasons[0]!.message).toContain('decided after 9 of 150 cases (e-value 25.0 ≥ 20.0');
    expect(sequentialGate({}).reasons).toEqual([]);
  });

  it('judges a setting undecided after its last case by sequential.undecided', () => {
    const ranOut = { verdict: 'undecided' as const, observedCases: 150, stoppedAtCase: null, thresholdTest: undecidedTest };
    expect(sequentialGate(ranOut).reasons.map((r) => r.code)).toEqual(['BELOW_THRESHOLD']);
    expect(sequentialGate(ranOut, 'fail').reasons.map((r) => r.code)).toEqual(['UNDECIDED']);
    const passed = sequentialGate(ranOut, 'pass');
    expect([passed.exitCode, passed.notices!.map((n) => n.code)]).toEqual([0, ['UNDECIDED']]);
    expect(passed.notices![0]!.message).toContain('after all 150 cases');
  });

  it('never applies it to a setting that stopped before its last case: on a regression, or when the run stopped', () => {
    // Stopped on a regression: the regression is its reason (from the comparison), not its threshold.
    const regressed = sequentialGate({ verdict: 'fails', observedCases: 48, stoppedAtCase: 48, thresholdTest: undecidedTest });
    expect([...regressed.reasons, ...regressed.notices!]).toEqual([]);
    // The run stopped (interrupted, the budget): a notice saying so, no verdict on the cases it happened to have.
    const cut = sequentialGate({ verdict: 'undecided', observedCases: 18, stoppedAtCase: null, thresholdTest: undecidedTest }, 'fail');
    expect(cut.reasons).toEqual([]);
    expect(cut.notices![0]!.message).toContain('after 18 of 150 cases: the run stopped before it decided');
  });
});
