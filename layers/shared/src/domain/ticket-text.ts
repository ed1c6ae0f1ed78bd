/*
 * A ticket's text as the domain knows it: what is kept of the customer's
 * words, and when a field counts as empty.
 */

/**
 * The customer's words as they are kept: what the client sent, minus control
 * characters, NFC-normalized. Nothing visible is deleted and nothing is
 * decoded: `List<String>`, `a<b` and `&lt;script&gt;` are stored exactly as
 * written. Markup is inert in a JSON API (served as JSON with `nosniff`) and
 * whoever renders a ticket escapes its text; the analysis reads a normalized
 * copy (analysis/analysis-view.ts), never this one.
 */
export function sanitizeText(text: string): string {
  return text
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROL_CHARACTERS, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFC');
}

/** CRLF, lone CR, NEL and the Unicode line and paragraph separators are all line breaks. */
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;

/**
 * C0 and C1 controls other than line feed and tab, and the bidirectional
 * embedding, override and isolate controls, which reorder how the text
 * around them is shown (a "Trojan source" ticket) without being seen.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Half a surrogate pair has no encoding in UTF-8, so it could not be stored. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Characters that are never seen, or seen as nothing, and so may hide inside a number or a word. */
export const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\u2800\u115F\u1160\u3164\uFFA0]$/u;

/** Whether `text` holds anything a person would see: not only white space and invisible characters. */
export function hasVisibleText(text: string): boolean {
  for (const character of text) {
    if (!/^\s$/u.test(character) && !INVISIBLE.test(character)) return true;
  }
  return false;
}
