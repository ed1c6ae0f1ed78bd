import {
  type ComprehendClient,
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  type DetectSentimentResponse,
  type DominantLanguage,
  type KeyPhrase,
  type LanguageCode,
  type PiiEntity,
} from '@aws-sdk/client-comprehend';
import { SENTIMENT_LABELS, type AnalysisStatus, type SentimentLabel, type SentimentResult } from '../domain/ticket.js';
import { logger } from '../logger.js';
import {
  comprehendPiiSpans,
  detectLocalPii,
  joinAnalysisText,
  mayContainSecrets,
  redactTicketText,
  type PiiSpan,
} from './pii-redaction.js';
import type { AnalysisOutcome, TicketAnalyzer, TicketText } from './ticket-analyzer.js';
import { triage, type MatchedSignal } from './triage.js';
import { codePointToUtf16Index, truncateUtf8 } from './utf8.js';

/*
 * Comprehend bills 1 unit per 100 characters, at least 3 units a call, and
 * its calls are most of what a ticket costs. So each call gets only the text
 * that can change its answer, and calls that cannot change the outcome are
 * not made at all.
 */

/**
 * The opening of a ticket tells its language as well as the whole text would,
 * and 300 bytes (at most 300 characters) stay within the 3-unit minimum charge.
 */
export const LANGUAGE_SAMPLE_BYTES = 300;
/**
 * DetectSentiment's own limit. Key phrases get the same opening although they
 * accept 100 KB: the topic of a ticket is stated in its subject and first
 * paragraphs, and the rest would only multiply the bill.
 */
export const OPENING_BYTES = 5_000;
/** DetectPiiEntities' limit; PII must be searched for in the whole text, wherever it is. */
export const PII_TEXT_MAX_BYTES = 100_000;
export const MAX_KEY_PHRASES = 20;

export const SENTIMENT_LANGUAGES: ReadonlySet<string> = new Set([
  'en', 'es', 'fr', 'de', 'it', 'pt', 'ar', 'hi', 'ja', 'ko', 'zh', 'zh-TW',
]);
export const PII_LANGUAGES: ReadonlySet<string> = new Set(['en', 'es']);

/** Comprehend refuses the text itself: asking again later would get the same answer. */
const REJECTED_TEXT_ERRORS = new Set([
  'TextSizeLimitExceededException',
  'InvalidRequestException',
  'UnsupportedLanguageException',
]);

type Failure = 'retryable' | 'rejected';
type CallResult<T> = { ok: true; value: T } | { ok: false; failure: Failure };

interface ComprehendFindings {
  status: AnalysisStatus;
  language: string | null;
  sentiment: SentimentResult | null;
  keyPhrases: KeyPhrase[];
  piiEntities: PiiEntity[];
}

export interface ComprehendAnalyzerOptions {
  client: ComprehendClient;
  /** Budget for all Comprehend calls of one ticket together. */
  deadlineMs: number;
}

export class ComprehendAnalyzer implements TicketAnalyzer {
  private readonly client: ComprehendClient;
  private readonly deadlineMs: number;

  constructor({ client, deadlineMs }: ComprehendAnalyzerOptions) {
    this.client = client;
    this.deadlineMs = deadlineMs;
  }

  /** `input` is already sanitised. Never throws for a Comprehend failure. */
  async analyze(input: TicketText): Promise<AnalysisOutcome> {
    const text = joinAnalysisText(input);
    const findings = await this.askComprehend(text);
    // Local detectors always run: they are free and still work when Comprehend is down.
    const piiSpans = [...detectLocalPii(text), ...comprehendPiiSpans(text, findings.piiEntities)];
    const redacted = redactTicketText(input, piiSpans);
    const keyPhrases = storableKeyPhrases(text, findings.keyPhrases, redacted.spans);
    // Priority and category read the unredacted text: "[REDACTED:PASSWORD]" must not count as the word "password".
    const triaged = triage(text, findings.sentiment, keyPhrases);
    return {
      subject: redacted.subject,
      description: redacted.description,
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
          priority: storableSignals(triaged.signals.priority, redacted.spans),
          category: storableSignals(triaged.signals.category, redacted.spans),
        },
      },
    };
  }

  private async askComprehend(text: string): Promise<ComprehendFindings> {
    const signal = AbortSignal.timeout(this.deadlineMs);
    const options = { abortSignal: signal };
    const detected = await settle('DetectDominantLanguage', signal, () =>
      this.client.send(new DetectDominantLanguageCommand({ Text: truncateUtf8(text, LANGUAGE_SAMPLE_BYTES) }), options),
    );
    if (!detected.ok) return withoutComprehend(statusAfter([detected]), null);

    const language = dominantLanguage(detected.value.Languages ?? []);
    // Undetermined or unsupported: nothing more Comprehend can do, and that is not a failure.
    if (language === null || !SENTIMENT_LANGUAGES.has(language)) return withoutComprehend('complete', language);

    const request = { LanguageCode: language as LanguageCode };
    const opening = truncateUtf8(text, OPENING_BYTES);
    const piiText = truncateUtf8(text, PII_TEXT_MAX_BYTES);
    const [sentiment, keyPhrases, pii] = await Promise.all([
      settle('DetectSentiment', signal, () =>
        this.client.send(new DetectSentimentCommand({ ...request, Text: opening }), options),
      ),
      settle('DetectKeyPhrases', signal, () =>
        this.client.send(new DetectKeyPhrasesCommand({ ...request, Text: opening }), options),
      ),
      PII_LANGUAGES.has(language) && mayContainSecrets(piiText)
        ? settle('DetectPiiEntities', signal, () =>
            this.client.send(new DetectPiiEntitiesCommand({ ...request, Text: piiText }), options),
          )
        : skipped({ Entities: [] as PiiEntity[] }),
    ]);

    // Whatever PII Comprehend did find is redacted even if another call failed: more redaction is never wrong.
    const piiEntities = pii.ok ? (pii.value.Entities ?? []) : [];
    const status = statusAfter([sentiment, keyPhrases, pii]);
    if (!sentiment.ok || !keyPhrases.ok || status !== 'complete') {
      return { ...withoutComprehend(status, language), piiEntities };
    }
    return {
      status,
      language,
      sentiment: sentimentResult(sentiment.value),
      keyPhrases: keyPhrases.value.KeyPhrases ?? [],
      piiEntities,
    };
  }
}

/** Runs one call, bounded by the analysis deadline; reports failure instead of throwing. */
async function settle<T>(operation: string, signal: AbortSignal, call: () => Promise<T>): Promise<CallResult<T>> {
  try {
    return { ok: true, value: await untilAborted(call(), signal) };
  } catch (error) {
    const errorName = nameOf(error);
    // The error name only: messages may quote the customer's text.
    logger.warn('Comprehend call failed; analysis continues with local rules', { operation, errorName });
    return { ok: false, failure: REJECTED_TEXT_ERRORS.has(errorName) ? 'rejected' : 'retryable' };
  }
}

/**
 * The SDK honours the abort signal, but a request handler that ignores it (or
 * a mock) must not hold the ticket past its deadline either.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function skipped<T>(value: T): Promise<CallResult<T>> {
  return Promise.resolve({ ok: true, value });
}

function nameOf(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : 'UnknownError';
}

/** A rejected text stays rejected, so `failed` wins over `pending`: a retry would only pay again. */
function statusAfter(results: readonly CallResult<unknown>[]): AnalysisStatus {
  const failures = results.flatMap((result) => (result.ok ? [] : [result.failure]));
  if (failures.includes('rejected')) return 'failed';
  return failures.length > 0 ? 'pending' : 'complete';
}

/** After a failure, sentiment and key phrases are left out, so priority and category come from local rules alone. */
function withoutComprehend(status: AnalysisStatus, language: string | null): ComprehendFindings {
  return { status, language, sentiment: null, keyPhrases: [], piiEntities: [] };
}

function dominantLanguage(languages: readonly DominantLanguage[]): string | null {
  const best = [...languages].sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))[0];
  const code = best?.LanguageCode;
  return code === undefined || code === '' || code === 'und' ? null : code;
}

const isSentimentLabel = (label: string | undefined): label is SentimentLabel =>
  (SENTIMENT_LABELS as readonly (string | undefined)[]).includes(label);

function sentimentResult({ Sentiment, SentimentScore }: DetectSentimentResponse): SentimentResult | null {
  if (!isSentimentLabel(Sentiment)) return null;
  return {
    label: Sentiment,
    scores: {
      positive: SentimentScore?.Positive ?? 0,
      negative: SentimentScore?.Negative ?? 0,
      neutral: SentimentScore?.Neutral ?? 0,
      mixed: SentimentScore?.Mixed ?? 0,
    },
  };
}

/**
 * Key phrases worth storing: none that touches a redacted span (a phrase like
 * "card 4111 1111 1111 1111" would put the number back), deduplicated
 * case-insensitively, at most MAX_KEY_PHRASES, in the order Comprehend gave.
 */
function storableKeyPhrases(text: string, phrases: readonly KeyPhrase[], redacted: readonly PiiSpan[]): string[] {
  const toUtf16 = codePointToUtf16Index(text);
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const phrase of phrases) {
    const words = phrase.Text?.trim();
    if (!words || touchesRedaction(phrase, words, text, redacted, toUtf16)) continue;
    const key = words.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(words);
    if (kept.length === MAX_KEY_PHRASES) break;
  }
  return kept;
}

/** Signals are stored as kind and phrase; one that overlaps a redacted span would put the secret back. */
function storableSignals(signals: readonly MatchedSignal[], redacted: readonly PiiSpan[]): { kind: string; phrase: string }[] {
  return signals
    .filter((signal) => !redacted.some((span) => span.start < signal.end && signal.start < span.end))
    .map(({ kind, phrase }) => ({ kind, phrase }));
}

function touchesRedaction(
  phrase: KeyPhrase,
  words: string,
  text: string,
  redacted: readonly PiiSpan[],
  toUtf16: (codePointOffset: number) => number,
): boolean {
  if (phrase.BeginOffset === undefined || phrase.EndOffset === undefined) {
    // Without offsets, fall back to looking for the redacted text inside the phrase.
    return redacted.some((span) => words.includes(text.slice(span.start, span.end)));
  }
  const start = toUtf16(phrase.BeginOffset);
  const end = toUtf16(phrase.EndOffset);
  return redacted.some((span) => span.start < end && start < span.end);
}
