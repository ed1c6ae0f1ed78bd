/** Markup tags in a ticket's text (HTML pasted from a mail or a web form), and where a value stops at them. */

/**
 * Tags that break a line or end a block where a browser renders them: the
 * text on either side is not one word. (Inline tags such as <b> may split a
 * secret, and stay inside what is redacted.)
 */
export const BREAKING_TAG_NAMES = 'br|p|div|li|ul|ol|tr|td|th|table|thead|tbody|dt|dd|hr|h[1-6]|pre|blockquote|label';
const BREAKING_TAG = new RegExp(String.raw`^<\/?(?:${BREAKING_TAG_NAMES})(?![A-Za-z0-9])[^<>\n]{0,64}>`, 'i');
const TAG_AT_END = /<\/?[A-Za-z][^<>\n]{0,64}>$/;
/** A tag or an HTML comment, read where `lastIndex` stands (sticky). */
export const MARKUP = /<!--[\s\S]{0,2000}?-->|<\/?[A-Za-z][^<>\n]{0,64}>/y;

/**
 * A value as far as the secret goes: markup tags at either end of it
 * ("Password:<br>S3cr3t!x", "<code>S3cr3t!x") and whatever follows a line
 * break tag inside it stay in the text. A value that is nothing but a tag
 * ("password: <hunter2>") is kept whole. Linear in the value's length.
 */
export function withoutMarkupAtEdges(text: string, start: number, end: number): [number, number] {
  const value = text.slice(start, end);
  if (!value.includes('<')) return [start, end];
  let from = 0;
  let to = value.length;
  while (from < to && value[from] === '<') {
    MARKUP.lastIndex = from;
    const tag = MARKUP.exec(value);
    if (tag === null) break;
    from += tag[0].length;
  }
  for (let index = value.indexOf('<', from + 1); index !== -1 && index < to; index = value.indexOf('<', index + 1)) {
    if (BREAKING_TAG.test(value.slice(index, index + 80))) to = index;
  }
  for (let tag = TAG_AT_END.exec(value.slice(Math.max(from, to - 80), to)); tag !== null && to > from;) {
    to -= tag[0].length;
    tag = TAG_AT_END.exec(value.slice(Math.max(from, to - 80), to));
  }
  return /[\p{L}\p{N}]/u.test(value.slice(from, to)) ? [start + from, start + to] : [start, end];
}
