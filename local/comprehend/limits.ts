/**
 * Comprehend's documented input limits and language support for the operations the
 * stand-in serves. They are enforced so code tested locally meets the same walls in AWS.
 */
import { comprehendErrors } from './errors.js';

export type SingleDocumentOperationName =
  'DetectDominantLanguage' | 'DetectSentiment' | 'DetectKeyPhrases' | 'DetectPiiEntities';

/** DetectPiiEntities has no batch form. */
export type BatchOperationName = 'BatchDetectDominantLanguage' | 'BatchDetectSentiment' | 'BatchDetectKeyPhrases';

export type OperationName = SingleDocumentOperationName | BatchOperationName;

export const OPERATION_NAMES: readonly OperationName[] = [
  'DetectDominantLanguage',
  'DetectSentiment',
  'DetectKeyPhrases',
  'DetectPiiEntities',
  'BatchDetectDominantLanguage',
  'BatchDetectSentiment',
  'BatchDetectKeyPhrases',
];

export function isOperationName(name: string): name is OperationName {
  return (OPERATION_NAMES as readonly string[]).includes(name);
}

/** Sizes are UTF-8 bytes; Comprehend's "5 KB" and "100 KB" are decimal. */
export const MAX_TEXT_BYTES: Record<SingleDocumentOperationName, number> = {
  DetectDominantLanguage: 100_000,
  DetectSentiment: 5_000,
  DetectKeyPhrases: 100_000,
  DetectPiiEntities: 100_000,
};

/** A batch takes at most 25 documents, each of at most 5 KB, whatever the operation. */
export const MAX_BATCH_DOCUMENTS = 25;
export const MAX_BATCH_DOCUMENT_BYTES = 5_000;

/**
 * Written here again, not imported from the layer's analyzer (SENTIMENT_LANGUAGES):
 * the stand-in models the service, the analyzer holds what its client believes about
 * it, and a test against the stand-in can only catch a wrong belief if the two are apart.
 */
const SENTIMENT_AND_KEY_PHRASE_LANGUAGES = [
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
] as const;

export const SUPPORTED_LANGUAGES: Record<
  Exclude<SingleDocumentOperationName, 'DetectDominantLanguage'>,
  readonly string[]
> = {
  DetectSentiment: SENTIMENT_AND_KEY_PHRASE_LANGUAGES,
  DetectKeyPhrases: SENTIMENT_AND_KEY_PHRASE_LANGUAGES,
  DetectPiiEntities: ['en', 'es'],
};

export interface TextRequest {
  Text: string;
}

export interface TextInLanguageRequest extends TextRequest {
  LanguageCode: string;
}

/** Validates `{ Text }` and the operation's size limit. */
export function readTextRequest(operation: SingleDocumentOperationName, input: unknown): TextRequest {
  if (!isRecord(input)) throw comprehendErrors.invalidRequest('The request body must be a JSON object');
  const text = input.Text;
  if (typeof text !== 'string') throw comprehendErrors.invalidRequest('Text is required and must be a string');
  if (text.length === 0) throw comprehendErrors.invalidRequest('Text must not be empty');
  const bytes = Buffer.byteLength(text, 'utf8');
  const maxBytes = MAX_TEXT_BYTES[operation];
  if (bytes > maxBytes) throw comprehendErrors.textSizeLimitExceeded(bytes, maxBytes);
  return { Text: text };
}

/** Validates `{ Text, LanguageCode }`, the size limit and the operation's language support. */
export function readTextInLanguageRequest(
  operation: keyof typeof SUPPORTED_LANGUAGES,
  input: unknown,
): TextInLanguageRequest {
  const { Text } = readTextRequest(operation, input);
  const languageCode = (input as Record<string, unknown>).LanguageCode;
  if (typeof languageCode !== 'string' || languageCode.length === 0) {
    throw comprehendErrors.invalidRequest('LanguageCode is required and must be a string');
  }
  const supported = SUPPORTED_LANGUAGES[operation];
  if (!supported.includes(languageCode)) {
    throw comprehendErrors.unsupportedLanguage(operation, languageCode, supported);
  }
  return { Text, LanguageCode: languageCode };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface BatchRequest {
  TextList: string[];
}

export interface BatchInLanguageRequest extends BatchRequest {
  LanguageCode: string;
}

/**
 * Validates `{ TextList }`: 1 to 25 non-empty strings. A document over the
 * size limit does not fail the request: it is reported in ErrorList.
 */
export function readBatchRequest(input: unknown): BatchRequest {
  if (!isRecord(input)) throw comprehendErrors.invalidRequest('The request body must be a JSON object');
  const { TextList } = input;
  if (!Array.isArray(TextList) || TextList.length === 0) {
    throw comprehendErrors.invalidRequest('TextList is required and must hold at least one document');
  }
  if (TextList.length > MAX_BATCH_DOCUMENTS) throw comprehendErrors.batchSizeLimitExceeded(MAX_BATCH_DOCUMENTS);
  if (!TextList.every((text): text is string => typeof text === 'string' && text.length > 0)) {
    throw comprehendErrors.invalidRequest('Every document of TextList must be a non-empty string');
  }
  return { TextList };
}

/** Validates `{ TextList, LanguageCode }` as readBatchRequest does, and the operation's language support. */
export function readBatchInLanguageRequest(
  operation: Exclude<BatchOperationName, 'BatchDetectDominantLanguage'>,
  input: unknown,
): BatchInLanguageRequest {
  const { TextList } = readBatchRequest(input);
  const languageCode = (input as Record<string, unknown>).LanguageCode;
  if (typeof languageCode !== 'string' || languageCode.length === 0) {
    throw comprehendErrors.invalidRequest('LanguageCode is required and must be a string');
  }
  const single = operation === 'BatchDetectSentiment' ? 'DetectSentiment' : 'DetectKeyPhrases';
  if (!SUPPORTED_LANGUAGES[single].includes(languageCode)) {
    throw comprehendErrors.unsupportedLanguage(operation, languageCode, SUPPORTED_LANGUAGES[single]);
  }
  return { TextList, LanguageCode: languageCode };
}
