import type { Options, PositionalOptions } from 'yargs';
import parser from 'yargs-parser';

/** A command as the CLI declares it (run-cli.ts's COMMANDS): its usage, flags and positional. */
export interface FastCommand {
  name: string;
  usage: string;
  options: Record<string, Options>;
  positional?: [string, PositionalOptions];
}

/**
 * The common command lines, parsed without yargs: yargs takes 80–120 ms to load (its help renderer,
 * string widths, locales), about a fifth of `validate`'s start (docs/performance.md). This takes the
 * same flags-as-data and the parser yargs itself uses (yargs-parser), and returns what yargs would
 * hand the command, or undefined whenever the line is anything but plainly valid: help or version
 * asked for, an unknown command or flag, a value outside its choices, a repeated single flag, `--`.
 * Then yargs parses it as before and says what is wrong. Only commands of the form `name [list..]`
 * (run, validate, estimate) are parsed here.
 */
export function parseFast(argv: readonly string[], commands: readonly FastCommand[]): { command: string; args: Record<string, unknown> } | undefined {
  const [name, ...rest] = argv;
  const spec = commands.find((c) => c.name === name);
  if (!spec || !spec.positional || spec.usage !== `${spec.name} [${spec.positional[0]}..]`) return undefined;
  if (rest.some((arg) => arg === '--' || arg === '-h' || arg === '--help' || arg === '-v' || arg === '--version')) return undefined;
  const options = Object.entries(spec.options);
  if (options.some(([, o]) => !isSupported(o))) return undefined;

  const parsed = parser.detailed([...rest], {
    array: options.filter(([, o]) => o.array).map(([key]) => key),
    boolean: options.filter(([, o]) => o.type === 'boolean').map(([key]) => key),
    string: options.filter(([, o]) => o.type === 'string').map(([key]) => key),
    number: options.filter(([, o]) => o.type === 'number').map(([key]) => key),
    alias: Object.fromEntries(options.filter(([, o]) => o.alias !== undefined).map(([key, o]) => [key, [o.alias as string]])),
    default: Object.fromEntries(options.filter(([, o]) => o.default !== undefined).map(([key, o]) => [key, o.default])),
    configuration: { 'parse-positional-numbers': false },
  });
  if (parsed.error) return undefined;
  const argvOut = parsed.argv as Record<string, unknown> & { _: (string | number)[] };

  // Strict: every key is a flag of this command, in any of its spellings.
  const known = new Set<string>(['_']);
  for (const [key, o] of options) {
    known.add(key).add(kebab(key));
    if (o.alias !== undefined) known.add(o.alias as string);
  }
  if (Object.keys(argvOut).some((key) => !known.has(key))) return undefined;

  const args: Record<string, unknown> = { ...argvOut };
  for (const [key, o] of options) {
    let value = argvOut[key];
    if (value === undefined) continue;
    if (!o.array && Array.isArray(value)) return undefined;
    if (o.coerce) value = (o.coerce as (v: unknown) => unknown)(value);
    if (o.choices && (Array.isArray(value) ? value : [value]).some((v) => !(o.choices as readonly unknown[]).includes(v))) return undefined;
    // yargs sets the (coerced) value on every spelling of the flag: camelCase, kebab-case and alias.
    for (const spelling of [key, kebab(key), ...(o.alias !== undefined ? [o.alias as string] : [])]) args[spelling] = value;
  }
  const [positionalName] = spec.positional;
  const positionals = argvOut._.map(String);
  args._ = [spec.name];
  args[positionalName] = positionals;
  args.$0 = 'evalgate';
  return { command: spec.name, args };
}

/** Option features parseFast reproduces; a command with any other (implies, conflicts, demandOption…) goes to yargs. */
function isSupported(option: Options): boolean {
  const allowed = new Set(['type', 'array', 'alias', 'default', 'choices', 'coerce', 'describe']);
  return Object.keys(option).every((key) => allowed.has(key)) && (option.alias === undefined || typeof option.alias === 'string');
}

/** A flag's option key as typed on the command line: `maxCost` → `max-cost`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
