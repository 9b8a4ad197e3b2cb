import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const schemas = path.resolve(import.meta.dirname, '../../schemas');
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }).default;

/**
 * A strict validator for one of the artefact schemas in schemas/ (`summary.schema.json`, …): returns
 * `'valid'`, or the first errors as text, so a failing assertion shows why.
 */
export function artefactValidator(schemaFile: string): (value: unknown) => string {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(schemas, schemaFile), 'utf8')) as object);
  return (value) => (validate(value) ? 'valid' : JSON.stringify(validate.errors?.slice(0, 3)));
}
