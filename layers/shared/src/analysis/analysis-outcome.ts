import type { KeyPhrase, PiiEntity } from '@aws-sdk/client-comprehend';
import type { AnalysisStatus, SentimentResult, TriageSignal } from '../domain/ticket.js';
import type { AnalysisOutcome, CommentOutcome, TicketFields } from '../domain/ticket-analyzer.js';
import { REDACTION_IN_VIEW, type AnalysisView } from './analysis-view.js';
import { onBoxSecrets, overlaps, redactFields, type OnBoxSecrets } from './redaction.js';
import { detectSecrets, NEVER_STORED_PII_TYPES, type NeverStoredPiiType, type SecretSpan } from './secret-detectors.js';
import type { MatchedSignal } from './text-patterns.js';
import { readForTriage, triageWith, type TriageReading } from './triage.js';
import { codePointToUtf16Index } from './utf8.js';

// The tag rules are in their own module, which loads neither Comprehend nor triage: updates load them alone.
export { redactTags, secretKindsIn } from './tag-redaction.js';

export const MAX_KEY_PHRASES = 20;

/**
 * What Comprehend said about a ticket's `view.analyzedText` (or a prefix of
 * it), offsets in code points as Comprehend reports them. After a failure,
 * or for a language Comprehend does not support, sentiment and key phrases
 * are absent and priority and category come from the text alone.
 */
export interface ComprehendFindings {
  status: AnalysisStatus;
  language: string | null;
  sentiment: SentimentResult | null;
  keyPhrases: KeyPhrase[];
  piiEntities: PiiEntity[];
}

/**
 * What analysis reads in a ticket's text alone, before Comprehend answers:
 * the secrets the on-box detectors find and triage's reading. It is most of
 * the work of analysis, so the create-time analyzer does it while its
 * Comprehend calls are in flight; the outcome is the same whenever it is done.
 */
export interface TextReading {
  readonly secrets: OnBoxSecrets;
  readonly triage: TriageReading;
  /** Which phrases hold a secret of their own: those of the signals triage is likely to show, checked already. */
  readonly phrases: PhraseSecrets;
}

export function readText(fields: TicketFields, view: AnalysisView): TextReading {
  const triage = readForTriage(view.analyzedText);
  const phrases = new PhraseSecrets();
  // The signals shown unless tone or an unread language changes the priority (see triageWith).
  const { features, priority, category } = triage;
  for (const signal of [
    ...features.urgency.signals,
    ...priority.reasons,
    ...features.categorization.evidence[category.label],
    ...category.reasons,
  ]) {
    phrases.holdSecret(signal.phrase);
  }
  return { secrets: onBoxSecrets(fields, view), triage, phrases };
}

/** Whether a phrase holds a secret of its own (detectSecrets), each phrase checked once. */
export class PhraseSecrets {
  readonly #checked = new Map<string, boolean>();

  holdSecret(phrase: string): boolean {
    let holds = this.#checked.get(phrase);
    if (holds === undefined) {
      holds = detectSecrets(phrase).length > 0;
      this.#checked.set(phrase, holds);
    }
    return holds;
  }
}

/**
 * Everything analysis decides about a ticket, from its fields and what
 * Comprehend found in their view: the texts to store (with every secret
 * redacted), priority, category and the analysis record. Pure, so a ticket
 * analyzed at create time and one completed later from the stream are
 * decided by the same rules. `reading` is `readText(fields, view)`, done
 * beforehand or here.
 */
export function analysisOutcome(
  fields: TicketFields,
  view: AnalysisView,
  findings: ComprehendFindings,
  reading: TextReading = readText(fields, view),
): AnalysisOutcome {
  const text = view.analyzedText;
  const redacted = redactFields(fields, view, comprehendSecretSpans(text, findings.piiEntities), reading.secrets);
  const keyPhrases = storableKeyPhrases(text, findings.keyPhrases, redacted.spans, reading.phrases);
  // Triage reads the unredacted view: "[REDACTED:PASSWORD]" must not count as the word "password".
  const triaged = triageWith(reading.triage, findings.sentiment, findings.language);
  return {
    subject: redacted.subject,
    description: redacted.description,
    tags: redacted.tags,
    priority: triaged.priority,
    category: triaged.category,
    analysis: {
      status: findings.status,
      language: findings.language,
      sentiment: findings.sentiment,
      keyPhrases,
      urgent: triaged.urgent,
      redactions: redacted.redactions,
      signals: {
        priority: storableSignals(triaged.signals.priority, redacted.spans, reading.phrases),
        category: storableSignals(triaged.signals.category, redacted.spans, reading.phrases),
      },
    },
  };
}

/**
 * A comment's body is read as a description without a subject: the same
 * view, the same on-box detectors and the same use of Comprehend's PII
 * findings. A comment has no triage, so only language, sentiment and the
 * redactions are kept.
 */
export function commentOutcome(
  fields: TicketFields,
  view: AnalysisView,
  findings: ComprehendFindings,
  secrets: OnBoxSecrets = onBoxSecrets(fields, view),
): CommentOutcome {
  const redacted = redactFields(fields, view, comprehendSecretSpans(view.analyzedText, findings.piiEntities), secrets);
  return {
    body: redacted.description,
    analysis: {
      status: findings.status,
      language: findings.language,
      sentiment: findings.sentiment,
      redactions: redacted.redactions,
    },
  };
}

const NEVER_STORED = new Set<string>(NEVER_STORED_PII_TYPES);

const isNeverStoredType = (type: string | undefined): type is NeverStoredPiiType =>
  type !== undefined && NEVER_STORED.has(type);

/**
 * The must-never-store entities among DetectPiiEntities' answer for `text` (or
 * a prefix of it), with Comprehend's code-point offsets turned into UTF-16
 * indices: an emoji before a card number would otherwise shift the span.
 */
export function comprehendSecretSpans(text: string, entities: readonly PiiEntity[]): SecretSpan[] {
  const toUtf16 = codePointToUtf16Index(text);
  const spans: SecretSpan[] = [];
  for (const { Type, BeginOffset, EndOffset } of entities) {
    if (!isNeverStoredType(Type) || BeginOffset === undefined || EndOffset === undefined) continue;
    const start = toUtf16(BeginOffset);
    const end = toUtf16(EndOffset);
    if (end > start) spans.push({ type: Type, start, end });
  }
  return spans;
}

/**
 * Key phrases worth storing: none that touches a redacted span (a phrase like
 * "card 4111 1111 1111 1111" would put the number back) or holds a secret of
 * its own, deduplicated case-insensitively, at most MAX_KEY_PHRASES, in the
 * order Comprehend gave.
 */
function storableKeyPhrases(
  text: string,
  phrases: readonly KeyPhrase[],
  redacted: readonly SecretSpan[],
  secrets: PhraseSecrets,
): string[] {
  const toUtf16 = codePointToUtf16Index(text);
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const phrase of phrases) {
    const words = phrase.Text?.trim();
    if (!words || secrets.holdSecret(words)) continue;
    const located =
      phrase.BeginOffset !== undefined && phrase.EndOffset !== undefined
        ? { start: toUtf16(phrase.BeginOffset), end: toUtf16(phrase.EndOffset) }
        : null;
    // Without offsets, fall back to looking for the redacted text inside the phrase.
    const touches = located
      ? redacted.some((span) => overlaps(span, located))
      : redacted.some((span) => words.includes(text.slice(span.start, span.end)));
    if (touches) continue;
    const key = words.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(words);
    if (kept.length === MAX_KEY_PHRASES) break;
  }
  return kept;
}

/** Signals are stored as kind and phrase; one that overlaps a redacted span would put the secret back. */
function storableSignals(
  signals: readonly MatchedSignal[],
  redacted: readonly SecretSpan[],
  secrets: PhraseSecrets,
): TriageSignal[] {
  return signals
    .filter(
      (signal) =>
        !redacted.some((span) => overlaps(span, signal)) &&
        // A stored redaction marker reads as one opaque character in the view: not a phrase to show.
        !signal.phrase.includes(REDACTION_IN_VIEW) &&
        !secrets.holdSecret(signal.phrase),
    )
    .map(({ kind, phrase }) => ({ kind, phrase }));
}
