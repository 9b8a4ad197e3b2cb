import { createRequire } from 'node:module';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { Ajv as AjvDraft07, ErrorObject, ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS and take about 30 ms to load: required (synchronously) the first
// time a suite has a schema to compile, so a project without one never loads them (docs/performance.md).
const require = createRequire(import.meta.url);

export type { ValidateFunction };

/** A compiled schema, or why it would not compile. */
export type CompiledJsonSchema = { ok: true; validate: ValidateFunction } | { ok: false; message: string; hint?: string };

type Draft = '2020-12' | '2019-09' | 'draft-07';

const SCHEMA_URIS: Record<string, Draft> = {
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'http://json-schema.org/draft-07/schema': 'draft-07',
  'http://json-schema.org/draft-06/schema': 'draft-07',
};

/**
 * Compiles JSON Schemas with ajv (+ ajv-formats), choosing the draft from `$schema` (2020-12 when
 * absent; draft-07 and 2019-09 supported). Each distinct schema is compiled once per process, so a
 * schema shared by many cases costs one compilation.
 */
export class JsonSchemaCompiler {
  private readonly instances = new Map<Draft, AjvDraft07 | Ajv2019 | Ajv2020>();
  private readonly cache = new Map<string, CompiledJsonSchema>();

  compile(schema: Record<string, unknown>): CompiledJsonSchema {
    const key = JSON.stringify(schema);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = this.compileUncached(schema);
    this.cache.set(key, result);
    return result;
  }

  private compileUncached(schema: Record<string, unknown>): CompiledJsonSchema {
    const declared = typeof schema.$schema === 'string' ? schema.$schema.replace(/#$/, '') : undefined;
    const draft = declared === undefined ? '2020-12' : SCHEMA_URIS[declared];
    if (!draft) {
      return { ok: false, message: `unsupported $schema "${String(schema.$schema)}"`, hint: 'use draft 2020-12 (the default), 2019-09 or draft-07' };
    }
    try {
      return { ok: true, validate: this.instance(draft).compile(schema) };
    } catch (error) {
      const message = (error as Error).message;
      const missingRef = (error as { missingRef?: string }).missingRef;
      if (missingRef !== undefined) {
        const isRemote = /^[a-z]+:\/\//i.test(missingRef);
        return {
          ok: false,
          message: `cannot resolve $ref "${missingRef}"`,
          hint: isRemote ? 'evalgate never fetches remote schemas: copy it into $defs' : 'only references inside the schema (#/$defs/...) are supported: move it into $defs',
        };
      }
      return { ok: false, message: message.replace(/^schema is invalid: /, 'not a valid JSON Schema: ') };
    }
  }

  private instance(draft: Draft): AjvDraft07 | Ajv2019 | Ajv2020 {
    let ajv = this.instances.get(draft);
    if (!ajv) {
      // strict: false accepts vendor keywords (x-*) that real-world schemas carry; validateSchema still
      // rejects schemas that break the meta-schema. addUsedSchema: false lets suites reuse `$id`s.
      const options = { strict: false, allErrors: true, addUsedSchema: false } as const;
      ajv =
        draft === '2020-12'
          ? new (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020(options)
          : draft === '2019-09'
            ? new (require('ajv/dist/2019.js') as { Ajv2019: typeof Ajv2019 }).Ajv2019(options)
            : new (require('ajv') as { Ajv: typeof AjvDraft07 }).Ajv(options);
      // ajv-formats is CommonJS with `exports.default`: the callable is that property.
      (require('ajv-formats') as { default: typeof addFormatsModule.default }).default(ajv);
      this.instances.set(draft, ajv);
    }
    return ajv;
  }
}

/** The first few validation errors as one line: `/total must be number; must have required property 'vendor'`. */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, limit = 3): string {
  if (!errors || errors.length === 0) return 'invalid';
  const parts = errors.slice(0, limit).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  return parts.join('; ') + (errors.length > limit ? `; and ${errors.length - limit} more` : '');
}
