import type { ModelSpec } from '../config/model-table.js';
import type { SampleRecord } from '../core/sample-record.js';
import { priceUsage } from './price-usage.js';

/** Relative difference between the API's cost and the price table's above which a report says so. */
export const PRICE_TABLE_TOLERANCE = 0.01;

/**
 * Whether the API's own cost of a sample differs from what the price table makes of its usage by
 * more than {@link PRICE_TABLE_TOLERANCE} of the API's figure. The API's figure is used either way;
 * a disagreement says the table (a price, or `thinkingBilling`) is out of date. False when there is
 * nothing to compare: no API cost, no usage, or no price.
 */
export function disagreesWithPriceTable(record: Pick<SampleRecord, 'costUsd' | 'costSource' | 'usage'>, pricing: Pick<ModelSpec, 'price' | 'thinkingBilling'> | undefined): boolean {
  if (record.costSource !== 'api' || record.costUsd === null || !record.usage || !pricing) return false;
  const table = priceUsage(record.usage, pricing);
  if (table === null) return false;
  return Math.abs(table - record.costUsd) > PRICE_TABLE_TOLERANCE * record.costUsd;
}
