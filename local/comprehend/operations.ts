/**
 * The four Comprehend operations: request validation (limits.ts), the NLP behind each, and
 * the response shapes of the real API, with offsets converted to code points.
 */
import type { EnglishNlp } from './english-nlp.js';
import { detectKeyPhrases } from './key-phrases.js';
import { detectDominantLanguages } from './language.js';
import { readTextInLanguageRequest, readTextRequest, type OperationName } from './limits.js';
import { codePointIndexer } from './offsets.js';
import { detectPii } from './pii.js';
import { detectSentiment } from './sentiment.js';

export type OperationHandler = (input: unknown) => unknown;

export function createOperations(english: EnglishNlp): Record<OperationName, OperationHandler> {
  return {
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
      const toCodePoint = codePointIndexer(Text);
      return {
        KeyPhrases: detectKeyPhrases(Text, LanguageCode, english).map((phrase) => ({
          Text: phrase.text,
          Score: phrase.score,
          BeginOffset: toCodePoint(phrase.begin),
          EndOffset: toCodePoint(phrase.end),
        })),
      };
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
