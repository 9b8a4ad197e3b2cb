import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeJson, writeJsonFile, writeStreamedFile } from '../../src/core/write-json-file.js';
import { LazyJsonArray } from '../../src/core/lazy-json-array.js';

const text = (value: unknown, pieceChars?: number) => {
  let out = '';
  serializeJson(value, (t) => (out += t), pieceChars === undefined ? {} : { pieceChars });
  return out;
};

/** A pseudo-random JSON-ish value (seeded), with the values JSON.stringify treats specially. */
function randomValue(seed: number, depth = 0): unknown {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = Math.floor(next() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return [0, -1.5, 1e21, NaN, Infinity, 3.14159][Math.floor(next() * 6)];
    case 3: return ['', 'plain', 'quote " back \\ slash', 'line\nbreak\t', '\u0000\u001f control', '≤ ünïcode 😀', '\ud800 lone'][Math.floor(next() * 7)];
    case 4: return undefined;
    case 5: return new Date(Date.UTC(2026, 10, 27));
    case 6: return Array.from({ length: Math.floor(next() * 4) }, (_, i) => randomValue(seed * 31 + i, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(next() * 4); i++) o[['a', 'key with space', '"q"', '1', 'ü'][i]!] = randomValue(seed * 17 + i, depth + 1);
      if (next() < 0.2) o.fn = () => 1;
      return o;
    }
  }
}

describe('serializeJson', () => {
  it('gives exactly JSON.stringify(value, null, 2) on values with every special case, walked or in pieces of any size', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const value = randomValue(seed);
      if (value === undefined) continue;
      // 0: every container walked; 1–120: walked down to pieces of every size; default: mostly one piece.
      for (const pieceChars of [0, 1 + (seed % 120), undefined]) expect(text(value, pieceChars), `seed ${seed}, pieces of ${pieceChars}`).toBe(JSON.stringify(value, null, 2));
    }
  });

  it('hands a large value over in pieces no larger than about the piece size, each a whole subtree', () => {
    const cases = Array.from({ length: 2_000 }, (_, i) => ({ id: `case-${i}`, passed: i % 3 !== 0, samples: [{ text: 'x'.repeat(40), ms: i }] }));
    const value = { schemaVersion: 1, cases, totals: { n: cases.length } };
    const pieces: string[] = [];
    serializeJson(value, (t) => pieces.push(t), { pieceChars: 1_000 });
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    expect(pieces.length).toBeGreaterThan(2_000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(2_000);
  });

  it('gives exactly JSON.stringify(value) when compact', () => {
    const compact = (value: unknown, pieceChars?: number) => {
      let out = '';
      serializeJson(value, (t) => (out += t), { compact: true, ...(pieceChars === undefined ? {} : { pieceChars }) });
      return out;
    };
    for (let seed = 1; seed <= 400; seed++) {
      const value = randomValue(seed);
      if (value === undefined) continue;
      for (const pieceChars of [0, 1 + (seed % 120), undefined]) expect(compact(value, pieceChars), `seed ${seed}, pieces of ${pieceChars}`).toBe(JSON.stringify(value));
    }
    for (const value of [{}, [], { a: [] }, [{}], [undefined, () => 1], { a: undefined }, [[[]]]]) expect(compact(value)).toBe(JSON.stringify(value));
  });

  it('writes empty containers, nested empties and arrays with holes as JSON.stringify does', () => {
    for (const value of [{}, [], { a: [] }, [{}], [undefined, () => 1], { a: undefined }, [[[]]], { n: -0 }]) {
      for (const pieceChars of [0, 4, undefined]) expect(text(value, pieceChars)).toBe(JSON.stringify(value, null, 2));
    }
  });
});

describe('serializeJson of a LazyJsonArray', () => {
  /** A lazy list of random values, counting the items alive (made and not yet written past). */
  const lazyOf = (values: unknown[]) => {
    const made: number[] = [];
    return { made, list: new LazyJsonArray(values.length, (i) => (made.push(i), values[i])) };
  };

  it('writes what JSON.stringify writes of the array, compact or indented, at any piece size', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const values = Array.from({ length: seed % 7 }, (_, i) => randomValue(seed * 13 + i));
      const value = { before: randomValue(seed), list: lazyOf(values).list, nested: [lazyOf(values).list], after: 1 };
      const expected = { ...value, list: values, nested: [values] };
      for (const pieceChars of [0, 1 + (seed % 120), undefined]) {
        let compact = '';
        serializeJson(value, (t) => (compact += t), { compact: true, ...(pieceChars === undefined ? {} : { pieceChars }) });
        expect(compact, `seed ${seed}`).toBe(JSON.stringify(expected));
        expect(text(value, pieceChars), `seed ${seed}`).toBe(JSON.stringify(expected, null, 2));
        expect(JSON.stringify(value)).toBe(JSON.stringify(expected));
      }
    }
  });

  it('makes each item as it writes it, never the whole list first, even inside a small container', () => {
    const { made, list } = lazyOf(['a', 'b', 'c']);
    const seen: string[] = [];
    serializeJson({ list }, (t) => seen.push(`${t}@${made.length}`), { compact: true });
    // Each item is made right before its text is handed over: the list is walked, not stringified whole.
    expect(seen).toEqual(['{"list":@0', '[@0', '"a"@1', ',@1', '"b"@2', ',@2', '"c"@3', ']@3', '}@3']);
  });

  it('has at(), a length and iteration like an array, and makes an item again each time', () => {
    const { made, list } = lazyOf([1, 2]);
    expect([list.at(0), list.at(1), list.at(2), list.at(-1), list.length, [...list]]).toEqual([1, 2, undefined, undefined, 2, [1, 2]]);
    expect(made).toEqual([0, 1, 0, 1]);
  });
});

describe('writeStreamedFile', () => {
  it('writes every piece in order, across many chunks, and leaves no temporary file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-stream-'));
    try {
      const file = path.join(dir, 'report.html');
      const pieces = Array.from({ length: 20_000 }, (_, i) => `<p>${i} ü</p>`);
      writeStreamedFile(file, (emit) => pieces.forEach(emit));
      expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
      expect(readdirSync(dir)).toEqual(['report.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeJsonFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-json-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a large value in chunks, identical to JSON.stringify with a newline, and leaves no temporary file', () => {
    const value = { cases: Array.from({ length: 5000 }, (_, i) => ({ case: `c${i}`, passAtK: [0.5, 0.75], firstFailure: null, text: 'x'.repeat(i % 50) })) };
    const file = path.join(dir, 'summary.json');
    writeJsonFile(file, value);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });

  it('leaves an earlier file alone and no temporary behind when the value cannot be written', () => {
    const file = path.join(dir, 'summary.json');
    writeJsonFile(file, { ok: true });
    const bad = { big: 1n };
    expect(() => writeJsonFile(file, bad)).toThrow(/BigInt/);
    expect(readFileSync(file, 'utf8')).toBe('{\n  "ok": true\n}\n');
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });
});
