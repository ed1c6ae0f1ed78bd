import { beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  type BatchDetectDominantLanguageCommandInput,
  type BatchDetectKeyPhrasesCommandInput,
  type BatchDetectSentimentCommandInput,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { analysisView } from '../../../layers/shared/src/analysis/analysis-view.js';
import { ComprehendAnalyzer } from '../../../layers/shared/src/analysis/comprehend-analyzer.js';
import { ComprehendBatchAnalyzer } from '../../../layers/shared/src/analysis/comprehend-batch.js';
import type { TicketFields } from '../../../layers/shared/src/domain/ticket-analyzer.js';
import { logger } from '../../../layers/shared/src/logger.js';

/*
 * A ticket completed from the stream is decided as it would have been at
 * create time only if Comprehend is sent the same: the same operations
 * (a batch operation standing for its single form), the same texts and the
 * same language, and nothing the create-time analyzer would not send.
 */

const comprehend = mockClient(ComprehendClient);
const warnings = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

const languageOf = (text: string): string => (/niet|inloggen/.test(text) ? 'nl' : /[가-힣]/.test(text) ? 'ko' : 'en');
const SCORES = { Positive: 0.1, Negative: 0.7, Neutral: 0.1, Mixed: 0.1 };

beforeEach(() => {
  comprehend.reset();
  warnings.mockClear();
  comprehend.on(DetectSentimentCommand).resolves({ Sentiment: 'NEGATIVE', SentimentScore: SCORES });
  comprehend.on(DetectKeyPhrasesCommand).resolves({ KeyPhrases: [] });
  comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
  comprehend.on(BatchDetectDominantLanguageCommand).callsFake((input: BatchDetectDominantLanguageCommandInput) => ({
    ResultList: input.TextList!.map((text, Index) => ({
      Index,
      Languages: [{ LanguageCode: languageOf(text), Score: 0.9 }],
    })),
    ErrorList: [],
  }));
  comprehend.on(BatchDetectSentimentCommand).callsFake((input: BatchDetectSentimentCommandInput) => ({
    ResultList: input.TextList!.map((_text, Index) => ({ Index, Sentiment: 'NEGATIVE', SentimentScore: SCORES })),
    ErrorList: [],
  }));
  comprehend.on(BatchDetectKeyPhrasesCommand).callsFake((input: BatchDetectKeyPhrasesCommandInput) => ({
    ResultList: input.TextList!.map((_text, Index) => ({ Index, KeyPhrases: [] })),
    ErrorList: [],
  }));
});

/** Generous: the first request of a test run loads the SDK's parts, and a missed deadline would change the calls. */
const analyzer = () =>
  new ComprehendAnalyzer({ client: new ComprehendClient({ region: 'us-east-1' }), deadlineMs: 60_000 });

const givenLanguageOf = (text: string) =>
  comprehend
    .on(DetectDominantLanguageCommand)
    .resolves({ Languages: [{ LanguageCode: languageOf(text), Score: 0.9 }] });

/** Every request sent, as operation, language and text, in a stable order. */
function requestsSent(): string[] {
  return comprehend
    .calls()
    .flatMap((call) => {
      const command = call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
      const operation = command.constructor.name.replace(/^Batch/, '').replace(/Command$/, '');
      const { Text, TextList, LanguageCode } = command.input as {
        Text?: string;
        TextList?: string[];
        LanguageCode?: string;
      };
      return (TextList ?? [Text ?? '']).map((text) => `${operation} ${LanguageCode ?? '-'} ${text}`);
    })
    .sort();
}

const TICKETS: Record<string, TicketFields> = {
  'plain English, with digits': {
    subject: 'Charged twice',
    description:
      'We were charged twice for the same seat this month, order 10023. Could you please refund one of them?',
  },
  'too few words to tell': { subject: 'Export fails', description: 'CSV export: error E42 (since yesterday).' },
  'long English': {
    subject: 'Sync fails every night',
    description: 'The nightly sync fails with a timeout after the export step, and we have to run it by hand. '.repeat(
      80,
    ),
  },
  Dutch: { subject: 'Kan niet inloggen', description: 'Sinds gisteren kan ik niet meer inloggen op mijn account.' },
  Korean: { subject: '로그인할 수 없습니다', description: '어제부터 계정에 로그인할 수 없습니다. 도와주세요.' },
};

describe('the stream completion sends each text what the create-time analyzer sends', () => {
  test.each(Object.entries(TICKETS))('%s: a ticket', async (_name, fields) => {
    givenLanguageOf(fields.description);
    await analyzer().analyze(fields);
    const atCreate = requestsSent();
    comprehend.resetHistory();

    await new ComprehendBatchAnalyzer({ client: new ComprehendClient({ region: 'us-east-1' }) }).findings([
      { text: analysisView(fields).analyzedText, keyPhrases: true },
    ]);

    expect(requestsSent()).toEqual(atCreate);
    expect(warnings).not.toHaveBeenCalled();
    // Sentiment at least: the comparison is of something.
    expect(atCreate.some((request) => request.startsWith('DetectSentiment'))).toBe(fields !== TICKETS.Dutch);
  });

  test.each(Object.entries(TICKETS))('%s: a comment', async (_name, { description }) => {
    givenLanguageOf(description);
    await analyzer().analyzeComment(description);
    const atCreate = requestsSent();
    comprehend.resetHistory();

    await new ComprehendBatchAnalyzer({ client: new ComprehendClient({ region: 'us-east-1' }) }).findings([
      { text: analysisView({ subject: '', description }).analyzedText, keyPhrases: false },
    ]);

    expect(requestsSent()).toEqual(atCreate);
  });
});
