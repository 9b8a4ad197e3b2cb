import { describe, expect, it } from 'vitest';
import { trustReportedCost } from '../../src/cost/trust-reported-cost.js';

describe('trustReportedCost', () => {
  it('takes the API figure as it is when it is plausible for the usage', () => {
    expect(trustReportedCost(0.002, 0.0021)).toEqual({ costUsd: 0.002, costSource: 'api' });
    expect(trustReportedCost(0.2, 0.0021)).toEqual({ costUsd: 0.2, costSource: 'api' });
  });

  it('prices from the table when the API sent no figure, without a flag', () => {
    expect(trustReportedCost(null, 0.003)).toEqual({ costUsd: 0.003, costSource: 'priceTable' });
    expect(trustReportedCost(null, null)).toEqual({ costUsd: null, costSource: null });
  });

  it('flags a negative figure and counts the table instead', () => {
    expect(trustReportedCost(-4, 0.003)).toEqual({ costUsd: 0.003, costSource: 'priceTable', costFlag: "the API's cost is negative ($-4); counted the price table's $0.003 for the usage" });
    expect(trustReportedCost(-4, null)).toMatchObject({ costUsd: 0, costSource: null, costFlag: expect.stringContaining('negative') });
  });

  it('flags a figure that is not finite and counts the table instead', () => {
    expect(trustReportedCost(Number.POSITIVE_INFINITY, 0.003)).toMatchObject({ costUsd: 0.003, costSource: 'priceTable', costFlag: expect.stringContaining('not a finite number') });
  });

  it('flags a figure more than 100 times the table and counts the larger one, as reported', () => {
    const counted = trustReportedCost(246914, 0.0042);
    expect(counted).toMatchObject({ costUsd: 246914, costSource: 'api' });
    expect(counted.costFlag).toMatch(/^the API's cost, \$246914, is 58,789,048× what the price table makes of the usage \(\$0\.0042\)/);
    expect(trustReportedCost(0.42, 0.0042).costFlag).toBeUndefined();
    expect(trustReportedCost(0.4201, 0.0042).costFlag).toBeDefined();
  });
});
