/**
 * Turns what a customer pasted (often an HTML e-mail) into the plain text that
 * is analysed and stored. The result is plain text, never HTML: whoever shows
 * it must still escape it. The steps run in a fixed order, once each:
 * markup is stripped before entities are decoded, so `&lt;script&gt;` becomes
 * the literal text "<script>" instead of being stripped, and nothing is
 * decoded twice (`&amp;lt;` stays `&lt;`).
 */
export function sanitizeText(text: string): string {
  const stripped = stripMarkup(text);
  const decoded = decodeEntities(stripped);
  const visible = removeInvisibleCharacters(normalizeLineBreaks(decoded));
  return normalizeWhitespace(visible.normalize('NFC'));
}

/** Elements whose content is code or styling, never text meant for a reader. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math']);

/** Elements that separate lines when rendered; stripping them must not glue words together. */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'footer', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'li', 'ol', 'p', 'pre', 'section', 'table', 'td', 'th', 'tr', 'ul',
]);

const TAG_NAME = /^<\/?([A-Za-z][A-Za-z0-9-]*)/;

/**
 * Removes tags, comments, declarations and the content of script-like
 * elements in one left-to-right scan (linear: each `<` is looked at once).
 * A tag ends at the first `>`; an unterminated one ends at the end of its line,
 * so a stray `<` in prose costs at most the rest of that line.
 */
function stripMarkup(text: string): string {
  const lastTagEnd = text.lastIndexOf('>');
  let out = '';
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf('<', cursor);
    if (open === -1) break;
    out += text.slice(cursor, open);
    const markup = markupAt(text, open, lastTagEnd);
    if (markup === null) {
      out += '<';
      cursor = open + 1;
    } else {
      out += markup.replacement;
      cursor = markup.end;
    }
  }
  out += text.slice(cursor);
  return removeReassembledTagOpeners(out);
}

interface Markup {
  end: number;
  replacement: string;
}

function markupAt(text: string, open: number, lastTagEnd: number): Markup | null {
  if (text.startsWith('<!--', open)) {
    return { end: endAfter(text, '-->', open + 4), replacement: '' };
  }
  const next = text.charAt(open + 1);
  if (next === '!' || next === '?') {
    return { end: tagEnd(text, open, lastTagEnd), replacement: '' };
  }
  const name = TAG_NAME.exec(text.slice(open, open + 64))?.[1]?.toLowerCase();
  if (name === undefined) return null;

  const end = tagEnd(text, open, lastTagEnd);
  const isClosing = next === '/';
  if (!isClosing && RAW_TEXT_ELEMENTS.has(name)) {
    return { end: rawTextElementEnd(text, name, end), replacement: ' ' };
  }
  return { end, replacement: BLOCK_ELEMENTS.has(name) ? '\n' : '' };
}

/** Index just after the `>` closing the tag at `open`, or the end of its line when there is none. */
function tagEnd(text: string, open: number, lastTagEnd: number): number {
  if (open < lastTagEnd) return text.indexOf('>', open) + 1;
  const lineEnd = text.indexOf('\n', open);
  return lineEnd === -1 ? text.length : lineEnd;
}

/** Browsers treat everything up to the closing tag as the element's content, even across lines. */
function rawTextElementEnd(text: string, name: string, contentStart: number): number {
  const closing = new RegExp(`</${name}(?![A-Za-z0-9-])[^>]*>?`, 'gi');
  closing.lastIndex = contentStart;
  const match = closing.exec(text);
  return match === null ? text.length : match.index + match[0].length;
}

function endAfter(text: string, terminator: string, from: number): number {
  const found = text.indexOf(terminator, from);
  return found === -1 ? text.length : found + terminator.length;
}

/**
 * Stripping `<b>` out of `<<b>img ...>` would assemble a new tag from the
 * pieces. Any `<` still followed by a tag-start character can only have come
 * from such a split (real ones were stripped above), so it is dropped.
 */
function removeReassembledTagOpeners(text: string): string {
  // Anchored at the start of a run of `<` so a long run is scanned once, not once per `<`.
  return text.replace(/(?<!<)<+(?=[A-Za-z!?]|\/[A-Za-z])/g, '');
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '',
  copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–', bull: '•', middot: '·',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  euro: '€', pound: '£', yen: '¥', cent: '¢', deg: '°', times: '×', divide: '÷',
  aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', ntilde: 'ñ', Ntilde: 'Ñ',
  agrave: 'à', egrave: 'è', ccedil: 'ç', ecirc: 'ê', Eacute: 'É',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß',
};

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,8}));/g;

/** One pass, never repeated: the output is not parsed again. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (entity, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? entity;
    const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    return isEncodableCodePoint(codePoint) ? String.fromCodePoint(codePoint) : '';
  });
}

function isEncodableCodePoint(codePoint: number): boolean {
  const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  return codePoint > 0 && codePoint <= 0x10ffff && !isSurrogate;
}

/** CRLF, lone CR, NEL and the Unicode line/paragraph separators all become `\n`. */
function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
}

/**
 * C0/C1 controls other than \n and \t; zero-width characters and bidi
 * overrides/isolates, which can hide or reorder text (a "Trojan source"
 * ticket); the BOM; and lone surrogates, which have no valid encoding.
 */
const INVISIBLE_CHARACTERS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function removeInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** No-break and other typographic spaces would let "4111 1111…" slip past the PII detectors. */
const UNICODE_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

function normalizeWhitespace(text: string): string {
  return text
    .replace(UNICODE_SPACES, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
