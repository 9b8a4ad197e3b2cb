import { describe, expect, it } from 'vitest';
import { IMAGE_WORST_CASE_TOKENS, worstCaseCostUsd } from '../../src/cost/worst-case-cost.js';
import { makeTrial } from '../support/builders.js';

const pricing = { price: { input: 5, output: 30 } };
const base = makeTrial().request;
const worst = (overrides: Partial<typeof base>) => worstCaseCostUsd({ ...base, ...overrides }, pricing)!;

describe('worstCaseCostUsd with what the prompt carries beyond messages', () => {
  it('bounds tool definitions and a structured-output schema by their JSON bytes', () => {
    const schema = { type: 'object', properties: { city: { type: 'string', description: 'x'.repeat(1000) } } };
    const tools = [{ type: 'function' as const, name: 'get_weather', schema }];
    const extra = (usd: number) => Math.round(((usd - worst({})) * 1e6) / 5);
    expect(extra(worst({ tools, toolChoice: { type: 'auto' } }))).toBeGreaterThan(1000);
    expect(extra(worst({ outputFormat: 'JSON', jsonSchema: { name: 'r', strict: true, schema } }))).toBeGreaterThan(1000);
    // A schema that is not sent (outputFormat TEXT) costs nothing.
    expect(worst({ outputFormat: 'TEXT', jsonSchema: { name: 'r', strict: true, schema } })).toBe(worst({}));
  });

  it('counts each image as its worst case, whatever its encoding', () => {
    const twoImages = worst({ images: ['https://example.com/a.png', 'data:image/png;base64,AAAA'] });
    expect(twoImages - worst({})).toBeCloseTo((2 * IMAGE_WORST_CASE_TOKENS * 5) / 1e6, 10);
  });
});
