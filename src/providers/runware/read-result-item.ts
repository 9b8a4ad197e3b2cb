import { FINISH_REASONS, type FinishReason } from '../../config/runware-limits.js';
import type { Usage } from '../../results/sample-record.js';
import type { ProviderResult } from '../provider.js';

/**
 * Reads one result item, as it comes in `data`, from getResponse or flat to a webhook: text,
 * finishReason, usage and cost. Undefined when it has no text (an acknowledgement, or a broken item).
 */
export function readResultItem(item: Record<string, unknown>): ProviderResult | undefined {
  if (typeof item.text !== 'string') return undefined;
  return {
    text: item.text,
    finishReason: readFinishReason(item.finishReason),
    usage: readUsage(item.usage),
    costUsd: readCost(item.cost),
  };
}

/** One of Runware's finish reasons; anything else is `unknown`. */
export function readFinishReason(value: unknown): FinishReason {
  return FINISH_REASONS.includes(value as FinishReason) ? (value as FinishReason) : 'unknown';
}

/** The API's cost in USD, or null when absent or not a finite number. */
export function readCost(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Token counts; missing or negative counts read as 0, a missing total as the sum. */
export function readUsage(value: unknown): Usage | null {
  if (value === null || typeof value !== 'object') return null;
  const u = value as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const promptTokens = count(u.promptTokens);
  const completionTokens = count(u.completionTokens);
  const thinkingTokens = count(u.thinkingTokens);
  const totalTokens = typeof u.totalTokens === 'number' ? count(u.totalTokens) : promptTokens + completionTokens + thinkingTokens;
  return { promptTokens, completionTokens, thinkingTokens, totalTokens };
}
