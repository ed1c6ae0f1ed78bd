import { describe, expect, test } from '@jest/globals';
import { codePointToUtf16Index, truncateUtf8, utf8ByteLength } from '../../../layers/shared/src/analysis/utf8.js';

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('truncateUtf8', () => {
  test('returns text that fits unchanged', () => {
    expect(truncateUtf8('hello', 5)).toBe('hello');
    expect(truncateUtf8('héllo wörld', 1_000)).toBe('héllo wörld');
  });

  test('cuts ASCII at exactly the byte budget', () => {
    expect(truncateUtf8('abcdefghij', 4)).toBe('abcd');
  });

  test('never splits a two-byte character', () => {
    // "é" is 2 bytes: "aé" is 3 bytes, so a 2-byte budget keeps only "a".
    expect(truncateUtf8('aéb', 2)).toBe('a');
    expect(truncateUtf8('aéb', 3)).toBe('aé');
  });

  test('never splits a three-byte character', () => {
    // "€" is 3 bytes.
    expect(truncateUtf8('€€€', 8)).toBe('€€');
    expect(truncateUtf8('€€€', 9)).toBe('€€€');
  });

  test('keeps a surrogate pair whole or drops it whole', () => {
    const text = 'ab😀cd'; // the emoji is 2 UTF-16 units and 4 UTF-8 bytes
    expect(truncateUtf8(text, 5)).toBe('ab');
    expect(truncateUtf8(text, 6)).toBe('ab😀');
    expect(truncateUtf8(text, 7)).toBe('ab😀c');
  });

  test('the result is well-formed and within budget for every budget', () => {
    const text = 'a€😀é'.repeat(50);
    for (let budget = 0; budget <= bytes(text); budget++) {
      const prefix = truncateUtf8(text, budget);
      expect(bytes(prefix)).toBeLessThanOrEqual(budget);
      expect(text.startsWith(prefix)).toBe(true);
      expect(prefix).not.toMatch(/[\uD800-\uDBFF]$/);
      // Longest: one more character would not fit.
      const next = text.slice(prefix.length).codePointAt(0);
      if (next !== undefined) expect(bytes(prefix + String.fromCodePoint(next))).toBeGreaterThan(budget);
    }
  });

  test('a zero or negative budget gives the empty string', () => {
    expect(truncateUtf8('abc', 0)).toBe('');
    expect(truncateUtf8('abc', -1)).toBe('');
  });

  test('counts a lone surrogate as the 3 bytes its replacement character takes', () => {
    expect(truncateUtf8('\uD800abc', 3)).toBe('\uD800');
    expect(truncateUtf8('\uD800abc', 2)).toBe('');
  });

  test('cuts a 20,000-character multi-byte description within one character of the limit', () => {
    const text = 'ü😀'.repeat(10_000);
    const prefix = truncateUtf8(text, 5_000);
    expect(bytes(prefix)).toBeLessThanOrEqual(5_000);
    expect(bytes(prefix)).toBeGreaterThan(5_000 - 4);
    expect(text.startsWith(prefix)).toBe(true);
  });
});

describe('utf8ByteLength', () => {
  test('counts bytes, not characters', () => {
    expect(utf8ByteLength('a')).toBe(1);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('😀')).toBe(4);
  });
});

describe('codePointToUtf16Index', () => {
  test('is the identity for text without astral characters', () => {
    const toUtf16 = codePointToUtf16Index('héllo');
    expect(toUtf16(0)).toBe(0);
    expect(toUtf16(3)).toBe(3);
  });

  test('shifts offsets after an emoji by one code unit per emoji', () => {
    const text = '😀 card 😀 4111';
    const toUtf16 = codePointToUtf16Index(text);
    // Code points: 😀=0, ' '=1, 'c'=2 … second 😀 at 7, ' ' at 8, '4' at 9.
    expect(text.slice(toUtf16(2), toUtf16(6))).toBe('card');
    expect(text.slice(toUtf16(9), toUtf16(13))).toBe('4111');
  });

  test('clamps offsets past the end to the text length', () => {
    expect(codePointToUtf16Index('😀ab')(99)).toBe(4);
    expect(codePointToUtf16Index('ab')(99)).toBe(2);
  });
});
