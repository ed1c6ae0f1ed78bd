import type { Redaction } from '../domain/ticket.js';
import { analysisView, type AnalysisView, type FieldName, type TicketFields } from './analysis-view.js';
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
 * Redacts every must-never-store secret from the stored fields: whatever the
 * on-box detectors find in the view, plus `moreSpans` (Comprehend's findings,
 * in the same view's coordinates). Each span is replaced where it stands in
 * the original text, across field boundaries if a number was split between
 * subject and description.
 */
export function redactFields(
  fields: TicketFields,
  view: AnalysisView = analysisView(fields),
  moreSpans: readonly SecretSpan[] = [],
): RedactedFields {
  const spans = resolveOverlaps([...detectSecrets(view.text, view.analysedText.length), ...moreSpans]);
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
  const reversed = reversedSecrets(fields).filter((found) =>
    found.some((origin) => !(replacements.get(origin.field) ?? []).some((known) => overlaps(known, origin))),
  );
  for (const found of reversed) for (const origin of found) replace(origin.field, origin);
  const tags = (fields.tags ?? []).map((tag, index) =>
    replaceSpans(tag, replacements.get(index) ?? [], () => REDACTED_TAG_TEXT).toLowerCase(),
  );
  return {
    subject: replaceSpans(fields.subject, replacements.get('subject') ?? [], redactionMarker),
    description: replaceSpans(fields.description, replacements.get('description') ?? [], redactionMarker),
    tags: [...new Set(tags)],
    redactions: countByType([...spans, ...reversed.map((found) => found[0]!)]),
    spans,
  };
}

export const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/**
 * Secrets found only when the fields are read in the opposite order
 * (description, subject, last tag first), as spans of the original fields.
 */
function reversedSecrets(fields: TicketFields): (FieldReplacement & { field: FieldName })[][] {
  const tags = fields.tags ?? [];
  if (tags.length === 0 && (fields.subject === '' || fields.description === '')) return [];
  const view = analysisView({ subject: fields.description, description: fields.subject, tags: [...tags].reverse() });
  const fieldInOriginal = (field: FieldName): FieldName =>
    field === 'subject' ? 'description' : field === 'description' ? 'subject' : tags.length - 1 - field;
  return detectSecrets(view.text, view.analysedText.length)
    .map((span) =>
      view.originOf(span.start, span.end).map((origin) => ({ ...origin, field: fieldInOriginal(origin.field), type: span.type })),
    )
    .filter((found) => found.length > 1);
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

function countByType(spans: readonly SecretSpan[]): Redaction[] {
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.type, (counts.get(span.type) ?? 0) + 1);
  return [...counts]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
