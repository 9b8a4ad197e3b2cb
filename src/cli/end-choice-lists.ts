import type { Options, PositionalOptions } from 'yargs';
import { kebab } from './parse-fast.js';

/**
 * The command line with each list flag of fixed choices (`--reporter json html`) ended at the first
 * word that is none of its choices but reads as a path (`evals/x.yaml`, `reports/r1`, `evals/*.yaml`,
 * `./x`): that word is moved before the flag, so it is the command's positional, as the user meant.
 * yargs (and yargs-parser) let a list flag take every word up to the next flag, so `run --reporter
 * json evals/x.yaml` was a usage error ("Invalid values: Argument: reporter, Given: evals/x.yaml").
 * A first word that is not a choice is left alone (the flag has no value: yargs says so), and so is a
 * word with no `/`, `\`, `.` or `*` (most likely a misspelt choice: yargs lists the choices).
 */
export function endChoiceLists(argv: readonly string[], commands: readonly { name: string; options: Record<string, Options>; positional?: [string, PositionalOptions] }[]): string[] {
  const spec = commands.find((c) => c.name === argv[0]);
  if (!spec?.positional) return [...argv];
  const lists = new Map<string, readonly unknown[]>();
  for (const [key, option] of Object.entries(spec.options)) {
    if (!option.array || !Array.isArray(option.choices)) continue;
    for (const spelling of [key, kebab(key), ...[option.alias ?? []].flat()]) lists.set(spelling.length === 1 ? `-${spelling}` : `--${spelling}`, option.choices);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; ) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    out.push(arg);
    i++;
    const choices = lists.get(arg);
    if (!choices) continue;
    let flagAt = out.length - 1;
    let taken = 0;
    while (i < argv.length && !argv[i]!.startsWith('-')) {
      const word = argv[i]!;
      const values = word.split(',').map((v) => v.trim()).filter((v) => v !== '');
      if (values.length > 0 && values.every((v) => choices.includes(v))) {
        out.push(word);
        taken++;
      } else if (taken > 0 && /[/\\.*]/.test(word)) {
        out.splice(flagAt, 0, word);
        flagAt++;
      } else {
        break;
      }
      i++;
    }
  }
  return out;
}
