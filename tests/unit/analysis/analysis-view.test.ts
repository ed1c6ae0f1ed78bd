import { describe, expect, test } from '@jest/globals';
import { analysisView } from '../../../layers/shared/src/analysis/analysis-view.js';

/** The original text behind the view's [start, end), field by field. */
function originalOf(fields: { subject: string; description: string; tags?: string[] }, start: number, end: number) {
  const view = analysisView(fields);
  return view.originOf(start, end).map(({ field, start: from, end: to }) => {
    const text =
      field === 'subject' ? fields.subject : field === 'description' ? fields.description : fields.tags![field]!;
    return [field, text.slice(from, to)];
  });
}

describe('analysisView reads text as a person does', () => {
  test.each([
    ['full-width digits', '４１１１', '4111'],
    ['Arabic-Indic digits', '٤١١١', '4111'],
    ['mathematical bold digits', '𝟒𝟏𝟏𝟏', '4111'],
    ['invisible characters', '4\u200B1\u180E1\u034F1\u2800\uFE0F\u{E0020}', '4111'],
    ['combining marks off a digit or a dash', '4\u0301-\u0308\u03081', '4-1'],
    ['a letter with its mark, kept and composed', 'Cafe\u0301', 'Café'],
    ['half-width kana with sound marks, composed as NFKC of the whole', 'ｶﾞｲﾄﾞ', 'ガイド'],
    ['numeric character references, with or without ";" and with leading zeros', '&#52;&#x31&#0049;', '411'],
    ['named references as the characters that matter, or a space', 'a&amp;b&ndash;c&nbsp;d', 'a&b c d'],
    ['a redaction marker as one opaque character', 'pw [REDACTED:PASSWORD] ok', 'pw \uFFFC ok'],
    ['&Tab; and &NewLine; as a tab and a line break', 'Password&Tab;x&NewLine;y', 'Password\tx\ny'],
    ['names of Object.prototype as unknown references', 'a&constructor;b&toString;c&valueOf;d', 'a b c d'],
  ])('%s', (_what, description, expected) => {
    expect(analysisView({ subject: '', description }).analyzedText).toBe(`\n\n${expected}`);
  });

  test('subject and description are joined by a blank line; tags follow, one a line, outside the analyzed text', () => {
    const view = analysisView({ subject: 'Subject', description: 'Text', tags: ['a', 'b'] });
    expect(view.analyzedText).toBe('Subject\n\nText');
    expect(view.text).toBe('Subject\n\nText\na\nb');
  });
});

describe('originOf maps the view back to the original, exactly', () => {
  test('through NFKC expansions and surrogate pairs', () => {
    const fields = { subject: '😀 ﬁle', description: '𝟒𝟏 x' };
    const view = analysisView(fields);
    expect(view.analyzedText).toBe('😀 file\n\n41 x');
    const fi = view.analyzedText.indexOf('fi');
    expect(originalOf(fields, fi, fi + 2)).toEqual([['subject', 'ﬁ']]);
    const digits = view.analyzedText.indexOf('41');
    expect(originalOf(fields, digits, digits + 2)).toEqual([['description', '𝟒𝟏']]);
  });

  test('a span covers the invisible characters and references inside it', () => {
    const fields = { subject: 'x', description: 'a 4\u200B&#49;1 b' };
    const view = analysisView(fields);
    const start = view.analyzedText.indexOf('411');
    expect(originalOf(fields, start, start + 3)).toEqual([['description', '4\u200B&#49;1']]);
  });

  test('a span across subject, description and tags is reported once per field', () => {
    const fields = { subject: 'card 4111', description: '1111 end', tags: ['22'] };
    const view = analysisView(fields);
    const start = view.text.indexOf('4111');
    expect(originalOf(fields, start, view.text.length)).toEqual([
      ['subject', '4111'],
      ['description', '1111 end'],
      [0, '22'],
    ]);
  });
});

describe('stacked marks', () => {
  test('a letter keeps the first few marks stacked on it and leaves the rest out', () => {
    const view = analysisView({ subject: '', description: `a${'\u0301'.repeat(50)}b` });
    expect(view.analyzedText.length).toBeLessThan(12);
    expect(view.analyzedText.startsWith('\n\ná')).toBe(true);
    expect(view.analyzedText.endsWith('b')).toBe(true);
  });
});
