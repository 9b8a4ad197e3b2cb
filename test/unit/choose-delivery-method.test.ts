import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { chooseDeliveryMethod } from '../../src/plan/choose-delivery-method.js';

const models = new ModelTable(DEFAULT_MODELS);
const gpt = models.find('openai-gpt-5-5')!;

describe('chooseDeliveryMethod', () => {
  it('is sync by default', () => {
    expect(chooseDeliveryMethod({ requested: undefined, model: gpt, thinkingLevel: 'high', maxTokens: 32_000, requestTimeoutMs: 180_000 })).toEqual({ method: 'sync' });
  });

  it('sends xhigh async, with a notice, when all of maxTokens at the model speed would outlive the request timeout', () => {
    const choice = chooseDeliveryMethod({ requested: undefined, model: gpt, thinkingLevel: 'xhigh', maxTokens: 32_000, requestTimeoutMs: 180_000 });
    expect(choice.method).toBe('async');
    expect(choice.notice).toContain('openai-gpt-5-5 at xhigh with maxTokens 32000 may take up to ~9 min');
    expect(choice.notice).toContain('requestTimeoutMs 180000 ms: sent async');
  });

  it('keeps xhigh sync when its worst case fits in the request timeout', () => {
    expect(chooseDeliveryMethod({ requested: undefined, model: gpt, thinkingLevel: 'xhigh', maxTokens: 4096, requestTimeoutMs: 180_000 })).toEqual({ method: 'sync' });
  });

  it('keeps a method the suite asks for, and only questions sync when xhigh would outlive the timeout', () => {
    expect(chooseDeliveryMethod({ requested: 'stream', model: gpt, thinkingLevel: 'xhigh', maxTokens: 128_000, requestTimeoutMs: 1000 })).toEqual({ method: 'stream' });
    const sync = chooseDeliveryMethod({ requested: 'sync', model: gpt, thinkingLevel: 'xhigh', maxTokens: 128_000, requestTimeoutMs: 180_000 });
    expect(sync.method).toBe('sync');
    expect(sync.notice).toContain('consider async');
  });

  it("sends an async-only model async, saying why, from the model table's own limits", () => {
    const choice = chooseDeliveryMethod({ requested: undefined, model: models.find('openai-gpt-5-4-pro')!, thinkingLevel: 'high', maxTokens: 1000, requestTimeoutMs: 180_000 });
    expect(choice).toEqual({ method: 'async', notice: 'openai-gpt-5-4-pro takes deliveryMethod async only: sent async' });
  });
});
