import { load } from 'js-yaml';

/**
 * What in a YAML text sends it to the positional parser (`yaml`) instead: the constructs where the
 * two parsers' values or warnings could differ, or that need `yaml`'s own checks.
 * - `<<` merge keys (`yaml` merges them; the core schema would keep a `<<` key);
 * - `!` tags (`yaml` warns about unknown ones, and resolves `!!float 1` differently);
 * - `%` directives (`%YAML 1.1` changes `yaml`'s schema);
 * - `?` explicit keys, and keys that are null (`null:`, `~:`), which the two name differently;
 * - numbers with three-digit exponents (`1e400` is Infinity to `yaml`, a string to js-yaml).
 * A text that merely mentions one of these (in a quoted string, say) is parsed the slow way, with the
 * same result.
 */
const NEEDS_POSITIONAL_PARSER = [/<</, /(^|[\s[{,])!/m, /^%/m, /(^|[\s[{,])\?([ \t]|$)/m, /(^|[\s[{,?-])(null|Null|NULL|~)[ \t]*:([ \t]|$)/m, /\d[eE][+-]?\d{3}/];

/**
 * Parses a YAML text to plain values with js-yaml (YAML 1.2 core schema, the same as `yaml`'s
 * default) when that is certain to give what `yaml`'s `parseDocument(...).toJS()` gives, or returns
 * undefined: for anything js-yaml rejects (syntax errors, duplicate keys, any alias, depth past 100,
 * several documents), an empty document, or a construct listed in {@link NEEDS_POSITIONAL_PARSER}.
 * The caller then parses with `yaml`, which reports every problem with its position.
 *
 * js-yaml parses a suite about four times faster than `yaml` builds its positional document, and
 * allocates far less (docs/performance.md): positions are only needed when there is a problem to
 * point at, and then the positional document is built.
 */
export function parseYamlFast(text: string): { value: unknown } | undefined {
  if (NEEDS_POSITIONAL_PARSER.some((pattern) => pattern.test(text))) return undefined;
  try {
    // maxAliases 0: an alias (whose expansion `yaml` limits and reports) sends the text to `yaml`.
    const value = load(text, { maxAliases: 0 });
    return value === undefined ? undefined : { value };
  } catch {
    return undefined;
  }
}
