/**
 * Byte and code-point arithmetic on JavaScript (UTF-16) strings. Comprehend
 * limits its inputs in UTF-8 bytes and reports offsets in Unicode code points,
 * while JavaScript indexes strings in UTF-16 code units: these helpers convert
 * between the three without ever splitting a character.
 */

const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
const LOW_SURROGATE_MIN = 0xdc00;
const LOW_SURROGATE_MAX = 0xdfff;

/** The most UTF-8 bytes one UTF-16 code unit can need (a BMP character above U+07FF). */
const MAX_BYTES_PER_CODE_UNIT = 3;

const isHighSurrogate = (unit: number): boolean => unit >= HIGH_SURROGATE_MIN && unit <= HIGH_SURROGATE_MAX;
const isLowSurrogate = (unit: number): boolean => unit >= LOW_SURROGATE_MIN && unit <= LOW_SURROGATE_MAX;

/** The number of bytes `text` takes in UTF-8 (a lone surrogate counts as U+FFFD, as encoders write it). */
export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never
 * cutting a code point (a surrogate pair stays whole or goes whole). One pass,
 * stopping at the cut: linear in the length of the prefix.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  // Every code unit needs at most 3 bytes (a pair needs 4 for its 2 units), so short texts fit as they are.
  if (text.length * MAX_BYTES_PER_CODE_UNIT <= maxBytes) return text;

  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const { byteCount, unitCount } = measureCharacterAt(text, index);
    if (bytes + byteCount > maxBytes) break;
    bytes += byteCount;
    index += unitCount;
  }
  return index === text.length ? text : text.slice(0, index);
}

function measureCharacterAt(text: string, index: number): { byteCount: number; unitCount: number } {
  const unit = text.charCodeAt(index);
  if (unit < 0x80) return { byteCount: 1, unitCount: 1 };
  if (unit < 0x800) return { byteCount: 2, unitCount: 1 };
  if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(index + 1))) {
    return { byteCount: 4, unitCount: 2 };
  }
  // Other BMP characters, and lone surrogates (encoded as the 3-byte U+FFFD).
  return { byteCount: 3, unitCount: 1 };
}

/**
 * A converter from code-point offsets in `text` (what Comprehend reports) to
 * UTF-16 indices (what `String.prototype.slice` takes). Offsets past the end
 * map to `text.length`. Text without astral characters needs no table.
 */
export function codePointToUtf16Index(text: string): (codePointOffset: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) {
    return (offset) => clamp(offset, 0, text.length);
  }
  const utf16IndexOfCodePoint = buildCodePointTable(text);
  const lastCodePoint = utf16IndexOfCodePoint.length - 1;
  return (offset) => utf16IndexOfCodePoint[clamp(offset, 0, lastCodePoint)] ?? text.length;
}

/** Entry i is the UTF-16 index where code point i starts; the last entry is `text.length`. */
function buildCodePointTable(text: string): Uint32Array {
  const table = new Uint32Array(text.length + 1);
  let codePoints = 0;
  let index = 0;
  while (index < text.length) {
    table[codePoints++] = index;
    const pairs = isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1));
    index += pairs ? 2 : 1;
  }
  table[codePoints] = text.length;
  return table.subarray(0, codePoints + 1);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value), min), max);
}
