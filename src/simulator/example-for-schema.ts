/**
 * A small JSON value that satisfies a JSON Schema, for a starting simulator scenario: required
 * properties filled, `const`/`enum`/`default`/`examples` taken when given, the first branch of
 * `oneOf`/`anyOf`, ranges and lengths respected. Not a general generator: the result is checked
 * against the schema by its caller, which says so when it falls short.
 */
export function exampleForSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 12) return null;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) {
    const target = s.$ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], root);
    return exampleForSchema(target, root, depth + 1);
  }
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ('default' in s) return s.default;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(s[key]) && s[key].length > 0) return exampleForSchema(s[key][0], root, depth + 1);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((part) => exampleForSchema(part, root, depth + 1) as object));
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : Object.keys(properties);
      return Object.fromEntries(required.map((key) => [key, exampleForSchema(properties[key] ?? {}, root, depth + 1)]));
    }
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      return Array.from({ length: Math.max(1, min) }, () => exampleForSchema(s.items ?? {}, root, depth + 1));
    }
    case 'string': {
      const format = s.format === 'date' ? '2026-01-31' : s.format === 'date-time' ? '2026-01-31T12:00:00Z' : s.format === 'email' ? 'name@example.com' : s.format === 'uri' ? 'https://example.com' : undefined;
      if (format) return format;
      const min = typeof s.minLength === 'number' ? s.minLength : 0;
      const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
      const text = 'TODO'.padEnd(min, '.');
      return text.length > max ? text.slice(0, max) : text;
    }
    case 'integer':
    case 'number': {
      const low = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 0;
      const high = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - 1 : Infinity;
      const value = Math.min(Math.max(low, 1), high);
      return type === 'integer' ? Math.ceil(value) : value;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}
