/**
 * Comprehend reports offsets in characters (Unicode code points); JavaScript strings index
 * UTF-16 code units. An emoji is one code point but two units, so every offset after it
 * would be off by one if we reported `String.prototype.indexOf` positions directly.
 */

/** Half-open span in UTF-16 units, as produced by JavaScript string and regex APIs. */
export interface Utf16Span {
  begin: number;
  end: number;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Returns a function that maps a UTF-16 index of `text` to its code-point index. */
export function codePointIndexer(text: string): (utf16Index: number) => number {
  if (!SURROGATE.test(text)) return (index) => index;

  const codePointAt = new Uint32Array(text.length + 1);
  let codePoints = 0;
  for (let unit = 0; unit < text.length; unit++) {
    codePointAt[unit] = codePoints;
    const isHighSurrogateOfPair = isHighSurrogate(text.charCodeAt(unit)) && isLowSurrogate(text.charCodeAt(unit + 1));
    if (isHighSurrogateOfPair) {
      // The low half belongs to the same character: it maps to the same code point.
      codePointAt[unit + 1] = codePoints;
      unit++;
    }
    codePoints++;
  }
  codePointAt[text.length] = codePoints;
  return (index) => codePointAt[index] ?? codePoints;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
