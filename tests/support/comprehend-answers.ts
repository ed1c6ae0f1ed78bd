import {
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  type ComprehendClient,
} from '@aws-sdk/client-comprehend';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * A mocked Comprehend that reads every text as plain, neutral English: no key
 * phrases, no PII. For unit tests about something other than the analysis.
 */
export function comprehendAnswersNeutralEnglish(comprehend: AwsClientStub<ComprehendClient>): void {
  comprehend.on(DetectDominantLanguageCommand).resolves({ Languages: [{ LanguageCode: 'en', Score: 0.98 }] });
  comprehend.on(DetectSentimentCommand).resolves({
    Sentiment: 'NEUTRAL',
    SentimentScore: { Positive: 0.1, Negative: 0.1, Neutral: 0.8, Mixed: 0 },
  });
  comprehend.on(DetectKeyPhrasesCommand).resolves({ KeyPhrases: [] });
  comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
}
