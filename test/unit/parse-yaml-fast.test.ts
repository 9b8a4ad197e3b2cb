import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseYamlFast } from '../../src/config/parse-yaml-fast.js';
import { YamlSource } from '../../src/config/yaml-source.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What the positional parser makes of a text: its value, or undefined when it reports an error or warning. */
function positionalValue(text: string): { value: unknown } | undefined {
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return undefined;
  }
}

const SCALARS = [
  '1', '-1', '+1', '0o17', '0x1F', '0b101', '1_000', '1.5', '.5', '5.', '1e3', '1E-3', '+1.2e+3', '.inf', '-.inf', '.NaN',
  'true', 'True', 'TRUE', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', '~', '', '2024-01-01', '2024-01-01T10:00:00Z',
  '12:30:45', '0012', '-0', '1.0', '010', '1e', '"1"', "'1'", '[1, "a", b]', '{a: 1}', 'foo bar', '=', '0O17', '1,000', '$5',
  '123456789012345678901234567890', 'http://x.y/z?q=1#f', "'#not a comment'", 'été 😀',
];

const DOCUMENTS = [
  'a: |\n  line1\n  line2\n', 'a: |-\n  x\n\n', 'a: |+\n  x\n\n', 'a: >\n  folded\n  text\n\n  para\n', 'a: >-\n  x\n   y\n  z\n',
  'a: |2\n   indented\n', 'a: plain\n  continued\n  lines\n', "a: 'single ''quoted''\n  next'\n", 'a: "dq \\u00e9 \\n \\t \\x41"\n',
  'a: "multi\n  line"\n', '- a\n- b:\n    c: 1\n', 'a:\n- 1\n- 2\n', 'a: [1, [2, 3], {b: c}]\n', 'a: {b: , c}\n', 'a: b # comment\n#x\n',
  'a:\n  - {id: c1, vars: {i: 1}}\n', '1: x\ntrue: y\n', '---\na: 1\n...\n', 'x:\r\n  y: 1\r\n', '__proto__: {x: 1}\na: 1\n',
  'a: [a, b,]\n', 'a: &anchor 1\n', 'a:\n  b: |\n    keep  \n    trailing\n',
];

describe('parseYamlFast', () => {
  it('gives exactly what the positional parser gives, for every YAML file in the repository', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    let parsedFast = 0;
    for (const file of files) {
      const text = readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/^\uFEFF/, '');
      const fast = parseYamlFast(text);
      if (fast === undefined) continue;
      parsedFast++;
      expect(fast, file).toEqual(positionalValue(text));
    }
    expect(parsedFast).toBeGreaterThan(files.length / 2);
  });

  it.each(SCALARS)('resolves the scalar %j as the YAML 1.2 core schema does', (scalar) => {
    const text = `v: ${scalar}\n`;
    const fast = parseYamlFast(text);
    if (fast !== undefined) expect(fast).toEqual(positionalValue(text));
  });

  it.each(DOCUMENTS)('parses %j to the same value', (text) => {
    expect(parseYamlFast(text)).toEqual(positionalValue(text));
  });

  it.each([
    ['a merge key', 'base: &b {x: 1}\nc:\n  <<: *b\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!float 1\n'],
    ['an unknown tag', 'a: !foo 1\n'],
    ['a directive', '%YAML 1.1\n---\na: yes\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a null key', 'null: x\n'],
    ['a huge exponent', 'a: 1e400\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['two keys the same once stringified', '"1": a\n1: b\n'],
    ['a collection as a key', '[a, b]: 1\n'],
    ['a syntax error', 'a: [1, 2\nb: 3\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['nothing but a comment', '# nothing\n'],
  ])('leaves %s to the positional parser', (_, text) => {
    expect(parseYamlFast(text)).toBeUndefined();
  });
});

describe('YamlSource of a fast-parsed text', () => {
  it('still pins a diagnostic to the line and column of the value', () => {
    const text = 'suite: s\ncases:\n  - {id: a, vars: {x: 1}}\n  - id: b\n    vars: {x: 2}\n';
    expect(parseYamlFast(text)).toBeDefined();
    const source = YamlSource.parse(text, 's.yaml');
    if (Array.isArray(source)) throw new Error('expected a source');
    expect(source.value).toEqual({ suite: 's', cases: [{ id: 'a', vars: { x: 1 } }, { id: 'b', vars: { x: 2 } }] });
    expect(source.lineOf(['cases', 1, 'id'])).toBe(4);
    const diagnostic = source.diagnostic(['cases', 1, 'vars', 'x'], 'WRONG_TYPE', 'x must be a string');
    expect(diagnostic).toMatchObject({ file: 's.yaml', line: 5, column: 15, sourceLine: '    vars: {x: 2}' });
  });
});
