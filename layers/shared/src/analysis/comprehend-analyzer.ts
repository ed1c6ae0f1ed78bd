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
import { errorNameOf } from '../error-name.js';
import { logger } from '../logger.js';
import {
  analysisOutcome,
  commentOutcome,
  readText,
  redactTags,
  secretKindsIn,
  type ComprehendFindings,
} from './analysis-outcome.js';
import { analysisView } from './analysis-view.js';
import { onBoxSecrets } from './redaction.js';
import { identifyLanguage } from './language-identifier.js';
import { mayContainSecrets } from './secret-detectors.js';
import type { AnalysisOutcome, CommentOutcome, TicketAnalyzer, TicketFields } from '../domain/ticket-analyzer.js';
import { truncateUtf8 } from './utf8.js';

/*
 * Comprehend bills 1 unit per 100 characters, at least 3 units a call, and
 * its calls are most of what a ticket costs. So each call gets only the text
 * that can change its answer, and calls that cannot change the outcome are
 * not made at all.
 */

/**
 * The opening of a ticket tells its language as well as the whole text would,
 * and 300 bytes (at most 300 characters) stay within the 3-unit minimum charge.
 * The box reads the same opening first (language-identifier.ts), and
 * Comprehend is asked only when the box cannot tell.
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

export const SENTIMENT_LANGUAGES: ReadonlySet<string> = new Set([
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'ar',
  'hi',
  'ja',
  'ko',
  'zh',
  'zh-TW',
]);
export const PII_LANGUAGES: ReadonlySet<string> = new Set(['en', 'es']);

/** Comprehend refuses the text itself: asking again later would get the same answer. */
export const REJECTED_TEXT_ERRORS: ReadonlySet<string> = new Set([
  'TextSizeLimitExceededException',
  'InvalidRequestException',
  'UnsupportedLanguageException',
]);

export type Failure = 'retryable' | 'rejected';
export type CallResult<T> = { ok: true; value: T } | { ok: false; failure: Failure };

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

  /** `fields` hold the customer's words as they will be kept. Never throws for a Comprehend failure. */
  async analyze(fields: TicketFields): Promise<AnalysisOutcome> {
    const view = analysisView(fields);
    const deadline = new AbortController();
    const findings = this.askComprehend(view.analyzedText, deadline.signal);
    // What needs the text alone is read while Comprehend works on it.
    await untilSent();
    const reading = readText(fields, view);
    return analysisOutcome(fields, view, await this.answeredWithin(findings, deadline), reading);
  }

  /** Key phrases are not asked for: a comment keeps none, so the call could not change the outcome. */
  async analyzeComment(body: string): Promise<CommentOutcome> {
    const fields = { subject: '', description: body };
    const view = analysisView(fields);
    const deadline = new AbortController();
    const findings = this.askComprehend(view.analyzedText, deadline.signal, { keyPhrases: false });
    await untilSent();
    const secrets = onBoxSecrets(fields, view);
    return commentOutcome(fields, view, await this.answeredWithin(findings, deadline), secrets);
  }

  redactTags(text: Pick<TicketFields, 'subject' | 'description'>, tags: readonly string[]): Promise<string[]> {
    return Promise.resolve(redactTags(text, tags));
  }

  secretKindsIn(identifier: string): Promise<string[]> {
    return Promise.resolve(secretKindsIn(identifier));
  }

  /**
   * Comprehend's findings, the calls cut off `deadlineMs` from now: the
   * deadline bounds the wait for Comprehend, not the on-box reading done
   * while the calls were in flight (on a cold start that loads the rules).
   */
  private async answeredWithin(findings: Promise<ComprehendFindings>, deadline: AbortController) {
    const timer = setTimeout(() => {
      deadline.abort(new DOMException('The analysis deadline passed.', 'TimeoutError'));
    }, this.deadlineMs);
    try {
      return await findings;
    } finally {
      clearTimeout(timer);
    }
  }

  private async askComprehend(
    text: string,
    signal: AbortSignal,
    ask = { keyPhrases: true },
  ): Promise<ComprehendFindings> {
    const options = { abortSignal: signal };
    const known = languageOnBox(text);
    const detected: CallResult<string | null> =
      known !== null ? { ok: true, value: known } : await this.detectLanguage(text, signal);
    if (!detected.ok) return findingsFrom({ language: detected });

    const language = detected.value;
    if (language === null || !SENTIMENT_LANGUAGES.has(language))
      return findingsFrom({ language: { ok: true, value: language } });

    const request = { LanguageCode: language as LanguageCode };
    const opening = truncateUtf8(text, OPENING_BYTES);
    const piiText = truncateUtf8(text, PII_TEXT_MAX_BYTES);
    const [sentiment, keyPhrases, pii] = await Promise.all([
      settle('DetectSentiment', signal, () =>
        this.client.send(new DetectSentimentCommand({ ...request, Text: opening }), options),
      ),
      ask.keyPhrases
        ? settle('DetectKeyPhrases', signal, () =>
            this.client.send(new DetectKeyPhrasesCommand({ ...request, Text: opening }), options),
          )
        : skipped({ KeyPhrases: [] as KeyPhrase[] }),
      PII_LANGUAGES.has(language) && mayContainSecrets(piiText)
        ? settle('DetectPiiEntities', signal, () =>
            this.client.send(new DetectPiiEntitiesCommand({ ...request, Text: piiText }), options),
          )
        : skipped({ Entities: [] as PiiEntity[] }),
    ]);
    return findingsFrom({ language: { ok: true, value: language }, sentiment, keyPhrases, pii });
  }

  private async detectLanguage(text: string, signal: AbortSignal): Promise<CallResult<string | null>> {
    const detected = await settle('DetectDominantLanguage', signal, () =>
      this.client.send(new DetectDominantLanguageCommand({ Text: truncateUtf8(text, LANGUAGE_SAMPLE_BYTES) }), {
        abortSignal: signal,
      }),
    );
    return detected.ok ? { ok: true, value: dominantLanguage(detected.value.Languages ?? []) } : detected;
  }
}

/**
 * The language of `text` where the box can tell it for free from the opening
 * Comprehend would be sent, or null: Comprehend is asked. Both the create-time
 * analyzer and the stream's batch completion ask this first, so a ticket is
 * sent the same calls either way.
 */
export function languageOnBox(text: string): string | null {
  const language = identifyLanguage(truncateUtf8(text, LANGUAGE_SAMPLE_BYTES));
  // The language decides whether Comprehend looks for PII: where the text may hold a secret, a language
  // that would skip that search is not taken from the box, Comprehend tells it.
  if (language !== null && !PII_LANGUAGES.has(language) && mayContainSecrets(truncateUtf8(text, PII_TEXT_MAX_BYTES)))
    return null;
  return language;
}

/**
 * Settles once the event loop has turned: a call sent before is then written
 * to its socket (the SDK prepares a request over several promise steps), so
 * that work done next overlaps with the service's, instead of delaying the
 * request until that work is done.
 */
function untilSent(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve);
  });
}

/** Runs one call, bounded by the analysis deadline; reports failure instead of throwing. */
async function settle<T>(operation: string, signal: AbortSignal, call: () => Promise<T>): Promise<CallResult<T>> {
  try {
    return { ok: true, value: await untilAborted(call(), signal) };
  } catch (error) {
    const errorName = errorNameOf(error);
    // The error name only: messages may quote the customer's text.
    logger.warn('Comprehend call failed; analysis continues with local rules', { operation, errorName });
    return { ok: false, failure: REJECTED_TEXT_ERRORS.has(errorName) ? 'rejected' : 'retryable' };
  }
}

/**
 * The SDK honors the abort signal, but a request handler that ignores it (or
 * a mock) must not hold the ticket past its deadline either.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Why the deadline's signal fired: AbortSignal.timeout's TimeoutError. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The analysis deadline passed.');
}

function skipped<T>(value: T): Promise<CallResult<T>> {
  return Promise.resolve({ ok: true, value });
}

/** Comprehend's answers for one text, each as its call ended. */
export interface ComprehendAnswers {
  /** The dominant language's code (null: undetermined), or how detecting it failed. */
  language: CallResult<string | null>;
  /** Absent: not answered. */
  sentiment?: CallResult<Pick<DetectSentimentResponse, 'Sentiment' | 'SentimentScore'>>;
  /** Absent: not answered. */
  keyPhrases?: CallResult<{ KeyPhrases?: KeyPhrase[] }>;
  /** Absent: not asked, because it could not change the outcome. */
  pii?: CallResult<{ Entities?: PiiEntity[] }>;
}

const NOT_ANSWERED: CallResult<never> = { ok: false, failure: 'retryable' };
const NOT_ASKED: CallResult<{ Entities?: PiiEntity[] }> = { ok: true, value: { Entities: [] } };

/**
 * What Comprehend's answers for one text amount to: the one decision behind
 * both the create-time analyzer and the stream's batch completion, so a ticket
 * completed later is decided as it would have been at create time.
 */
export function findingsFrom({
  language,
  sentiment = NOT_ANSWERED,
  keyPhrases = NOT_ANSWERED,
  pii = NOT_ASKED,
}: ComprehendAnswers): ComprehendFindings {
  if (!language.ok) return withoutComprehend(statusAfter([language]), null);
  const code = language.value;
  // Undetermined or unsupported: nothing more Comprehend can do, and that is not a failure.
  if (code === null || !SENTIMENT_LANGUAGES.has(code)) return withoutComprehend('complete', code);

  // Whatever PII Comprehend did find is redacted even if another call failed: more redaction is never wrong.
  const piiEntities = pii.ok ? (pii.value.Entities ?? []) : [];
  const status = statusAfter([sentiment, keyPhrases, pii]);
  if (!sentiment.ok || !keyPhrases.ok || status !== 'complete') {
    return { ...withoutComprehend(status, code), piiEntities };
  }
  return {
    status,
    language: code,
    sentiment: sentimentResult(sentiment.value),
    keyPhrases: keyPhrases.value.KeyPhrases ?? [],
    piiEntities,
  };
}

/** A rejected text stays rejected, so `failed` wins over `pending`: a retry would only pay again. */
export function statusAfter(results: readonly CallResult<unknown>[]): AnalysisStatus {
  const failures = results.flatMap((result) => (result.ok ? [] : [result.failure]));
  if (failures.includes('rejected')) return 'failed';
  return failures.length > 0 ? 'pending' : 'complete';
}

/** After a failure, sentiment and key phrases are left out, so priority and category come from local rules alone. */
export function withoutComprehend(status: AnalysisStatus, language: string | null): ComprehendFindings {
  return { status, language, sentiment: null, keyPhrases: [], piiEntities: [] };
}

export function dominantLanguage(languages: readonly DominantLanguage[]): string | null {
  const best = [...languages].sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))[0];
  const code = best?.LanguageCode;
  return code === undefined || code === '' || code === 'und' ? null : code;
}

const isSentimentLabel = (label: string | undefined): label is SentimentLabel =>
  (SENTIMENT_LABELS as readonly (string | undefined)[]).includes(label);

export function sentimentResult({ Sentiment, SentimentScore }: DetectSentimentResponse): SentimentResult | null {
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
