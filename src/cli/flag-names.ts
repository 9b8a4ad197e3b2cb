import type { Options } from 'yargs';
import { kebab } from './parse-fast.js';

/** A command's name and its options, as the CLI declares them for yargs. */
export interface CommandFlags {
  name: string;
  options: Record<string, Options>;
}

/**
 * Every spelling of the flags of one type that the command `argv[0]` takes (camelCase, kebab-case
 * and aliases, without dashes); undefined when `argv[0]` is no command.
 */
export function flagNamesOfType(argv: readonly string[], commands: readonly CommandFlags[], type: Options['type']): Set<string> | undefined {
  const spec = commands.find((c) => c.name === argv[0]);
  if (!spec) return undefined;
  const names = new Set<string>();
  for (const [key, option] of Object.entries(spec.options)) {
    if (option.type !== type) continue;
    names.add(key).add(kebab(key));
    for (const alias of [option.alias ?? []].flat()) names.add(alias);
  }
  return names;
}
