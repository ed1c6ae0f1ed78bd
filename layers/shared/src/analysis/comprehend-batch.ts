import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  DetectPiiEntitiesCommand,
  type BatchItemError,
  type ComprehendClient,
  type LanguageCode,
} from '@aws-sdk/client-comprehend';
import { errorNameOf } from '../error-name.js';
import { logger } from '../logger.js';
import type { ComprehendFindings } from './analysis-outcome.js';
import {
  dominantLanguage,
  findingsFrom,
  LANGUAGE_SAMPLE_BYTES,
  languageOnBox,
  OPENING_BYTES,
  PII_LANGUAGES,
  PII_TEXT_MAX_BYTES,
  REJECTED_TEXT_ERRORS,
  SENTIMENT_LANGUAGES,
  type CallResult,
  type ComprehendAnswers,
  type Failure,
} from './comprehend-analyzer.js';
import { mayContainSecrets } from './secret-detectors.js';
import { truncateUtf8 } from './utf8.js';

/*
 * Comprehend for many tickets at once: the language, sentiment and key-phrase
 * calls go in Comprehend's batch operations (up to 25 documents a call, one
 * language a call), PII per document because DetectPiiEntities has no batch
 * form. Each document gets exactly the calls and the text the create-time
 * analyzer would send (comprehend-analyzer.ts; a language the box tells is not
 * asked for), so a ticket completed later is decided as it would have been at
 * create time.
 */

/** Comprehend's batch operations take at most 25 documents. */
export const MAX_BATCH_DOCUMENTS = 25;

/** Throttling, server errors and timeouts clear up; a retry after a pause may succeed. */
const RETRYABLE_ERRORS = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServerException',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

/**
 * Per-document errors in a batch answer carry a code string of their own
 * (BatchItemError.ErrorCode); the text-level ones mean the document itself
 * was refused.
 */
const REJECTED_DOCUMENT_CODES =
  /TEXT_SIZE_LIMIT|INVALID_REQUEST|UNSUPPORTED_LANGUAGE|TextSizeLimitExceeded|InvalidRequest|UnsupportedLanguage/i;

export interface RetryPolicy {
  /** Attempts of one call in all, the first included. */
  maxAttempts: number;
  /** The first pause; each next one may be twice as long, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 3_000 };

export interface ComprehendBatchOptions {
  client: ComprehendClient;
  retry?: RetryPolicy;
  /** Injected in tests; a timer otherwise. */
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); Math.random otherwise. */
  random?: () => number;
}

/** A text to analyze, and whether its key phrases are wanted (a ticket's are; a comment's are not). */
export interface FindingsRequest {
  text: string;
  keyPhrases: boolean;
}

/** One text and Comprehend's answers for it, filled in as the calls end. */
interface DocumentState extends ComprehendAnswers {
  text: string;
  /** Its language was told on the box. */
  known: boolean;
}

export class ComprehendBatchAnalyzer {
  readonly #client: ComprehendClient;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor({ client, retry = DEFAULT_RETRY_POLICY, sleep = pause, random = Math.random }: ComprehendBatchOptions) {
    this.#client = client;
    this.#retry = retry;
    this.#sleep = sleep;
    this.#random = random;
  }

  /**
   * What Comprehend finds in each text (an `analyzedText` of a ticket's or a
   * comment's view), in the order given. Never throws for a Comprehend failure: a document
   * whose calls still fail after the retries has status `pending`, one that
   * Comprehend refused has status `failed`.
   */
  async findings(requests: readonly FindingsRequest[]): Promise<ComprehendFindings[]> {
    const documents: DocumentState[] = requests.map(({ text, keyPhrases }) => {
      // Told on the box where it can be, as at create time: only the others are sent.
      const known = languageOnBox(text);
      return {
        text,
        known: known !== null,
        language: known !== null ? { ok: true, value: known } : { ok: false, failure: 'retryable' },
        // Not asked where nothing reads them (a comment): the call could not change the outcome.
        ...(!keyPhrases && { keyPhrases: { ok: true, value: { KeyPhrases: [] } } }),
      };
    });

    await this.#inBatches(
      'BatchDetectDominantLanguage',
      documents.filter((document) => !document.known),
      LANGUAGE_SAMPLE_BYTES,
      (TextList) => this.#client.send(new BatchDetectDominantLanguageCommand({ TextList })),
      (document, result) => {
        document.language = result.ok ? { ok: true, value: dominantLanguage(result.value.Languages ?? []) } : result;
      },
    );

    const byLanguage = new Map<string, DocumentState[]>();
    for (const document of documents) {
      const language = document.language.ok ? document.language.value : null;
      if (language === null || !SENTIMENT_LANGUAGES.has(language)) continue;
      byLanguage.set(language, [...(byLanguage.get(language) ?? []), document]);
    }
    await Promise.all(
      [...byLanguage].flatMap(([language, group]) => {
        const LanguageCode = language as LanguageCode;
        return [
          this.#inBatches(
            'BatchDetectSentiment',
            group,
            OPENING_BYTES,
            (TextList) => this.#client.send(new BatchDetectSentimentCommand({ LanguageCode, TextList })),
            (document, result) => {
              document.sentiment = result;
            },
          ),
          this.#inBatches(
            'BatchDetectKeyPhrases',
            group.filter((document) => document.keyPhrases === undefined),
            OPENING_BYTES,
            (TextList) => this.#client.send(new BatchDetectKeyPhrasesCommand({ LanguageCode, TextList })),
            (document, result) => {
              document.keyPhrases = result;
            },
          ),
          ...group.map((document) => this.#detectPii(language, document)),
        ];
      }),
    );
    return documents.map(findingsFrom);
  }

  /**
   * One of Comprehend's batch operations over `documents`, 25 a call, each
   * document sending its first `sampleBytes`; `assign` stores each
   * document's own result. A call Comprehend refuses as a whole may have been
   * refused for one document alone, so its documents are asked for one at a
   * time: only a document refused on its own is `failed`.
   */
  async #inBatches<Item extends { Index?: number }>(
    operation: string,
    documents: readonly DocumentState[],
    sampleBytes: number,
    send: (texts: string[]) => Promise<BatchOutput<Item>>,
    assign: (document: DocumentState, result: CallResult<Item>) => void,
  ): Promise<void> {
    for (const chunk of chunks(documents, MAX_BATCH_DOCUMENTS)) {
      const answer = await this.#call(operation, () =>
        send(chunk.map((document) => truncateUtf8(document.text, sampleBytes))),
      );
      if (!answer.ok && answer.failure === 'rejected' && chunk.length > 1) {
        await Promise.all(chunk.map((document) => this.#inBatches(operation, [document], sampleBytes, send, assign)));
      } else {
        assignResults(chunk, answer, operation, assign);
      }
    }
  }

  /** Only where it can change the outcome: a PII language, and a text that could hold a secret at all. */
  async #detectPii(language: string, document: DocumentState): Promise<void> {
    const text = truncateUtf8(document.text, PII_TEXT_MAX_BYTES);
    if (!PII_LANGUAGES.has(language) || !mayContainSecrets(text)) return;
    const answer = await this.#call('DetectPiiEntities', () =>
      this.#client.send(new DetectPiiEntitiesCommand({ LanguageCode: language as LanguageCode, Text: text })),
    );
    document.pii = answer;
  }

  /**
   * One call with retries: throttling and server-side failures are retried
   * after an exponentially growing pause with full jitter (so many functions
   * backing off at once do not come back in step); anything else is final.
   */
  async #call<T>(operation: string, send: () => Promise<T>): Promise<CallResult<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await send() };
      } catch (error) {
        const errorName = errorNameOf(error);
        const failure: Failure = REJECTED_TEXT_ERRORS.has(errorName) ? 'rejected' : 'retryable';
        const retryable = failure === 'retryable' && isRetryable(error, errorName);
        if (!retryable || attempt >= this.#retry.maxAttempts) {
          // The error name only: messages may quote the customer's text.
          logger.warn('Comprehend call failed', { operation, errorName, attempts: attempt });
          return { ok: false, failure };
        }
        const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
        await this.#sleep(Math.floor(this.#random() * ceiling));
      }
    }
  }
}

/** What every batch operation answers: a result or an error per document, by its index in the call. */
interface BatchOutput<Item> {
  ResultList?: Item[];
  ErrorList?: BatchItemError[];
}

/**
 * Gives each document of a batch call its own result: its item of ResultList,
 * its item of ErrorList, or the whole call's failure. A document the answer
 * does not mention at all is treated as a retryable failure, and so is every
 * document of an answer without a body.
 */
function assignResults<Item extends { Index?: number }>(
  chunk: readonly DocumentState[],
  answer: CallResult<BatchOutput<Item> | undefined>,
  operation: string,
  assign: (document: DocumentState, result: CallResult<Item>) => void,
): void {
  if (!answer.ok) {
    for (const document of chunk) assign(document, answer);
    return;
  }
  const results = new Map((answer.value?.ResultList ?? []).map((item) => [item.Index, item]));
  const errors = new Map((answer.value?.ErrorList ?? []).map((item) => [item.Index, item]));
  chunk.forEach((document, index) => {
    const result = results.get(index);
    if (result) {
      assign(document, { ok: true, value: result });
      return;
    }
    const error = errors.get(index);
    const failure: Failure = REJECTED_DOCUMENT_CODES.test(error?.ErrorCode ?? '') ? 'rejected' : 'retryable';
    logger.warn('Comprehend could not analyze a document of a batch', {
      operation,
      errorCode: error?.ErrorCode ?? 'missing',
    });
    assign(document, { ok: false, failure });
  });
}

function isRetryable(error: unknown, errorName: string): boolean {
  if (RETRYABLE_ERRORS.has(errorName)) return true;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  const status = metadata?.httpStatusCode;
  if (status !== undefined) return status === 429 || status >= 500;
  // No HTTP answer at all: the connection failed, which is worth another try.
  return typeof (error as { code?: unknown } | null)?.code === 'string';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

const pause = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));
