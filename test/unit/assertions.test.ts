import { FinishReasonSpecSchema } from '../../src/config/assertion-spec-schema.js';
import { describe, expect, it } from 'vitest';
import type { ParsedJson, SampleView } from '../../src/assertions/assertion.js';
import { compile, testRegexRunner } from '../support/compile.js';
import { compileAssertion } from '../../src/assertions/assertion-registry.js';
import type { JudgeGateway } from '../../src/assertions/judge-gateway.js';
import { evaluateAssertions } from '../../src/assertions/evaluate-assertions.js';
import { ASSERTION_TYPES, type AssertionSpecOf, type AssertionType } from '../../src/config/assertion-spec-schema.js';
import { JsonSchemaCompiler } from '../../src/config/json-schema-compiler.js';
import type { ResolvedAssertion, ResolvedJsonSchemaAssertion } from '../../src/config/loaded-suite.js';
import { makeView } from '../support/builders.js';

/** A `jsonSchema` assertion as load resolves it: the schema compiled by the real compiler. */
function jsonSchemaSpec(schema: Record<string, unknown>, schemaLabel = 'invoice.schema.json'): ResolvedJsonSchemaAssertion {
  const compiled = new JsonSchemaCompiler().compile(schema);
  if (!compiled.ok) throw new Error(`test schema does not compile: ${compiled.message}`);
  return { type: 'jsonSchema', schemaLabel, validate: compiled.validate };
}

async function check(spec: ResolvedAssertion, view: SampleView) {
  return compile(spec).check(view);
}

const INVOICE_SCHEMA = {
  type: 'object',
  required: ['vendor', 'total'],
  properties: { vendor: { type: 'string' }, total: { type: 'number' } },
};

describe('regex', () => {
  it('passes when the text matches, saying where', async () => {
    expect((await check({ type: 'regex', pattern: '"total":\\s*45\\.1\\b', not: false }, makeView({ text: '{"total": 45.1}' })))).toEqual({
      type: 'regex',
      pass: true,
      message: 'matched /"total":\\s*45\\.1\\b/ at 1',
    });
  });

  it('fails when the text does not match, showing the pattern and the text', async () => {
    expect((await check({ type: 'regex', pattern: '^\\d+$', not: false }, makeView({ text: 'forty two' })))).toEqual({
      type: 'regex',
      pass: false,
      message: 'expected a match for /^\\d+$/, got "forty two"',
    });
  });

  it('applies its flags: i ignores case, m anchors per line, s lets . cross newlines', async () => {
    expect((await check({ type: 'regex', pattern: 'ACME', flags: 'i', not: false }, makeView({ text: 'acme corp' }))).pass).toBe(true);
    expect((await check({ type: 'regex', pattern: 'ACME', not: false }, makeView({ text: 'acme corp' }))).pass).toBe(false);
    expect((await check({ type: 'regex', pattern: '^total$', flags: 'm', not: false }, makeView({ text: 'vendor\ntotal\n' }))).pass).toBe(true);
    expect((await check({ type: 'regex', pattern: '^total$', not: false }, makeView({ text: 'vendor\ntotal\n' }))).pass).toBe(false);
    expect((await check({ type: 'regex', pattern: 'a.b', flags: 's', not: false }, makeView({ text: 'a\nb' }))).pass).toBe(true);
  });

  it('shows its flags in the message', async () => {
    expect((await check({ type: 'regex', pattern: 'x', flags: 'im', not: false }, makeView({ text: 'y' }))).message).toBe('expected a match for /x/im, got "y"');
  });

  it('with not, passes when nothing matches', async () => {
    expect((await check({ type: 'regex', pattern: 'sorry', flags: 'i', not: true }, makeView({ text: 'Here is the JSON.' })))).toEqual({
      type: 'regex',
      pass: true,
      message: 'no match for /sorry/i',
    });
  });

  it('with not, fails on a match, quoting what matched and where', async () => {
    expect((await check({ type: 'regex', pattern: 'sorry', flags: 'i', not: true }, makeView({ text: 'I am Sorry, I cannot' })))).toEqual({
      type: 'regex',
      pass: false,
      message: 'expected no match for /sorry/i, found "Sorry" at 5',
    });
  });

  it('gives the same verdict every time it runs (no lastIndex carried between samples)', async () => {
    const assertion = compile({ type: 'regex', pattern: 'ok', flags: 'i', not: false });
    const verdicts = await Promise.all([1, 2, 3].map(async () => (await assertion.check(makeView({ text: 'OK' }))).pass));
    expect(verdicts).toEqual([true, true, true]);
  });
});

describe('contains', () => {
  it('passes when the string appears', async () => {
    expect((await check({ type: 'contains', value: 'ACME', ignoreCase: false, not: false }, makeView({ text: 'ACME Corp' })))).toEqual({
      type: 'contains',
      pass: true,
      message: 'contains "ACME"',
    });
  });

  it('fails when the string is missing, stating the expected string and the text', async () => {
    expect((await check({ type: 'contains', value: 'ACME', ignoreCase: false, not: false }, makeView({ text: 'acme corp' })))).toEqual({
      type: 'contains',
      pass: false,
      message: 'expected "ACME", got "acme corp"',
    });
  });

  it('with a list, passes only when every string appears', async () => {
    const spec: AssertionSpecOf<'contains'> = { type: 'contains', value: ['ACME', '45.10'], ignoreCase: false, not: false };
    expect((await check(spec, makeView({ text: 'ACME owes 45.10' })))).toEqual({ type: 'contains', pass: true, message: 'contains "ACME", "45.10"' });
  });

  it('with a list, names only the missing strings', async () => {
    const spec: AssertionSpecOf<'contains'> = { type: 'contains', value: ['ACME', '45.10', 'USD'], ignoreCase: false, not: false };
    expect((await check(spec, makeView({ text: 'ACME owes 45.10' })))).toEqual({ type: 'contains', pass: false, message: 'expected "USD", got "ACME owes 45.10"' });
  });

  it('with ignoreCase, matches across case and says so when it fails', async () => {
    expect((await check({ type: 'contains', value: ['acme', 'CORP'], ignoreCase: true, not: false }, makeView({ text: 'ACME corp' }))).pass).toBe(true);
    expect((await check({ type: 'contains', value: ['acme', 'inc'], ignoreCase: true, not: false }, makeView({ text: 'ACME corp' })))).toEqual({
      type: 'contains',
      pass: false,
      message: 'expected "inc" (ignoring case), got "ACME corp"',
    });
  });

  it('with not, passes when none of the strings appears', async () => {
    expect((await check({ type: 'contains', value: ['sorry', 'cannot'], ignoreCase: true, not: true }, makeView({ text: 'Here it is.' })))).toEqual({
      type: 'contains',
      pass: true,
      message: 'contains none of "sorry", "cannot"',
    });
  });

  it('with not, fails when any string appears, naming what it found', async () => {
    expect((await check({ type: 'contains', value: ['sorry', 'cannot'], ignoreCase: true, not: true }, makeView({ text: 'Sorry, no.' })))).toEqual({
      type: 'contains',
      pass: false,
      message: 'expected none of "sorry", "cannot", found "sorry" in "Sorry, no."',
    });
  });
});

describe('isJson', () => {
  it('passes for JSON', async () => {
    expect((await check({ type: 'isJson' }, makeView({ text: '{"total": 45.1}' })))).toEqual({ type: 'isJson', pass: true, message: 'valid JSON' });
  });

  it('fails for text that is not JSON, quoting it and the parser error', async () => {
    const outcome = (await check({ type: 'isJson' }, makeView({ text: '{"total": 45.1' })));
    expect(outcome.pass).toBe(false);
    expect(outcome.message).toMatch(/^expected JSON, got "\{\\"total\\": 45\.1" \(.+\)$/);
  });

  it('fails for JSON wrapped in a markdown fence', async () => {
    expect((await check({ type: 'isJson' }, makeView({ text: '```json\n{}\n```' }))).pass).toBe(false);
  });
});

describe('jsonSchema', () => {
  const spec = jsonSchemaSpec(INVOICE_SCHEMA);

  it('passes for JSON the schema accepts', async () => {
    expect((await check(spec, makeView({ text: '{"vendor": "ACME", "total": 45.1}' })))).toEqual({
      type: 'jsonSchema',
      pass: true,
      message: 'valid against invoice.schema.json',
    });
  });

  it('fails for JSON the schema rejects, naming each violation', async () => {
    expect((await check(spec, makeView({ text: '{"total": "45.10"}' })))).toEqual({
      type: 'jsonSchema',
      pass: false,
      message: "not valid against invoice.schema.json: (root) must have required property 'vendor'; /total must be number",
    });
  });

  it('fails for text that is not JSON, saying what was expected and quoting the text', async () => {
    const outcome = (await check(spec, makeView({ text: 'Sure! Here is the invoice.' })));
    expect(outcome.pass).toBe(false);
    expect(outcome.message).toMatch(/^expected JSON valid against invoice\.schema\.json, got "Sure! Here is the invoice\." \(.+\)$/);
  });

  it('validates with a draft-07 schema', async () => {
    const draft07 = jsonSchemaSpec({ $schema: 'http://json-schema.org/draft-07/schema#', ...INVOICE_SCHEMA, additionalProperties: false }, 'draft07.json');
    expect((await check(draft07, makeView({ text: '{"vendor": "ACME", "total": 1}' }))).pass).toBe(true);
    expect((await check(draft07, makeView({ text: '{"vendor": "ACME", "total": 1, "extra": true}' })))).toEqual({
      type: 'jsonSchema',
      pass: false,
      message: 'not valid against draft07.json: (root) must NOT have additional properties',
    });
  });

  it('checks formats from ajv-formats (format: date)', async () => {
    const dated = jsonSchemaSpec({ type: 'object', properties: { issued: { type: 'string', format: 'date' } } }, 'dated.json');
    expect((await check(dated, makeView({ text: '{"issued": "2024-02-29"}' }))).pass).toBe(true);
    expect((await check(dated, makeView({ text: '{"issued": "2023-02-29"}' })))).toEqual({
      type: 'jsonSchema',
      pass: false,
      message: 'not valid against dated.json: /issued must match format "date"',
    });
    expect((await check(dated, makeView({ text: '{"issued": "29/02/2024"}' }))).pass).toBe(false);
  });
});

describe('finishReason', () => {
  it('passes when the model stopped for the given reason', async () => {
    expect((await check({ type: 'finishReason', equals: 'stop', not: false }, makeView({ finishReason: 'stop' })))).toEqual({
      type: 'finishReason',
      pass: true,
      message: 'finishReason stop',
    });
  });

  it('fails for another reason, stating expected and actual', async () => {
    expect((await check({ type: 'finishReason', equals: 'stop', not: false }, makeView({ finishReason: 'length' })))).toEqual({
      type: 'finishReason',
      pass: false,
      message: 'expected finishReason stop, got length',
    });
  });

  it('with a list, accepts any listed reason', async () => {
    const spec: AssertionSpecOf<'finishReason'> = { type: 'finishReason', equals: ['stop', 'length'], not: false };
    expect((await check(spec, makeView({ finishReason: 'length' }))).pass).toBe(true);
    expect((await check(spec, makeView({ finishReason: 'content_filter' })))).toEqual({
      type: 'finishReason',
      pass: false,
      message: 'expected finishReason stop or length, got content_filter',
    });
  });

  it('with not, passes for an unlisted reason and fails for a listed one', async () => {
    const spec: AssertionSpecOf<'finishReason'> = { type: 'finishReason', equals: ['length', 'content_filter'], not: true };
    expect((await check(spec, makeView({ finishReason: 'stop' })))).toEqual({ type: 'finishReason', pass: true, message: 'finishReason stop' });
    expect((await check(spec, makeView({ finishReason: 'length' })))).toEqual({
      type: 'finishReason',
      pass: false,
      message: 'expected finishReason not length or content_filter, got length',
    });
  });

  it('can name the tool-call finish reasons (tool_calls, tool_use), in a suite as in a check', async () => {
    const parsed = FinishReasonSpecSchema.parse({ type: 'finishReason', equals: ['tool_calls', 'tool_use'] });
    expect((await check(parsed, makeView({ finishReason: 'tool_use' }))).pass).toBe(true);
    expect((await check(parsed, makeView({ finishReason: 'stop' }))).pass).toBe(false);
  });

  it('fails equals and passes not for a sample whose API gave no finish reason, and says so', async () => {
    const equals: AssertionSpecOf<'finishReason'> = { type: 'finishReason', equals: 'stop', not: false };
    expect(await check(equals, makeView({ finishReason: null }))).toEqual({ type: 'finishReason', pass: false, message: 'expected finishReason stop, got none (the API gave no finish reason)' });
    expect((await check({ ...equals, not: true }, makeView({ finishReason: null }))).pass).toBe(true);
  });
});

describe('tokens', () => {
  const usage = { promptTokens: 100, completionTokens: 50, thinkingTokens: 400, totalTokens: 550 };

  it.each([
    ['maxPrompt', 'prompt', 100],
    ['maxCompletion', 'completion', 50],
    ['maxThinking', 'thinking', 400],
    ['maxTotal', 'total', 550],
  ] as const)('%s passes at the limit and fails one token under it', async (limit, label, actual) => {
    expect((await check({ type: 'tokens', [limit]: actual }, makeView({ usage })))).toEqual({ type: 'tokens', pass: true, message: `${label} ${actual} ≤ ${actual}` });
    expect((await check({ type: 'tokens', [limit]: actual - 1 }, makeView({ usage })))).toEqual({
      type: 'tokens',
      pass: false,
      message: `${label} ${actual} > max ${actual - 1}`,
    });
  });

  it('checks every given budget and names each one exceeded', async () => {
    const spec = { type: 'tokens', maxPrompt: 1000, maxCompletion: 10, maxThinking: 100 } as const;
    expect((await check(spec, makeView({ usage })))).toEqual({ type: 'tokens', pass: false, message: 'completion 50 > max 10; thinking 400 > max 100' });
    expect((await check({ type: 'tokens', maxPrompt: 1000, maxThinking: 4000 }, makeView({ usage })))).toEqual({
      type: 'tokens',
      pass: true,
      message: 'prompt 100 ≤ 1000; thinking 400 ≤ 4000',
    });
  });

  it('fails without usage, stating the budget it could not check', async () => {
    expect((await check({ type: 'tokens', maxThinking: 4000, maxCompletion: 800 }, makeView({ usage: null })))).toEqual({
      type: 'tokens',
      pass: false,
      message: 'expected completion ≤ 800; thinking ≤ 4000, got none: no token usage was reported',
    });
  });
});

describe('costUsd', () => {
  it('passes at or under the limit', async () => {
    expect((await check({ type: 'costUsd', max: 0.01 }, makeView({ costUsd: 0.00204 })))).toEqual({ type: 'costUsd', pass: true, message: 'cost $0.00204 ≤ max $0.01' });
    expect((await check({ type: 'costUsd', max: 0.01 }, makeView({ costUsd: 0.01 }))).pass).toBe(true);
  });

  it('fails over the limit, stating cost and limit', async () => {
    expect((await check({ type: 'costUsd', max: 0.001 }, makeView({ costUsd: 0.00204 })))).toEqual({ type: 'costUsd', pass: false, message: 'cost $0.00204 > max $0.001' });
  });

  it('shows more digits when three would make a failure read as equal', async () => {
    expect((await check({ type: 'costUsd', max: 0.01 }, makeView({ costUsd: 0.010003 })))).toEqual({ type: 'costUsd', pass: false, message: 'cost $0.010003 > max $0.01' });
  });

  it('fails without a cost, stating the limit it could not check', async () => {
    expect((await check({ type: 'costUsd', max: 0.05 }, makeView({ costUsd: null })))).toEqual({
      type: 'costUsd',
      pass: false,
      message: 'expected cost ≤ $0.05, got none: no cost was reported or priced',
    });
  });
});

describe('latencyMs', () => {
  it('passes at or under the limit, in whole milliseconds', async () => {
    expect((await check({ type: 'latencyMs', max: 2000 }, makeView({ latencyMs: 1234.4 })))).toEqual({ type: 'latencyMs', pass: true, message: 'latency 1234 ms ≤ max 2000 ms' });
    expect((await check({ type: 'latencyMs', max: 2000 }, makeView({ latencyMs: 2000 }))).pass).toBe(true);
  });

  it('fails over the limit, stating latency and limit', async () => {
    expect((await check({ type: 'latencyMs', max: 1000 }, makeView({ latencyMs: 1234.4 })))).toEqual({ type: 'latencyMs', pass: false, message: 'latency 1234 ms > max 1000 ms' });
  });

  it('keeps the fraction when rounding would make a failure read as equal', async () => {
    expect((await check({ type: 'latencyMs', max: 100 }, makeView({ latencyMs: 100.3 })))).toEqual({ type: 'latencyMs', pass: false, message: 'latency 100.3 ms > max 100 ms' });
  });
});

describe('untrusted model output in messages', () => {
  const ESC = '\u001b';
  const hostile = `${ESC}[2J${ESC}[31mred${ESC}[0m\u0000\u0007\r\nnext line`;
  const huge = `${'x'.repeat(1_000_000)}${ESC}[31m`;
  const TEXT_ASSERTIONS: ResolvedAssertion[] = [
    { type: 'regex', pattern: '^\\d+$', not: false },
    { type: 'regex', pattern: 'red|x+', not: true },
    { type: 'contains', value: 'total', ignoreCase: false, not: false },
    { type: 'contains', value: ['red', 'xxx'], ignoreCase: true, not: true },
    { type: 'isJson' },
    jsonSchemaSpec(INVOICE_SCHEMA),
  ];

  const hasRawControl = (message: string) => /[\u0000-\u001f\u007f-\u009f]/.test(message);

  it.each(TEXT_ASSERTIONS.map((spec) => [spec.type, spec] as const))('%s fails with a short message free of control characters', async (_type, spec) => {
    for (const text of [hostile, huge]) {
      const outcome = (await check(spec, makeView({ text })));
      expect(outcome.pass).toBe(false);
      expect(hasRawControl(outcome.message)).toBe(false);
      expect(outcome.message.length).toBeLessThan(600);
    }
  });

  it('quotes the excerpt as an escaped JSON string, cut with an ellipsis', async () => {
    const outcome = (await check({ type: 'contains', value: 'total', ignoreCase: false, not: false }, makeView({ text: hostile })));
    expect(outcome.message).toBe(`expected "total", got ${JSON.stringify(hostile)}`);
    expect(outcome.message).toContain('\\u001b[2J');
    const long = (await check({ type: 'contains', value: 'total', ignoreCase: false, not: false }, makeView({ text: huge })));
    expect(long.message).toBe(`expected "total", got "${'x'.repeat(80)}…"`);
  });

  it('escapes the raw text the JSON parser quotes in its error', async () => {
    const outcome = (await check({ type: 'isJson' }, makeView({ text: `${ESC}[31m{}` })));
    expect(outcome.pass).toBe(false);
    expect(hasRawControl(outcome.message)).toBe(false);
    expect(outcome.message).toContain('\\u001b');
  });

  it('keeps a schema violation short and escaped when the model invents a huge or hostile property name', async () => {
    const numbers = jsonSchemaSpec({ type: 'object', additionalProperties: { type: 'number' } }, 'numbers.json');
    const key = `${ESC}[31m${'k'.repeat(1_000_000)}`;
    const outcome = (await check(numbers, makeView({ text: JSON.stringify({ [key]: 'not a number' }) })));
    expect(outcome.pass).toBe(false);
    expect(outcome.message.startsWith('not valid against numbers.json: /\\u001b[31mkkk')).toBe(true);
    expect(outcome.message.endsWith('…')).toBe(true);
    expect(outcome.message.length).toBeLessThan(300);
  });
});

describe('compileAssertion', () => {
  // One minimal spec per type; a type added to the schema without one here fails the type check.
  const MINIMAL: { [T in AssertionType]: Extract<ResolvedAssertion, { type: T }> } = {
    regex: { type: 'regex', pattern: 'x', not: false },
    contains: { type: 'contains', value: 'x', ignoreCase: false, not: false },
    isJson: { type: 'isJson' },
    jsonSchema: jsonSchemaSpec({ type: 'object' }),
    finishReason: { type: 'finishReason', equals: 'stop', not: false },
    tokens: { type: 'tokens', maxTotal: 1000 },
    costUsd: { type: 'costUsd', max: 1 },
    latencyMs: { type: 'latencyMs', max: 1000 },
    toolCall: { type: 'toolCall', not: true },
    equals: { type: 'equals', value: '{"x": 1}', ignoreCase: false, not: false },
    jsonField: { type: 'jsonField', path: '$.x', steps: ['x'], equals: 1, not: false },
    script: { type: 'script', module: 'check.ts', label: 'check.ts', fn: (output) => output.includes('x') },
    judge: {
      type: 'judge', rubric: 'Has x.', samples: 1,
      grader: { model: 'openai-gpt-5-5', air: 'openai:gpt@5.5', thinkingLevel: 'low', maxTokens: 500, pricing: { price: { input: 1, output: 1 }, thinkingBilling: 'separate' } },
    },
  };
  /** A judge that always passes, for the check of shapes. */
  const judge: JudgeGateway = { ask: async () => ({ text: '{"pass": true, "score": 1, "reason": "has x"}', finishReason: 'stop', usage: null, costUsd: 0, cached: false }) };

  it.each([...ASSERTION_TYPES])('compiles a minimal %s spec into a check of that type', async (type) => {
    const assertion = compileAssertion(MINIMAL[type], { regex: testRegexRunner, judge });
    expect(assertion.type).toBe(type);
    const outcome = await assertion.check(makeView({ text: '{"x": 1}' }));
    expect(outcome.type).toBe(type);
    expect(outcome.pass).toBe(true);
    expect(outcome.message).not.toBe('');
  });

  it('knows every type the schema declares', async () => {
    expect(Object.keys(MINIMAL).sort()).toEqual([...ASSERTION_TYPES].sort());
  });
});

describe('evaluateAssertions', () => {
  /** The builder's view, with every json() call and its answer recorded. */
  function countingView(text: string) {
    const view = makeView({ text });
    const answers: ParsedJson[] = [];
    const counted: SampleView = {
      ...view,
      json() {
        const parsed = view.json();
        answers.push(parsed);
        return parsed;
      },
    };
    return { view: counted, answers };
  }

  it('parses the JSON once per sample when isJson and jsonSchema both run', async () => {
    const { view, answers } = countingView('{"vendor": "ACME", "total": 45.1}');
    const result = await evaluateAssertions([compile({ type: 'isJson' }), compile(jsonSchemaSpec(INVOICE_SCHEMA))], view);
    expect(result.pass).toBe(true);
    expect(answers).toHaveLength(2);
    // The same parse, handed out twice: a second JSON.parse would build a new object.
    expect(answers[1]).toBe(answers[0]);
    expect(answers[0]).toMatchObject({ ok: true, value: { vendor: 'ACME', total: 45.1 } });
  });

  it('remembers a failed parse too', async () => {
    const { view, answers } = countingView('not json');
    const result = await evaluateAssertions([compile({ type: 'isJson' }), compile(jsonSchemaSpec(INVOICE_SCHEMA))], view);
    expect(result.outcomes.map((o) => o.pass)).toEqual([false, false]);
    expect(answers[1]).toBe(answers[0]);
  });

  it('passes a sample only when every outcome passes, keeping every outcome in order', async () => {
    const assertions = [compile({ type: 'contains', value: 'ok', ignoreCase: false, not: false }), compile({ type: 'latencyMs', max: 10 })];
    const result = await evaluateAssertions(assertions, makeView({ text: 'ok', latencyMs: 50 }));
    expect(result.pass).toBe(false);
    expect(result.outcomes.map((o) => [o.type, o.pass])).toEqual([
      ['contains', true],
      ['latencyMs', false],
    ]);
  });

  it('passes a sample with no assertions', async () => {
    expect(await evaluateAssertions([], makeView())).toEqual({ pass: true, outcomes: [] });
  });
});
