/**
 * The Comprehend operations the layer calls: request validation (limits.ts), the NLP behind
 * each, and the response shapes of the real API, with offsets converted to code points. The
 * batch operations answer each document as the single-document operation would, in
 * ResultList (with its Index), or in ErrorList when the document itself is refused.
 */
import type { EnglishNlp } from './english-nlp.js';
import { detectKeyPhrases } from './key-phrases.js';
import { detectDominantLanguages } from './language.js';
import {
  MAX_BATCH_DOCUMENT_BYTES,
  readBatchInLanguageRequest,
  readBatchRequest,
  readTextInLanguageRequest,
  readTextRequest,
  type BatchOperationName,
  type OperationName,
} from './limits.js';
import { codePointIndexer } from './offsets.js';
import { detectPii } from './pii.js';
import { detectSentiment } from './sentiment.js';

export type OperationHandler = (input: unknown) => unknown;

export function createOperations(english: EnglishNlp): Record<OperationName, OperationHandler> {
  const keyPhrasesOf = (Text: string, LanguageCode: string) => {
    const toCodePoint = codePointIndexer(Text);
    return detectKeyPhrases(Text, LanguageCode, english).map((phrase) => ({
      Text: phrase.text,
      Score: phrase.score,
      BeginOffset: toCodePoint(phrase.begin),
      EndOffset: toCodePoint(phrase.end),
    }));
  };
  return {
    BatchDetectDominantLanguage(input) {
      const { TextList } = readBatchRequest(input);
      return batchAnswer('BatchDetectDominantLanguage', TextList, (text) => ({
        Languages: detectDominantLanguages(text),
      }));
    },

    BatchDetectSentiment(input) {
      const { TextList, LanguageCode } = readBatchInLanguageRequest('BatchDetectSentiment', input);
      return batchAnswer('BatchDetectSentiment', TextList, (text) => detectSentiment(text, LanguageCode, english));
    },

    BatchDetectKeyPhrases(input) {
      const { TextList, LanguageCode } = readBatchInLanguageRequest('BatchDetectKeyPhrases', input);
      return batchAnswer('BatchDetectKeyPhrases', TextList, (text) => ({
        KeyPhrases: keyPhrasesOf(text, LanguageCode),
      }));
    },

    DetectDominantLanguage(input) {
      const { Text } = readTextRequest('DetectDominantLanguage', input);
      return { Languages: detectDominantLanguages(Text) };
    },

    DetectSentiment(input) {
      const { Text, LanguageCode } = readTextInLanguageRequest('DetectSentiment', input);
      return detectSentiment(Text, LanguageCode, english);
    },

    DetectKeyPhrases(input) {
      const { Text, LanguageCode } = readTextInLanguageRequest('DetectKeyPhrases', input);
      return { KeyPhrases: keyPhrasesOf(Text, LanguageCode) };
    },

    DetectPiiEntities(input) {
      const { Text } = readTextInLanguageRequest('DetectPiiEntities', input);
      const toCodePoint = codePointIndexer(Text);
      return {
        Entities: detectPii(Text).map((entity) => ({
          Type: entity.type,
          Score: entity.score,
          BeginOffset: toCodePoint(entity.begin),
          EndOffset: toCodePoint(entity.end),
        })),
      };
    },
  };
}

/** Each document answered on its own: a refused one goes to ErrorList and the others still get their results. */
function batchAnswer(operation: BatchOperationName, texts: string[], analyze: (text: string) => object) {
  const ResultList: object[] = [];
  const ErrorList: { Index: number; ErrorCode: string; ErrorMessage: string }[] = [];
  texts.forEach((text, Index) => {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_BATCH_DOCUMENT_BYTES) {
      ErrorList.push({
        Index,
        ErrorCode: 'TEXT_SIZE_LIMIT_EXCEEDED',
        ErrorMessage: `${operation}: document ${Index} is ${bytes} bytes; the limit is ${MAX_BATCH_DOCUMENT_BYTES} bytes`,
      });
    } else {
      ResultList.push({ Index, ...analyze(text) });
    }
  });
  return { ResultList, ErrorList };
}
