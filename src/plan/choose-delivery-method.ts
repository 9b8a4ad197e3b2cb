import type { ModelEntry } from '../config/model-table.js';
import type { DeliveryMethod, ThinkingLevel } from '../core/runware-limits.js';

/** The delivery method of one setting, and a note for the user when evalgate chose or questions it. */
export interface DeliveryChoice {
  method: DeliveryMethod;
  /** Why evalgate chose this method itself, or why the one asked for may not work; printed once per setting. */
  notice?: string;
}

/** What choosing a setting's delivery method looks at. */
export interface DeliveryQuestion {
  /** The method the suite or evalconfig.yaml asks for; undefined lets evalgate choose. */
  requested: DeliveryMethod | undefined;
  model: ModelEntry;
  thinkingLevel: ThinkingLevel;
  maxTokens: number;
  /** Longest one HTTP request may take (`requestTimeoutMs`); unknown: never switch to async for it. */
  requestTimeoutMs?: number;
}

/**
 * Chooses how a setting's results come back. A method the suite or config asks for is kept (load has
 * checked the model takes it). Otherwise: sync where the model takes it, else the model's first
 * method (`openai-gpt-5-4-pro` is async only); and async, with a notice, for an xhigh request whose
 * worst case (all of maxTokens at the model's typical output speed) would outlive the request
 * timeout, since a sync request that long is cut off and paid for anyway. Pure.
 */
export function chooseDeliveryMethod(q: DeliveryQuestion): DeliveryChoice {
  const { model } = q;
  const worstCaseMs = model.outputTokensPerSecond !== undefined ? (q.maxTokens / model.outputTokensPerSecond) * 1000 : undefined;
  const isTooLongForSync =
    q.thinkingLevel === 'xhigh' && worstCaseMs !== undefined && q.requestTimeoutMs !== undefined && worstCaseMs > q.requestTimeoutMs && model.deliveryMethods.includes('async');
  const why = () =>
    `${model.id} at xhigh with maxTokens ${q.maxTokens} may take up to ~${formatMinutes(worstCaseMs!)} (at ~${model.outputTokensPerSecond} tokens/s), ` +
    `longer than requestTimeoutMs ${q.requestTimeoutMs} ms`;

  if (q.requested !== undefined) {
    if (q.requested === 'sync' && isTooLongForSync) return { method: 'sync', notice: `${why()}; deliveryMethod sync was asked for: consider async` };
    return { method: q.requested };
  }
  if (!model.deliveryMethods.includes('sync')) {
    const method = model.deliveryMethods[0]!;
    return { method, notice: `${model.id} takes deliveryMethod ${model.deliveryMethods.join(', ')} only: sent ${method}` };
  }
  if (isTooLongForSync) return { method: 'async', notice: `${why()}: sent async (set deliveryMethod to choose)` };
  return { method: 'sync' };
}

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  return minutes >= 1 ? `${Math.round(minutes)} min` : `${Math.round(ms / 1000)} s`;
}
