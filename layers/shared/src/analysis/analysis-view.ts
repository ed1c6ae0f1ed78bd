import type { TicketFields } from '../domain/ticket-analyzer.js';
import { INVISIBLE } from '../domain/ticket-text.js';

/**
 * The normalized copy of a ticket's text that analysis reads. Storage keeps
 * the customer's words; detectors and Comprehend read this view, in which
 * disguises that do not change what a person reads are undone:
 *
 * - NFKC, so full-width `４１１１` reads as `4111` and ligatures as letters;
 * - every decimal digit of any script (Arabic-Indic `٤١١١`, Devanagari …) as
 *   its ASCII digit;
 * - character references (`&#52;`, `&ndash;`) as what a browser shows;
 * - redaction markers as one opaque character;
 * - default-ignorable and blank-looking characters (zero-width spaces and
 *   joiners, variation selectors, U+180E, U+034F, tag characters, U+2800)
 *   left out, as are combining marks that hang off anything but a letter;
 *   a letter and its marks are normalized together.
 *
 * Every UTF-16 unit of the view remembers which field and which stretch of
 * the original it came from, so a span found in the view is replaced in the
 * stored text exactly, however it was disguised there.
 */

/** `subject`, `description`, or the index of a tag. */
export type FieldName = 'subject' | 'description' | number;

/** A stretch of one field of the original text, as UTF-16 indices (`end` exclusive). */
export interface FieldSpan {
  field: FieldName;
  start: number;
  end: number;
}

export interface AnalysisView {
  /**
   * Subject and description, normalized and joined by a blank line: what
   * Comprehend and triage read. A prefix of `text`.
   */
  readonly analyzedText: string;
  /** `analyzedText`, then each tag on a line of its own: what the secret detectors scan. */
  readonly text: string;
  /** The stretches of the original fields that the view's [start, end) came from, one per field touched. */
  originOf(start: number, end: number): FieldSpan[];
}

/** Between subject and description: Comprehend and triage read them as one text. */
export const FIELD_SEPARATOR = '\n\n';
/** Between the analyzed text and the tags, and between tags. */
const TAG_SEPARATOR = '\n';

const SEPARATOR_FIELD = -1;
const SUBJECT_FIELD = -2;
const DESCRIPTION_FIELD = -3;

const COMBINING_MARK = /^\p{M}/u;
const LETTER = /^\p{L}/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
/** A letter and the marks read with it: enough for any script's real clusters. */
const MAX_CLUSTER_UNITS = 8;

export function analysisView(fields: TicketFields): AnalysisView {
  const builder = new ViewBuilder();
  builder.addField(fields.subject, SUBJECT_FIELD);
  builder.addSeparator(FIELD_SEPARATOR);
  builder.addField(fields.description, DESCRIPTION_FIELD);
  const analyzedLength = builder.length;
  (fields.tags ?? []).forEach((tag, index) => {
    builder.addSeparator(TAG_SEPARATOR);
    builder.addField(tag, index);
  });
  return builder.finish(analyzedLength);
}

class ViewBuilder {
  readonly #parts: string[] = [];
  readonly #field: number[] = [];
  readonly #start: number[] = [];
  readonly #end: number[] = [];

  get length(): number {
    return this.#field.length;
  }

  addSeparator(separator: string): void {
    for (let index = 0; index < separator.length; index++) this.#push(separator.charAt(index), SEPARATOR_FIELD, 0, 0);
  }

  addField(text: string, field: number): void {
    // Whether the last character kept is a letter: a combining mark belongs to
    // a letter, and hanging off anything else (a digit, a dash) it only hides.
    let afterLetter = false;
    let cluster: { start: number; units: number; text: string } | null = null;
    for (const { character, start, end } of charactersOf(text)) {
      const isMark = COMBINING_MARK.test(character);
      if (INVISIBLE.test(character) || (isMark && !afterLetter)) continue;
      const normalized = normalizeCharacter(character);
      if (cluster !== null && COMBINING_MARK.test(normalized)) {
        // Marks stacked beyond a few only decorate ("Zalgo" text); composing them would cost quadratic time.
        if (cluster.text.length >= MAX_CLUSTER_UNITS) continue;
        // NFKC of the whole cluster, not of its pieces: "ｶﾞ" reads as "ガ".
        const composed: string = (cluster.text + normalized).normalize('NFC');
        this.#pop(cluster.units);
        this.#pushAll(composed, field, cluster.start, end);
        cluster = { start: cluster.start, units: composed.length, text: composed };
        continue;
      }
      afterLetter = LETTER.test(normalized);
      this.#pushAll(normalized, field, start, end);
      cluster = afterLetter ? { start, units: normalized.length, text: normalized } : null;
    }
  }

  #pushAll(units: string, field: number, start: number, end: number): void {
    // UTF-16 units, not code points: each unit of the view has its own origin.
    for (let unit = 0; unit < units.length; unit++) this.#push(units.charAt(unit), field, start, end);
  }

  #pop(count: number): void {
    for (const list of [this.#parts, this.#field, this.#start, this.#end]) list.length -= count;
  }

  #push(unit: string, field: number, start: number, end: number): void {
    this.#parts.push(unit);
    this.#field.push(field);
    this.#start.push(start);
    this.#end.push(end);
  }

  finish(analyzedLength: number): AnalysisView {
    const text = this.#parts.join('');
    const fieldOf = this.#field;
    const startOf = this.#start;
    const endOf = this.#end;
    return {
      analyzedText: text.slice(0, analyzedLength),
      text,
      originOf(start, end) {
        const spans: FieldSpan[] = [];
        for (let index = Math.max(0, start); index < Math.min(end, fieldOf.length); index++) {
          const field = fieldOf[index];
          const unitStart = startOf[index];
          const unitEnd = endOf[index];
          if (field === undefined || unitStart === undefined || unitEnd === undefined) break;
          if (field === SEPARATOR_FIELD) continue;
          const name = fieldName(field);
          const last = spans.at(-1);
          if (last?.field === name) last.end = unitEnd;
          else spans.push({ field: name, start: unitStart, end: unitEnd });
        }
        return spans;
      },
    };
  }
}

/**
 * A redaction marker is one opaque character to analysis: a ticket completed
 * later from stored text must not read "[REDACTED:PASSWORD]" as the word
 * "password", and no detector may join digits across it.
 */
const REDACTION_MARKER = /\[REDACTED:[A-Z_]+\]/y;
const OPAQUE = '\uFFFC';
/** What a stored redaction marker reads as in the view. */
export const REDACTION_IN_VIEW = OPAQUE;

/**
 * Character references are stored as written, but read as what a browser
 * would show: "&#52;111 1111 1111 1111" is a card number to anyone who renders
 * it as HTML. As in HTML, a numeric reference may lack its ";" and carry any
 * number of leading zeros; a named one reads as the few characters that matter
 * here (`&Tab;` and `&NewLine;` as a tab and a line break), and as a space
 * otherwise ("4111&ndash;1111" is two digit groups).
 */
const NUMERIC_REFERENCE = /&#(?:0*([0-9]{1,7})|[xX]0*([0-9A-Fa-f]{1,6}))(?:;|(?![0-9A-Fa-f]))/y;
const NAMED_REFERENCE = /&([A-Za-z][A-Za-z0-9]{1,31});/y;
const NAMED_CHARACTERS: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  shy: '\u00AD',
  zwj: '\u200D',
  zwnj: '\u200C',
  // A tab and a line break separate a key from its value, or the cells and rows of a table.
  Tab: '\t',
  NewLine: '\n',
};

interface SourceCharacter {
  character: string;
  start: number;
  end: number;
}

function* charactersOf(text: string): Generator<SourceCharacter> {
  let index = 0;
  while (index < text.length) {
    const start = index;
    const special =
      text.charCodeAt(index) === 0x26 /* & */
        ? referenceAt(text, index)
        : text.charCodeAt(index) === 0x5b /* [ */
          ? markerAt(text, index)
          : null;
    if (special !== null) {
      index = special.end;
      yield special;
      continue;
    }
    const codePoint = text.codePointAt(index);
    if (codePoint === undefined) return;
    index += codePoint > 0xffff ? 2 : 1;
    yield { character: String.fromCodePoint(codePoint), start, end: index };
  }
}

function markerAt(text: string, index: number): SourceCharacter | null {
  REDACTION_MARKER.lastIndex = index;
  const marker = REDACTION_MARKER.exec(text);
  return marker ? { character: OPAQUE, start: index, end: index + marker[0].length } : null;
}

function referenceAt(text: string, index: number): SourceCharacter | null {
  NUMERIC_REFERENCE.lastIndex = index;
  const numeric = NUMERIC_REFERENCE.exec(text);
  if (numeric) {
    const [reference, decimal, hex] = numeric;
    const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
    const character =
      codePoint > 0 && codePoint <= 0x10ffff && !isSurrogate ? String.fromCodePoint(codePoint) : '\uFFFD';
    return { character, start: index, end: index + reference.length };
  }
  NAMED_REFERENCE.lastIndex = index;
  const named = NAMED_REFERENCE.exec(text);
  if (named) {
    // Own names only: "&constructor;" is not a reference to Object.prototype.constructor.
    const [reference, name = ''] = named;
    const character = (Object.hasOwn(NAMED_CHARACTERS, name) ? NAMED_CHARACTERS[name] : undefined) ?? ' ';
    return { character, start: index, end: index + reference.length };
  }
  return null;
}

function fieldName(field: number): FieldName {
  if (field === SUBJECT_FIELD) return 'subject';
  if (field === DESCRIPTION_FIELD) return 'description';
  return field;
}

/** One character as the view shows it: a decimal digit of any script as ASCII, anything else as NFKC gives it. */
function normalizeCharacter(character: string): string {
  const compatible = character.normalize('NFKC');
  const codePoint = character.codePointAt(0);
  if (codePoint === undefined || !DECIMAL_DIGIT.test(character) || /^[0-9]$/.test(compatible)) return compatible;
  return String(decimalDigitValue(codePoint));
}

/**
 * Unicode lays out each script's decimal digits as a run of ten, zero first,
 * so a digit's value is its distance from the start of its run.
 */
function decimalDigitValue(codePoint: number): number {
  let distance = 0;
  // Some scripts have several runs back to back; the value repeats every ten.
  while (distance < 100 && DECIMAL_DIGIT.test(String.fromCodePoint(codePoint - distance - 1))) distance++;
  return distance % 10;
}
