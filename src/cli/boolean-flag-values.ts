import { flagNamesOfType, type CommandFlags } from './flag-names.js';

/**
 * A boolean flag given a value other than true or false (`--until-decided=maybe`, `--color=yes`), in
 * words for a usage error; undefined when there is none. yargs (and yargs-parser) read any such value
 * as false, silently: a run meant to stop once decided would spend its whole plan, and say nothing.
 */
export function misusedBooleanFlag(argv: readonly string[], commands: readonly CommandFlags[]): string | undefined {
  const booleans = flagNamesOfType(argv, commands, 'boolean');
  if (!booleans) return undefined;
  for (const arg of argv.slice(1)) {
    if (arg === '--') break;
    const m = /^--([^=]+)=(.*)$/s.exec(arg);
    if (!m) continue;
    const [, flag, value] = m as unknown as [string, string, string];
    const name = booleans.has(flag) ? flag : flag.startsWith('no-') && booleans.has(flag.slice(3)) ? flag.slice(3) : undefined;
    if (name !== undefined && value !== 'true' && value !== 'false') {
      return `--${flag} is a switch: give it alone (--${name}, or --no-${name}), or as --${flag}=true or =false, not =${JSON.stringify(value)}`;
    }
  }
  return undefined;
}
