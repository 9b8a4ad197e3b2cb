import { describe, expect, it } from 'vitest';
import { trialId } from '../../src/plan/trial-id.js';

describe('trialId', () => {
  it('is the first 16 hex digits of the SHA-256 of suite, case, model, level, numberResults and repeat, as in every earlier run (resume and baselines find trials by it)', () => {
    // Pinned: computed with createHash('sha256').update(key).digest('hex') before trialId used crypto.hash.
    expect(trialId('invoices', 'acme', { model: 'openai-gpt-5-5', air: 'openai:gpt@5.5', thinkingLevel: 'low', numberResults: 4 }, 2)).toBe('627fd225ad5c628a');
  });

  it('does not depend on the AIR, only on the model id', () => {
    const setting = { model: 'openai-gpt-5-5', thinkingLevel: 'low' as const, numberResults: 4 };
    expect(trialId('s', 'c', { ...setting, air: 'a:1@1' }, 0)).toBe(trialId('s', 'c', { ...setting, air: 'b:2@2' }, 0));
  });
});
