// Writes schemas/suite.schema.json and schemas/config.schema.json from the zod schemas (run after a build).
import { writeFileSync } from 'node:fs';
import { configJsonSchema, suiteJsonSchema } from '../dist/config/config-json-schemas.js';

writeFileSync(new URL('../schemas/suite.schema.json', import.meta.url), `${JSON.stringify(suiteJsonSchema(), null, 2)}\n`);
writeFileSync(new URL('../schemas/config.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log('wrote schemas/suite.schema.json and schemas/config.schema.json');
