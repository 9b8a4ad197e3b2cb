import { readFileSync } from 'node:fs';

/** evalgate's version, from its package.json (read when asked, not at import). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
