/**
 * How many times the price table's figure for a sample's usage a reported cost may be before it is
 * not trusted: far past any price change, cached discount or rounding.
 */
export const ABSURD_COST_FACTOR = 100;

/** A sample's cost as counted: by the run, its reports and `--max-cost`. */
export interface CountedCost {
  costUsd: number | null;
  costSource: 'api' | 'priceTable' | null;
  /** Why the API's figure was not taken as it is; absent when it was (or there was none). */
  costFlag?: string;
}

/**
 * The cost to count for a sample, from the API's figure (`reportedUsd`, as read off the wire) and the
 * price table's figure for its usage (`tableUsd`, null without a price or usage). The API's figure
 * stands, unless it is negative, not a finite number, or more than {@link ABSURD_COST_FACTOR} times the
 * table's: then the sample is flagged and the larger of the two counts (a negative or broken figure
 * never lowers what was spent). Without a figure from the API, the table's counts.
 */
export function trustReportedCost(reportedUsd: number | null, tableUsd: number | null): CountedCost {
  if (reportedUsd === null) return { costUsd: tableUsd, costSource: tableUsd !== null ? 'priceTable' : null };
  if (!Number.isFinite(reportedUsd) || reportedUsd < 0) {
    const what = Number.isFinite(reportedUsd) ? `negative ($${reportedUsd})` : 'not a finite number';
    // Worded only for a flagged sample: this runs for every sample.
    const table = tableUsd === null ? '' : `; counted the price table's $${formatSmallUsd(tableUsd)} for the usage`;
    return { costUsd: tableUsd ?? 0, costSource: tableUsd !== null ? 'priceTable' : null, costFlag: `the API's cost is ${what}${table}` };
  }
  if (tableUsd !== null && tableUsd > 0 && reportedUsd > ABSURD_COST_FACTOR * tableUsd) {
    const times = Math.round(reportedUsd / tableUsd);
    return { costUsd: reportedUsd, costSource: 'api', costFlag: `the API's cost, $${formatSmallUsd(reportedUsd)}, is ${times.toLocaleString('en-US')}× what the price table makes of the usage ($${formatSmallUsd(tableUsd)}); counted as reported` };
  }
  return { costUsd: reportedUsd, costSource: 'api' };
}

function formatSmallUsd(usd: number): string {
  return usd >= 1 ? usd.toFixed(2).replace(/\.00$/, '') : Number(usd.toPrecision(4)).toString();
}
