/** The view stripped to what its characters are made of, mapped back to the view unit by unit. */

import { enclosedDigit, LOOKALIKES } from './lookalikes.js';
import { MARKUP } from './markup.js';

const CELL_END = /^<\/(?:td|th|dt|label)\b/i;
const PERCENT_ESCAPE = /%([2-7][0-9A-Fa-f])/y;
/** Emphasis marks of Markdown and of chat apps: they decorate a word without changing it. */
const EMPHASIS = /[*_~`]/;
const COMBINING_MARKS = /\p{M}/gu;

export interface Skeleton {
  text: string;
  /** For each UTF-16 unit of `text`, the stretch of the view it came from. */
  from: number[];
  to: number[];
  /** For each UTF-16 unit of `text`, whether it stands for a markup tag: never part of what is redacted. */
  markup: boolean[];
}

/**
 * The view once more stripped to what its characters are made of: accents and
 * other marks gone (a password written "p̲a̲s̲s̲w̲o̲r̲d̲" or "pássword" is
 * the word), look-alike letters as Latin, enclosed digits as digits, markup
 * tags as a space, emphasis marks and percent escapes undone ("**PIN:**",
 * "4111<b>1111</b>", "4111%201111"). Detectors read it as well as the view;
 * what they find maps back to the view exactly.
 */
export function skeletonOf(view: string): Skeleton {
  const units: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const markups: boolean[] = [];
  // The last unit emitted that is not white space.
  let lastVisible = '';
  const emit = (text: string, start: number, end: number, markup = false) => {
    // UTF-16 units, not code points: the skeleton maps back to the view unit by unit.
    for (let unit = 0; unit < text.length; unit++) {
      const character = text.charAt(unit);
      units.push(character);
      from.push(start);
      to.push(end);
      markups.push(markup);
      if (!/\s/.test(character)) lastVisible = character;
    }
  };
  let index = 0;
  while (index < view.length) {
    const start = index;
    if (view[index] === '<') {
      MARKUP.lastIndex = index;
      const markup = MARKUP.exec(view);
      if (markup) {
        index += markup[0].length;
        // The end of a table cell or a label reads as "key: value" ("<td>PIN</td><td>1234</td>"),
        // unless the label has its own separator ("<td>PIN:</td><td>1234</td>").
        const cellEnd = CELL_END.test(markup[0]) && !/^[:=]$/.test(lastVisible);
        emit(cellEnd ? ': ' : ' ', start, index, true);
        continue;
      }
    }
    if (view[index] === '%') {
      PERCENT_ESCAPE.lastIndex = index;
      const hex = PERCENT_ESCAPE.exec(view)?.[1];
      if (hex !== undefined) {
        index += 3;
        emit(String.fromCharCode(Number.parseInt(hex, 16)), start, index);
        continue;
      }
    }
    const codePoint = view.codePointAt(index);
    if (codePoint === undefined) break;
    const character = String.fromCodePoint(codePoint);
    index += character.length;
    if (EMPHASIS.test(character)) continue;
    const bare =
      LOOKALIKES[character] ?? enclosedDigit(codePoint) ?? character.normalize('NFD').replace(COMBINING_MARKS, '');
    emit(bare, start, index);
  }
  return { text: units.join(''), from, to, markup: markups };
}

/**
 * The ASCII characters that are their own skeleton, as skeletonOf reads each
 * one alone (neither markup nor an escape can start with them).
 */
const OWN_SKELETON_ASCII: readonly boolean[] = Array.from({ length: 0x80 }, (_, code) => {
  const character = String.fromCharCode(code);
  if (character === '<' || character === '%' || EMPHASIS.test(character)) return false;
  const bare = LOOKALIKES[character] ?? enclosedDigit(code) ?? character.normalize('NFD').replace(COMBINING_MARKS, '');
  return bare === character;
});

/**
 * Whether `skeletonOf(view).text` is `view` itself, told without building it:
 * true for text of ASCII characters that are each their own skeleton (most
 * tickets); false may also be said of some text that is its own skeleton.
 */
export function isOwnSkeleton(view: string): boolean {
  for (let index = 0; index < view.length; index++) {
    if (OWN_SKELETON_ASCII[view.charCodeAt(index)] !== true) return false;
  }
  return true;
}
