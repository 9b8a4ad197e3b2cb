import { flagNamesOfType, type CommandFlags } from './flag-names.js';
import { kebab } from './parse-fast.js';

/**
 * A number flag given something that is not a number (`--concurrency abc`, `--max-cost=$5`), in words
 * for a usage error; undefined when there is none. yargs reads such a value as NaN, and the check
 * behind it could only say "got NaN", not what was typed.
 */
export function misusedNumberFlag(argv: readonly string[], commands: readonly CommandFlags[]): string | undefined {
  const numbers = flagNamesOfType(argv, commands, 'number');
  if (!numbers) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m || !numbers.has(m[1]!)) continue;
    const value = m[2] ?? argv[i + 1];
    // No value at all, or a flag next: yargs says what is missing.
    if (value === undefined || (m[2] === undefined && value.startsWith('-') && !/^-\d/.test(value))) continue;
    if (value.trim() === '' || Number.isNaN(Number(value))) return `--${kebab(m[1]!)} takes a number, got ${JSON.stringify(value)}`;
  }
  return undefined;
}
