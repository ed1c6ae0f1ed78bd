import { describe, expect, test } from '@jest/globals';
import { sanitizeText } from '../../../layers/shared/src/analysis/text-sanitizer.js';

/** No `<` that a browser would read as the start of a tag, comment or declaration. */
const TAG_START = /<[A-Za-z!?/]/;

describe('sanitizeText: markup', () => {
  test('drops a script element together with its code', () => {
    const clean = sanitizeText('Hello <script>alert(1)</script>world');
    expect(clean).toBe('Hello world');
  });

  test('drops an image tag with an event handler', () => {
    const clean = sanitizeText('Look <img src=x onerror=alert(document.cookie)> here');
    expect(clean).toBe('Look here');
  });

  test('drops style elements, comments and declarations', () => {
    const html = '<!DOCTYPE html><?xml version="1.0"?><style>p{color:red}</style><!-- secret --><b>Bold</b> text';
    expect(sanitizeText(html)).toBe('Bold text');
  });

  test('a comment hides a script inside it', () => {
    expect(sanitizeText('<!-- <script>alert(1)</script> -->visible')).toBe('visible');
  });

  test('tags split by an inner tag do not reassemble into markup', () => {
    for (const hostile of ['<<b>img src=x onerror=alert(1)>', '<scr<script>ipt>alert(1)</script>', '<<<<script>>alert(1)']) {
      const clean = sanitizeText(hostile);
      expect(clean).not.toMatch(TAG_START);
      expect(clean).not.toContain('<script');
    }
  });

  test('an unterminated tag is removed up to the end of its line, the rest is kept', () => {
    const clean = sanitizeText('Broken <img src=x onerror=alert(1)\nSecond line stays');
    expect(clean).toBe('Broken\nSecond line stays');
  });

  test('an unterminated script swallows everything after it, as a browser would', () => {
    expect(sanitizeText('Before <script>alert(1)\nmore code')).toBe('Before');
  });

  test('case and attributes do not hide a script', () => {
    expect(sanitizeText('a<SCRIPT type="text/javascript">evil()</ScRiPt >b')).toBe('a b');
  });

  test('block elements keep paragraphs apart instead of gluing words', () => {
    expect(sanitizeText('<p>Hello</p><p>World</p>line<br>break')).toBe('Hello\n\nWorld\nline\nbreak');
  });

  test('comparisons written in prose survive', () => {
    expect(sanitizeText('latency < 200 ms and > 50 ms, 3 <= 4')).toBe('latency < 200 ms and > 50 ms, 3 <= 4');
  });
});

describe('sanitizeText: entities', () => {
  test('decodes common entities after stripping, so escaped markup stays visible as text', () => {
    expect(sanitizeText('I typed &lt;script&gt; into the form &amp; it broke')).toBe(
      'I typed <script> into the form & it broke',
    );
  });

  test('decodes exactly once', () => {
    expect(sanitizeText('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
  });

  test('decodes numeric entities and named accents', () => {
    expect(sanitizeText('caf&eacute; &#8364;5 &#x1F600;')).toBe('café €5 😀');
  });

  test('leaves unknown entities as written', () => {
    expect(sanitizeText('AT&T &bogus; R&D')).toBe('AT&T &bogus; R&D');
  });

  test('entity-encoded control and bidi characters are removed like literal ones', () => {
    expect(sanitizeText('a&#0;b&#x202E;c&#13;&#10;d')).toBe('abc\nd');
  });
});

describe('sanitizeText: invisible and control characters', () => {
  test('removes NUL and other control characters but keeps newlines and tabs', () => {
    expect(sanitizeText('a\u0000b\u0007c\u001Bd\u007Fe\nf\tg')).toBe('abcde\nf\tg');
  });

  test('removes right-to-left overrides and isolates that would disguise text', () => {
    const disguised = 'invoice\u202Efdp.exe\u202C and \u2066hidden\u2069';
    expect(sanitizeText(disguised)).toBe('invoicefdp.exe and hidden');
  });

  test('removes zero-width characters that could split a card number past the detectors', () => {
    expect(sanitizeText('4111\u200B1111\u200C1111\u200D1111\uFEFF')).toBe('4111111111111111');
  });

  test('turns no-break spaces into plain spaces', () => {
    expect(sanitizeText('4111\u00A01111\u202F1111')).toBe('4111 1111 1111');
  });

  test('replaces lone surrogates, which cannot be encoded', () => {
    expect(sanitizeText('a\uD800b')).toBe('a\uFFFDb');
  });
});

describe('sanitizeText: normalisation', () => {
  test('turns CRLF and lone CR into LF', () => {
    expect(sanitizeText('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });

  test('composes decomposed characters (NFC)', () => {
    const decomposed = 'Cafe\u0301';
    expect(sanitizeText(decomposed)).toBe('Caf\u00E9');
    expect(sanitizeText(decomposed)).toHaveLength(4);
  });

  test('collapses runs of spaces and tabs, trims, and allows at most one blank line', () => {
    expect(sanitizeText('  Hello   there\t\tfriend  \n\n\n\n  \nBye   ')).toBe('Hello there friend\n\nBye');
  });

  test('markup-only input becomes empty', () => {
    expect(sanitizeText('<script>alert(1)</script><p> </p>')).toBe('');
  });

  test('leaves no markup in hostile nesting', () => {
    const hostile = '<<<<b>'.repeat(4_000) + '<a\n'.repeat(3_000);
    expect(sanitizeText(hostile)).not.toMatch(TAG_START);
  });
});
