import { describe, expect, test } from '@jest/globals';
import { hasVisibleText, sanitizeText } from '../../../layers/shared/src/domain/ticket-text.js';

describe('sanitizeText keeps the words', () => {
  test.each([
    ['List<String> names'],
    ['Map<String, List<Integer>> counts'],
    ['Error in <module> at line 3'],
    ['Step 1: compare if a<b fails.\nStep 2: restart.\nStep 3: 5 -> 6 retries.'],
    ['<script>alert(1)</script> appears in the page title'],
    ['<p>Hello</p><!-- a comment --><b>bold</b>'],
    ['x < y && y > z'],
    ['<<b>img src=x onerror=alert(1)>'],
  ])('stores %j exactly as written', (text) => {
    expect(sanitizeText(text)).toBe(text);
  });

  test.each([['&lt;script&gt;'], ['&amp;lt;'], ['caf&eacute; &#233; &#x41;'], ['&nbsp;&shy;']])(
    'never decodes entities: %j stays as it is',
    (text) => {
      expect(sanitizeText(text)).toBe(text);
    },
  );

  test('keeps line breaks, tabs, indentation and runs of spaces', () => {
    const code = 'function f() {\n\tif (x) {\n        return 1;   // two\n\t}\n}\n\n\n\nEnd.';
    expect(sanitizeText(code)).toBe(code);
  });

  test('keeps visible Unicode: accents, emoji with joiners, right-to-left text, no-break spaces', () => {
    const text = 'Café 👩‍💻 مرحبا 100\u00A0€ ４１';
    expect(sanitizeText(text)).toBe(text);
  });
});

describe('sanitizeText removes control characters only', () => {
  test('removes C0 and C1 controls other than line feed and tab (NEL is a line break)', () => {
    expect(sanitizeText('a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg\th\ni')).toBe('abcde\nfg\th\ni');
  });

  test('turns CRLF, lone CR and Unicode line separators into line feeds', () => {
    expect(sanitizeText('one\r\ntwo\rthree\u2028four\u2029five')).toBe('one\ntwo\nthree\nfour\nfive');
  });

  test('removes bidirectional overrides and isolates, which reorder the text around them unseen', () => {
    expect(sanitizeText('access\u202E\u2066level\u2069\u202C ok')).toBe('accesslevel ok');
  });

  test('replaces half a surrogate pair, which has no UTF-8 encoding', () => {
    expect(sanitizeText('a\uD800b\uDC00c')).toBe('a\uFFFDb\uFFFDc');
    expect(sanitizeText('ok 😀')).toBe('ok 😀');
  });

  test('normalizes to NFC', () => {
    expect(sanitizeText('Cafe\u0301')).toBe('Caf\u00E9');
  });

  test('a text of control characters alone becomes empty', () => {
    expect(sanitizeText('\u0000\u0001\u202E')).toBe('');
  });
});

describe('hasVisibleText', () => {
  test.each([
    ['', false],
    [' \n\t', false],
    ['\u200B\u2060\uFEFF\u2800', false],
    ['a', true],
    ['\u200B.', true],
  ])('%j → %s', (text, visible) => {
    expect(hasVisibleText(text)).toBe(visible);
  });
});
