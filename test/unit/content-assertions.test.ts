import { describe, expect, it } from 'vitest';
import { isSameValue } from '../../src/assertions/json-field-assertion.js';
import type { ResolvedJsonFieldAssertion } from '../../src/config/loaded-suite.js';
import { parseJsonPath } from '../../src/config/parse-json-path.js';
import { makeView } from '../support/builders.js';
import { compile } from '../support/compile.js';

function field(path: string, conditions: Partial<ResolvedJsonFieldAssertion>): ResolvedJsonFieldAssertion {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new Error(parsed.message);
  return { type: 'jsonField', path, steps: parsed.steps, not: false, ...conditions };
}

describe('equals', async () => {
  it('compares the whole text, trimmed on both sides', async () => {
    const equals = compile({ type: 'equals', value: ' refund ', ignoreCase: false, not: false });
    expect((await equals.check(makeView({ text: '\nrefund\n' }))).pass).toBe(true);
    expect((await equals.check(makeView({ text: 'refund.' })))).toEqual({ type: 'equals', pass: false, message: 'expected "refund", got "refund."' });
    expect((await equals.check(makeView({ text: 'Refund' }))).pass).toBe(false);
  });

  it('ignores case when asked, and inverts with not', async () => {
    expect((await compile({ type: 'equals', value: 'REFUND', ignoreCase: true, not: false }).check(makeView({ text: 'refund' }))).pass).toBe(true);
    const not = compile({ type: 'equals', value: 'refund', ignoreCase: false, not: true });
    expect((await not.check(makeView({ text: 'refund' }))).pass).toBe(false);
    expect((await not.check(makeView({ text: 'escalate' }))).pass).toBe(true);
  });
});

describe('parseJsonPath', async () => {
  it('reads dotted names, quoted names and indexes', async () => {
    expect(parseJsonPath(`$.items[0]['unit price']["x.y"].a_b`)).toEqual({ ok: true, steps: ['items', 0, 'unit price', 'x.y', 'a_b'] });
    expect(parseJsonPath('$')).toEqual({ ok: true, steps: [] });
  });

  it('refuses what it does not support, saying where', async () => {
    expect(parseJsonPath('total')).toMatchObject({ ok: false, offset: 0 });
    expect(parseJsonPath('$..total')).toMatchObject({ ok: false, offset: 1 });
    expect(parseJsonPath('$.items[*]')).toMatchObject({ ok: false, offset: 7 });
    expect(parseJsonPath('$.a b')).toMatchObject({ ok: false, offset: 3 });
  });
});

describe('jsonField', async () => {
  const invoice = makeView({ text: '{"total": 45.1, "currency": "USD", "items": [{"sku": "A-1", "qty": 2}], "paid": false}' });

  it('passes when the field equals the value, deep for objects', async () => {
    expect((await compile(field('$.total', { equals: 45.1 })).check(invoice))).toEqual({ type: 'jsonField', pass: true, message: '$.total is 45.1 (equals 45.1)' });
    expect((await compile(field('$.items[0]', { equals: { qty: 2, sku: 'A-1' } })).check(invoice)).pass).toBe(true);
    expect((await compile(field('$.items[0]', { equals: { sku: 'A-1' } })).check(invoice)).pass).toBe(false);
  });

  it('lets a string value match a number or boolean written the same (variables from data files are strings)', async () => {
    expect((await compile(field('$.total', { equals: '45.1' })).check(invoice)).pass).toBe(true);
    expect((await compile(field('$.paid', { equals: 'false' })).check(invoice)).pass).toBe(true);
    expect((await compile(field('$.total', { equals: '45.10' })).check(invoice)).pass).toBe(false);
    expect(isSameValue('45.1', 45.1)).toBe(false);
  });

  it('fails naming what was expected and what was found', async () => {
    expect((await compile(field('$.currency', { oneOf: ['EUR', 'GBP'] })).check(invoice))).toEqual({
      type: 'jsonField',
      pass: false,
      message: '$.currency: expected one of ["EUR","GBP"], got "USD"',
    });
  });

  it('checks matches, min and max together', async () => {
    expect((await compile(field('$.items[0].sku', { matches: '^[A-Z]-\\d$' })).check(invoice)).pass).toBe(true);
    expect((await compile(field('$.total', { min: 40, max: 50 })).check(invoice)).pass).toBe(true);
    const out = (await compile(field('$.total', { min: 50, max: 60 })).check(invoice));
    expect(out.pass).toBe(false);
    expect(out.message).toContain('expected at least 50');
    expect((await compile(field('$.currency', { min: 1 })).check(invoice)).message).toContain('expected a number');
  });

  it('fails a missing field and text that is not JSON, with or without not', async () => {
    expect((await compile(field('$.tax', { equals: 1 })).check(invoice))).toEqual({ type: 'jsonField', pass: false, message: '$.tax is missing from the JSON' });
    expect((await compile(field('$.items[3].sku', { equals: 1, not: true })).check(invoice)).pass).toBe(false);
    expect((await compile(field('$.total', { equals: 1 })).check(makeView({ text: 'total: 45.1' }))).message).toMatch(/^expected JSON with \$\.total, got "total: 45\.1" \(/);
  });

  it('with not, passes when a condition does not hold', async () => {
    expect((await compile(field('$.currency', { equals: 'EUR', not: true })).check(invoice)).pass).toBe(true);
    expect((await compile(field('$.currency', { equals: 'USD', not: true })).check(invoice)).pass).toBe(false);
  });
});
