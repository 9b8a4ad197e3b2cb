import { z } from 'zod';
import { THINKING_LEVELS, type ThinkingLevel } from '../core/runware-limits.js';

/**
 * Which settings of a suite the gate judges: the ones a product ships. A setting matches when every key
 * given lists its value; settings that match none are measured, compared and recommended, never failed.
 */
export const GateOnSchema = z
  .strictObject({
    model: z.array(z.string().min(1)).min(1).optional().describe('Models whose settings are gated (slugs or AIRs). @default every model'),
    thinkingLevel: z.array(z.enum(THINKING_LEVELS)).min(1).optional().describe('Thinking levels that are gated. @default every level'),
  })
  .describe('The settings the gate judges (threshold and baseline regressions); the others are measured, not gated. @default every setting');

/** A resolved `gateOn`: model ids as the model table names them. */
export interface GateOn {
  model?: string[];
  thinkingLevel?: ThinkingLevel[];
}

/** True when `gateOn` is absent (every setting is gated) or the setting matches each of its keys. */
export function isGatedSetting(gateOn: GateOn | null | undefined, setting: { model: string; thinkingLevel: ThinkingLevel }): boolean {
  if (!gateOn) return true;
  if (gateOn.model && !gateOn.model.includes(setting.model)) return false;
  if (gateOn.thinkingLevel && !gateOn.thinkingLevel.includes(setting.thinkingLevel)) return false;
  return true;
}

/** Words for a `gateOn`: "thinkingLevel medium · model openai-gpt-5-5", or "every setting". */
export function describeGateOn(gateOn: GateOn | null | undefined): string {
  if (!gateOn) return 'every setting';
  const parts = [gateOn.model ? `model ${gateOn.model.join('|')}` : '', gateOn.thinkingLevel ? `thinkingLevel ${gateOn.thinkingLevel.join('|')}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'every setting';
}
