import type { Redaction } from '../domain/ticket.js';
import type { TicketFields } from '../domain/ticket-analyzer.js';
import { analysisView, REDACTION_IN_VIEW, type AnalysisView, type FieldName } from './analysis-view.js';
import { standsAloneAsCode } from './secrets/card-codes.js';
import { detectSecrets, NEVER_STORED_PII_TYPES, type NeverStoredPiiType, type SecretSpan } from './secret-detectors.js';

export const redactionMarker = (type: NeverStoredPiiType): string => `[REDACTED:${type}]`;
/** Tags are short labels: a secret inside one becomes this word, and the tag stays a valid label. */
export const REDACTED_TAG_TEXT = 'redacted';

export interface RedactedFields extends TicketFields {
  tags: string[];
  /** Removed spans per type, sorted by type. */
  redactions: Redaction[];
  /** The disjoint spans that were redacted, in the view's coordinates. */
  spans: SecretSpan[];
}

/**
 * What the on-box detectors find in a ticket's fields (`view` is theirs):
 * the text alone decides it, so it may be found while Comprehend is asked.
 */
export interface OnBoxSecrets {
  /** In the view, possibly overlapping. */
  readonly inView: readonly SecretSpan[];
  /** Found only when the fields are read in the opposite order. */
  readonly reversed: readonly ReversedSecret[];
}

export function onBoxSecrets(fields: TicketFields, view: AnalysisView = analysisView(fields)): OnBoxSecrets {
  return { inView: detectSecrets(view.text, view.analyzedText.length), reversed: reversedSecrets(fields) };
}

/**
 * Redacts every must-never-store secret from the stored fields: whatever the
 * on-box detectors find (`onBox`, of these fields and view), plus `moreSpans`
 * (Comprehend's findings, in the same view's coordinates). Each span is
 * replaced where it stands in the original text, across field boundaries if
 * a number was split between subject and description.
 */
export function redactFields(
  fields: TicketFields,
  view: AnalysisView = analysisView(fields),
  moreSpans: readonly SecretSpan[] = [],
  onBox: OnBoxSecrets = onBoxSecrets(fields, view),
): RedactedFields {
  const found = resolveOverlaps(
    [...onBox.inView, ...moreSpans].filter((span) => !isRedactedAlready(view.text.slice(span.start, span.end))),
  );
  const spans = resolveOverlaps([...found, ...repeatedSecrets(view.text, found)]);
  const replacements = new Map<FieldName, FieldReplacement[]>();
  const replace = (field: FieldName, replacement: FieldReplacement) => {
    const list = replacements.get(field) ?? [];
    list.push(replacement);
    replacements.set(field, list);
  };
  for (const span of spans) {
    for (const origin of view.originOf(span.start, span.end)) replace(origin.field, { ...origin, type: span.type });
  }
  // A number split across fields the other way round: its first half at the
  // end of the description, its second half in the subject (or tags reversed).
  const reversed = onBox.reversed.filter((found) =>
    found.origins.some((origin) => !(replacements.get(origin.field) ?? []).some((known) => overlaps(known, origin))),
  );
  for (const found of reversed) for (const origin of found.origins) replace(origin.field, origin);
  const tags = (fields.tags ?? []).map((tag, index) =>
    replaceSpans(tag, replacements.get(index) ?? [], () => REDACTED_TAG_TEXT).toLowerCase(),
  );
  return {
    subject: replaceSpans(fields.subject, replacements.get('subject') ?? [], redactionMarker),
    description: replaceSpans(fields.description, replacements.get('description') ?? [], redactionMarker),
    tags: [...new Set(tags)],
    redactions: countByType([...spans, ...reversed]),
    spans,
  };
}

/**
 * A span holding nothing but stored redaction markers (and spacing or
 * punctuation around them) is a secret redacted before: text analyzed again
 * later ("password: [REDACTED:PASSWORD]") must not count it twice.
 */
const isRedactedAlready = (written: string): boolean =>
  written.includes(REDACTION_IN_VIEW) && /^[\s\p{P}]*$/u.test(written.replaceAll(REDACTION_IN_VIEW, ''));

/** A value found as a secret is redacted wherever else it stands, if it has at least this many characters. */
export const MIN_REPEATED_SECRET_LENGTH = 4;

/**
 * A card's code is a few digits, as years, house numbers and counts are: its
 * copies are redacted only where they stand alone as a code (standsAloneAsCode).
 */
const SHORT_CODE_TYPES: ReadonlySet<NeverStoredPiiType> = new Set(['PIN', 'CREDIT_DEBIT_CVV']);

/**
 * Every other occurrence in `text` of a value found as a secret ("my password
 * is Tr0ub4dor&3 … when I type Tr0ub4dor&3"): the same characters, a
 * password's in any case, standing as a whole (not inside a longer run of
 * letters and digits); a PIN's or a CVV's where it stands alone as a code,
 * not as a year, a house number or a count. One pass over the text for all values together
 * (Aho–Corasick), so a ticket full of secrets costs linear time.
 */
export function repeatedSecrets(text: string, spans: readonly SecretSpan[]): SecretSpan[] {
  const exact = new Map<string, NeverStoredPiiType>();
  const anyCase = new Map<string, NeverStoredPiiType>();
  for (const span of spans) {
    const written = text.slice(span.start, span.end);
    // A value joined across fields, or around a stored marker, is no one value to look for.
    if (/[\n\uFFFC]/.test(written)) continue;
    // A value may have taken its quotes, or the punctuation ending its sentence, with it.
    const bare = written.replace(/^["'`“”‘’«»]+|["'`“”‘’«»]+$/g, '').replace(/[.,;:)!?"'`“”‘’«»]+$/, '');
    for (const value of new Set([written, bare])) {
      if (value.length < MIN_REPEATED_SECRET_LENGTH) continue;
      if (span.type !== 'PASSWORD') exact.set(value, span.type);
      // A word taken for a password ("Password: sunshine") is not looked for again: every
      // "sunshine" in the ticket would go. A password with a digit or a symbol is.
      else if (/[^\p{L}]/u.test(value)) anyCase.set(lowerCaseUnits(value), span.type);
    }
  }
  const found: SecretSpan[] = [];
  if (exact.size > 0) found.push(...occurrences(text, text, exact));
  if (anyCase.size > 0) found.push(...occurrences(text, lowerCaseUnits(text), anyCase));
  return found.filter((span) => !SHORT_CODE_TYPES.has(span.type) || standsAloneAsCode(text, span.start, span.end));
}

/** Lower case, one UTF-16 unit for one, so positions stay where they were. */
function lowerCaseUnits(text: string): string {
  let folded = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charAt(index);
    const lower = unit.toLowerCase();
    folded += lower.length === 1 ? lower : unit;
  }
  return folded;
}

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
const isWordCharacter = (text: string, index: number): boolean =>
  index >= 0 && index < text.length && WORD_CHARACTER.test(text.charAt(index));

/** Where the values of `wanted` stand whole in `searched` (`text`, perhaps case-folded, unit for unit). */
function occurrences(text: string, searched: string, wanted: ReadonlyMap<string, NeverStoredPiiType>): SecretSpan[] {
  const automaton = new Automaton(wanted.keys());
  const found: SecretSpan[] = [];
  // Every value ending at `end` ends with the same character, so one look at the next one decides for all.
  const endsWhole = (end: number) => !isWordCharacter(text, end - 1) || !isWordCharacter(text, end);
  automaton.findAll(searched, endsWhole, (value, end) => {
    const type = wanted.get(value);
    const start = end - value.length;
    if (type === undefined || (isWordCharacter(value, 0) && isWordCharacter(text, start - 1))) return false;
    found.push({ type, start, end });
    return true;
  });
  return found;
}

/** A node of the automaton's trie: the units read from the root spell a prefix of some pattern. */
class TrieNode {
  readonly next = new Map<number, TrieNode>();
  /** The node of the longest proper suffix of this node's prefix that is in the trie (the root for none). */
  fail: TrieNode;
  /** The pattern that ends at this node, if any. */
  pattern: string | null = null;
  /** The nearest node down the failure links where a pattern ends, if any. */
  output: TrieNode | null = null;

  constructor(root?: TrieNode) {
    this.fail = root ?? this;
  }
}

/** Aho–Corasick over UTF-16 units: every occurrence of any of the patterns in one pass. */
class Automaton {
  readonly #root = new TrieNode();

  constructor(patterns: Iterable<string>) {
    const root = this.#root;
    for (const pattern of patterns) {
      let node = root;
      for (let unit = 0; unit < pattern.length; unit++) {
        const code = pattern.charCodeAt(unit);
        let child = node.next.get(code);
        if (child === undefined) {
          child = new TrieNode(root);
          node.next.set(code, child);
        }
        node = child;
      }
      node.pattern = pattern;
    }
    // Breadth first; iterating an array visits what is pushed onto it meanwhile.
    const queue = [...root.next.values()];
    for (const node of queue) {
      for (const [code, child] of node.next) {
        let fallback = node.fail;
        while (fallback !== root && !fallback.next.has(code)) fallback = fallback.fail;
        const target = fallback.next.get(code);
        const failed = target !== undefined && target !== child ? target : root;
        child.fail = failed;
        child.output = failed.pattern !== null ? failed : failed.output;
        queue.push(child);
      }
    }
  }

  /**
   * At each position where `endsHere(end)`, calls `found(pattern, end)` for
   * the patterns ending there, longest first, until it returns true (a longer
   * match covers the shorter ones).
   */
  findAll(text: string, endsHere: (end: number) => boolean, found: (pattern: string, end: number) => boolean): void {
    const root = this.#root;
    let node = root;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      while (node !== root && !node.next.has(code)) node = node.fail;
      node = node.next.get(code) ?? root;
      let match = node.pattern !== null ? node : node.output;
      if (match === null || !endsHere(index + 1)) continue;
      for (; match !== null; match = match.output) {
        if (match.pattern !== null && found(match.pattern, index + 1)) break;
      }
    }
  }
}

export const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/**
 * Secrets found only when the fields are read in the opposite order
 * (description, subject, last tag first), as spans of the original fields.
 */
function reversedSecrets(fields: TicketFields): ReversedSecret[] {
  const tags = fields.tags ?? [];
  if (tags.length === 0 && (fields.subject === '' || fields.description === '')) return [];
  const view = analysisView({ subject: fields.description, description: fields.subject, tags: [...tags].reverse() });
  const fieldInOriginal = (field: FieldName): FieldName =>
    field === 'subject' ? 'description' : field === 'description' ? 'subject' : tags.length - 1 - field;
  return detectSecrets(view.text, view.analyzedText.length)
    .map((span) => ({
      type: span.type,
      origins: view
        .originOf(span.start, span.end)
        .map((origin) => ({ ...origin, field: fieldInOriginal(origin.field), type: span.type })),
    }))
    .filter((found) => found.origins.length > 1);
}

/** A secret of the reversed reading, and the pieces of the original fields it stands in. */
export interface ReversedSecret {
  type: NeverStoredPiiType;
  origins: (FieldReplacement & { field: FieldName })[];
}

interface FieldReplacement {
  type: NeverStoredPiiType;
  start: number;
  end: number;
}

/** Replaces the (possibly overlapping) spans of one field, merging any that overlap. */
function replaceSpans(
  text: string,
  spans: readonly FieldReplacement[],
  replacement: (type: NeverStoredPiiType) => string,
): string {
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of resolveOverlaps(spans)) {
    out += text.slice(cursor, span.start) + replacement(span.type);
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

const typePrecedence = (type: NeverStoredPiiType): number => NEVER_STORED_PII_TYPES.indexOf(type);
const spanLength = (span: SecretSpan): number => span.end - span.start;

/**
 * Overlapping spans become one span covering all of them, so no digit of
 * either survives; it is named after its longest member (ties: precedence).
 * Returns sorted, disjoint spans.
 */
export function resolveOverlaps(spans: readonly SecretSpan[]): SecretSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const resolved: SecretSpan[] = [];
  let namer: SecretSpan | undefined;
  for (const span of sorted) {
    const current = resolved.at(-1);
    if (current === undefined || span.start >= current.end) {
      resolved.push({ ...span });
      namer = span;
      continue;
    }
    current.end = Math.max(current.end, span.end);
    if (namer === undefined || namesBetter(span, namer)) {
      namer = span;
      current.type = span.type;
    }
  }
  return resolved;
}

function namesBetter(candidate: SecretSpan, incumbent: SecretSpan): boolean {
  const lengthDifference = spanLength(candidate) - spanLength(incumbent);
  if (lengthDifference !== 0) return lengthDifference > 0;
  return typePrecedence(candidate.type) < typePrecedence(incumbent.type);
}

function countByType(spans: readonly { type: NeverStoredPiiType }[]): Redaction[] {
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.type, (counts.get(span.type) ?? 0) + 1);
  return [...counts]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
