import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** The CLI as it ships: package.json's `bin` (the bundle in dist/bin, built by `npm run build`). */
export const BUILT_CLI = path.join(root, (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: { evalgate: string } }).bin.evalgate);
