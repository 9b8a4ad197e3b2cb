import { z } from 'zod';
import { ConfigSpecSchema } from './config-schema.js';
import { SuiteSpecSchema } from './suite-schema.js';

const BASE = 'https://evalgate.dev/schemas';

/**
 * JSON Schemas of the suite format and of evalconfig.yaml, generated from the zod schemas that
 * validate them, so that editors, docs and `evalgate validate` agree. `npm run schemas` writes them
 * to schemas/; a test fails when the committed files are stale.
 */
export function suiteJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(SuiteSpecSchema, { io: 'input' }), $id: `${BASE}/suite.schema.json`, title: 'evalgate suite' };
}

export function configJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(ConfigSpecSchema, { io: 'input' }), $id: `${BASE}/config.schema.json`, title: 'evalgate configuration (evalconfig.yaml)' };
}
