import { describe, expect, it } from 'vitest';
import { JsonSchemaCompiler } from '../../src/config/json-schema-compiler.js';
import { exampleForSchema } from '../../src/simulator/example-for-schema.js';

const compiler = new JsonSchemaCompiler();
const isValid = (schema: Record<string, unknown>, value: unknown) => {
  const compiled = compiler.compile(schema);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.validate(value);
};

describe('exampleForSchema (the right answers of a drafted scenario)', () => {
  it.each([
    ['required properties only, nested, with ranges', { type: 'object', required: ['total', 'lines'], additionalProperties: false, properties: { total: { type: 'number', exclusiveMinimum: 0 }, note: { type: 'string' }, lines: { type: 'array', minItems: 2, items: { type: 'object', required: ['qty'], properties: { qty: { type: 'integer', minimum: 1, maximum: 9 } } } } } }],
    ['enum, const and formats', { type: 'object', required: ['currency', 'kind', 'due', 'email'], properties: { currency: { enum: ['EUR', 'USD'] }, kind: { const: 'invoice' }, due: { type: 'string', format: 'date' }, email: { type: 'string', format: 'email' } } }],
    ['$ref into $defs and oneOf', { type: 'object', required: ['party'], properties: { party: { $ref: '#/$defs/party' } }, $defs: { party: { oneOf: [{ type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 8 } } }, { type: 'null' }] } } }],
    ['nullable types and booleans', { type: 'object', required: ['paid', 'ref'], properties: { paid: { type: 'boolean' }, ref: { type: ['null', 'string'], maxLength: 2 } } }],
  ])('%s: valid against the schema', (_, schema) => {
    const example = exampleForSchema(schema);
    expect(isValid(schema as Record<string, unknown>, example), JSON.stringify(example)).toBe(true);
  });

  it('takes a given example or default first', () => {
    expect(exampleForSchema({ type: 'string', examples: ['ACME'] })).toBe('ACME');
    expect(exampleForSchema({ type: 'integer', default: 3 })).toBe(3);
  });
});
