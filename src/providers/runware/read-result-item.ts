import { FINISH_REASONS, type FinishReason } from '../../core/runware-limits.js';
import type { Usage } from '../../core/sample-record.js';
import type { ProviderResult } from '../provider.js';
import { readToolCalls } from './read-tool-calls.js';

/**
 * Reads one result item, as it comes in `data`, from getResponse or flat to a webhook: text, tool
 * calls, finishReason, usage and cost. Undefined when it has neither text nor tool calls (an
 * acknowledgement, or a broken item); a result that only calls tools has empty text.
 */
export function readResultItem(item: Record<string, unknown>): ProviderResult | undefined {
  const toolCalls = readToolCalls(item);
  if (typeof item.text !== 'string' && toolCalls.length === 0) return undefined;
  return {
    text: typeof item.text === 'string' ? item.text : '',
    finishReason: readFinishReason(item.finishReason),
    usage: readUsage(item.usage),
    costUsd: readCost(item.cost),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}

/** One of Runware's finish reasons; anything else is `unknown`. */
export function readFinishReason(value: unknown): FinishReason {
  return FINISH_REASONS.includes(value as FinishReason) ? (value as FinishReason) : 'unknown';
}

/**
 * The API's cost in USD as sent, or null when absent or not a number. A negative or overflowing
 * (`1e999`) figure is kept: the run flags it rather than drop it silently (trustReportedCost).
 */
export function readCost(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** Token counts; missing or negative counts read as 0, a missing total as prompt + completion (Runware's definition of it). */
export function readUsage(value: unknown): Usage | null {
  if (value === null || typeof value !== 'object') return null;
  const u = value as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const promptTokens = count(u.promptTokens);
  const completionTokens = count(u.completionTokens);
  const thinkingTokens = count(u.thinkingTokens);
  const totalTokens = typeof u.totalTokens === 'number' ? count(u.totalTokens) : promptTokens + completionTokens;
  return { promptTokens, completionTokens, thinkingTokens, totalTokens };
}
