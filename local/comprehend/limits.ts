/**
 * Comprehend's documented input limits and language support for the operations the
 * stand-in serves. They are enforced so code tested locally meets the same walls in AWS.
 */
import { comprehendErrors } from './errors.js';

export type OperationName =
  | 'DetectDominantLanguage'
  | 'DetectSentiment'
  | 'DetectKeyPhrases'
  | 'DetectPiiEntities';

export const OPERATION_NAMES: readonly OperationName[] = [
  'DetectDominantLanguage',
  'DetectSentiment',
  'DetectKeyPhrases',
  'DetectPiiEntities',
];

export function isOperationName(name: string): name is OperationName {
  return (OPERATION_NAMES as readonly string[]).includes(name);
}

/** Sizes are UTF-8 bytes; Comprehend's "5 KB" and "100 KB" are decimal. */
export const MAX_TEXT_BYTES: Record<OperationName, number> = {
  DetectDominantLanguage: 100_000,
  DetectSentiment: 5_000,
  DetectKeyPhrases: 100_000,
  DetectPiiEntities: 100_000,
};

const SENTIMENT_AND_KEY_PHRASE_LANGUAGES = [
  'en', 'es', 'fr', 'de', 'it', 'pt', 'ar', 'hi', 'ja', 'ko', 'zh', 'zh-TW',
] as const;

export const SUPPORTED_LANGUAGES: Record<Exclude<OperationName, 'DetectDominantLanguage'>, readonly string[]> = {
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
export function readTextRequest(operation: OperationName, input: unknown): TextRequest {
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
