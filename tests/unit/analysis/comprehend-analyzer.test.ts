import { beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  InvalidRequestException,
  TooManyRequestsException,
  type KeyPhrase,
  type PiiEntity,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ComprehendAnalyzer,
  findingsFrom,
  LANGUAGE_SAMPLE_BYTES,
  OPENING_BYTES,
} from '../../../layers/shared/src/analysis/comprehend-analyzer.js';
import { analysisOutcome, MAX_KEY_PHRASES, readText } from '../../../layers/shared/src/analysis/analysis-outcome.js';
import { analysisView } from '../../../layers/shared/src/analysis/analysis-view.js';
import { logger } from '../../../layers/shared/src/logger.js';

const comprehend = mockClient(ComprehendClient);
const warnings = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

const analyzer = (deadlineMs = 2_000): ComprehendAnalyzer =>
  new ComprehendAnalyzer({ client: new ComprehendClient({ region: 'us-east-1' }), deadlineMs });

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const joined = (subject: string, description: string): string => `${subject}\n\n${description}`;

interface Answers {
  language?: string;
  sentiment?: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';
  keyPhrases?: KeyPhrase[];
  pii?: PiiEntity[];
}

function givenComprehend({ language = 'en', sentiment = 'NEUTRAL', keyPhrases = [], pii = [] }: Answers = {}): void {
  comprehend.on(DetectDominantLanguageCommand).resolves({ Languages: [{ LanguageCode: language, Score: 0.99 }] });
  comprehend.on(DetectSentimentCommand).resolves({
    Sentiment: sentiment,
    SentimentScore: { Positive: 0.1, Negative: 0.2, Neutral: 0.6, Mixed: 0.1 },
  });
  comprehend.on(DetectKeyPhrasesCommand).resolves({ KeyPhrases: keyPhrases });
  comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: pii });
}

const callCount = (command: Parameters<typeof comprehend.commandCalls>[0]): number =>
  comprehend.commandCalls(command).length;

/** A key phrase as Comprehend reports it: offsets in code points of the text it was given. */
function phraseAt(text: string, phrase: string): KeyPhrase {
  const index = text.indexOf(phrase);
  const begin = codePoints(text.slice(0, index));
  return { Text: phrase, Score: 0.99, BeginOffset: begin, EndOffset: begin + codePoints(phrase) };
}

/** Comprehend's offsets count code points, not UTF-16 units (nor graphemes). */
function codePoints(text: string): number {
  return Array.from(text).length;
}

beforeEach(() => {
  comprehend.reset();
  warnings.mockClear();
});

describe('ComprehendAnalyzer: calls and their inputs', () => {
  test('English text with digits: all four calls, each with the text it needs', async () => {
    givenComprehend({ sentiment: 'NEGATIVE' });
    // ~10 KB: long enough that every truncation applies.
    const subject = 'Checkout fails for card payments';
    const description = `Our shop cannot take payments. ${'Ünïcödé détails 😀 '.repeat(400)}Order 1234.`;

    const outcome = await analyzer().analyze({ subject, description });

    const text = joined(subject, description);
    const [language] = comprehend.commandCalls(DetectDominantLanguageCommand);
    const [sentiment] = comprehend.commandCalls(DetectSentimentCommand);
    const [keyPhrases] = comprehend.commandCalls(DetectKeyPhrasesCommand);
    const [pii] = comprehend.commandCalls(DetectPiiEntitiesCommand);

    const languageText = language!.args[0].input.Text!;
    expect(bytes(languageText)).toBeLessThanOrEqual(LANGUAGE_SAMPLE_BYTES);
    expect(bytes(languageText)).toBeGreaterThan(LANGUAGE_SAMPLE_BYTES - 4);
    expect(text.startsWith(languageText)).toBe(true);

    const opening = sentiment!.args[0].input.Text!;
    expect(bytes(opening)).toBeLessThanOrEqual(OPENING_BYTES);
    expect(bytes(opening)).toBeGreaterThan(OPENING_BYTES - 4);
    expect(text.startsWith(opening)).toBe(true);
    expect(opening).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(sentiment!.args[0].input.LanguageCode).toBe('en');
    expect(keyPhrases!.args[0].input).toEqual({ Text: opening, LanguageCode: 'en' });

    // PII is searched in the whole text: a card number may sit at the end.
    expect(pii!.args[0].input).toEqual({ Text: text, LanguageCode: 'en' });

    for (const call of comprehend.calls()) {
      const options = (call.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined;
      expect(options?.abortSignal).toBeInstanceOf(AbortSignal);
    }
    expect(outcome.analysis).toMatchObject({
      status: 'complete',
      language: 'en',
      sentiment: { label: 'NEGATIVE', scores: { positive: 0.1, negative: 0.2, neutral: 0.6, mixed: 0.1 } },
    });
  });

  test('unsupported language: no sentiment, key-phrase or PII calls, yet complete and still redacted', async () => {
    givenComprehend({ language: 'sv' });
    const outcome = await analyzer().analyze({
      subject: 'Betalning',
      description: 'Mitt kort 4111 1111 1111 1111 debiterades två gånger',
    });

    expect(callCount(DetectDominantLanguageCommand)).toBe(1);
    expect(callCount(DetectSentimentCommand)).toBe(0);
    expect(callCount(DetectKeyPhrasesCommand)).toBe(0);
    expect(callCount(DetectPiiEntitiesCommand)).toBe(0);
    expect(outcome.description).toBe('Mitt kort [REDACTED:CREDIT_DEBIT_NUMBER] debiterades två gånger');
    expect(outcome.analysis).toMatchObject({ status: 'complete', language: 'sv', sentiment: null, keyPhrases: [] });
  });

  test('undetermined language: no further calls, language null, complete', async () => {
    givenComprehend({ language: 'und' });
    const outcome = await analyzer().analyze({ subject: '???', description: '12345 !!!' });

    expect(comprehend.calls()).toHaveLength(1);
    expect(outcome.analysis).toMatchObject({ status: 'complete', language: null, sentiment: null });
  });

  test('no language at all is treated as undetermined', async () => {
    comprehend.on(DetectDominantLanguageCommand).resolves({ Languages: [] });
    const outcome = await analyzer().analyze({ subject: 'x', description: 'y' });
    expect(comprehend.calls()).toHaveLength(1);
    expect(outcome.analysis).toMatchObject({ status: 'complete', language: null });
  });

  test('French: sentiment and key phrases, but no PII call; local detectors still redact', async () => {
    givenComprehend({ language: 'fr', sentiment: 'NEGATIVE' });
    const outcome = await analyzer().analyze({
      subject: 'Paiement refusé',
      description: 'Mon mot de passe est soleil42 et ma carte 4111 1111 1111 1111 est refusée.',
    });

    expect(callCount(DetectSentimentCommand)).toBe(1);
    expect(callCount(DetectKeyPhrasesCommand)).toBe(1);
    expect(callCount(DetectPiiEntitiesCommand)).toBe(0);
    expect(comprehend.commandCalls(DetectSentimentCommand)[0]!.args[0].input.LanguageCode).toBe('fr');
    expect(outcome.description).toBe(
      'Mon mot de passe est [REDACTED:PASSWORD] et ma carte [REDACTED:CREDIT_DEBIT_NUMBER] est refusée.',
    );
    expect(outcome.analysis.status).toBe('complete');
  });

  test('English text with no digits, password words or long tokens: the PII call is skipped', async () => {
    givenComprehend();
    const outcome = await analyzer().analyze({
      subject: 'Dark mode',
      description: 'It would be nice to have a dark theme for the dashboard.',
    });

    expect(callCount(DetectPiiEntitiesCommand)).toBe(0);
    expect(callCount(DetectSentimentCommand)).toBe(1);
    expect(outcome.analysis.status).toBe('complete');
    expect(outcome.category).toBe('feature_request');
  });
});

describe('ComprehendAnalyzer: the language told on the box', () => {
  test('plain English: the language is not asked for; sentiment and key phrases are, in English', async () => {
    // Comprehend would answer otherwise: the box's answer is the one used.
    givenComprehend({ language: 'sv' });
    const outcome = await analyzer().analyze({
      subject: 'Invoice is wrong',
      description: 'We were charged twice for the same seat this month. Could you please refund one of them?',
    });

    expect(callCount(DetectDominantLanguageCommand)).toBe(0);
    expect(comprehend.commandCalls(DetectSentimentCommand)[0]!.args[0].input.LanguageCode).toBe('en');
    expect(comprehend.commandCalls(DetectKeyPhrasesCommand)[0]!.args[0].input.LanguageCode).toBe('en');
    expect(outcome.analysis).toMatchObject({ status: 'complete', language: 'en' });
  });

  test('Korean from its script: no language call, sentiment in Korean', async () => {
    givenComprehend({ language: 'en' });
    const outcome = await analyzer().analyze({
      subject: '로그인할 수 없습니다',
      description: '어제부터 계정에 로그인할 수 없습니다. 도와주세요.',
    });

    expect(callCount(DetectDominantLanguageCommand)).toBe(0);
    expect(comprehend.commandCalls(DetectSentimentCommand)[0]!.args[0].input.LanguageCode).toBe('ko');
    expect(outcome.analysis.language).toBe('ko');
  });

  test('Dutch, which the box never names: Comprehend is asked, and its unsupported answer stops the calls', async () => {
    givenComprehend({ language: 'nl' });
    const outcome = await analyzer().analyze({
      subject: 'Kan niet inloggen',
      description: 'Sinds gisteren kan ik niet meer inloggen op mijn account. Kunnen jullie helpen?',
    });

    expect(callCount(DetectDominantLanguageCommand)).toBe(1);
    expect(callCount(DetectSentimentCommand)).toBe(0);
    expect(outcome.analysis).toMatchObject({ status: 'complete', language: 'nl', sentiment: null });
  });

  test('a comment in plain English: no language call either', async () => {
    givenComprehend({ language: 'sv' });
    const outcome = await analyzer().analyzeComment('This is still broken and we cannot work. Please call me back.');

    expect(callCount(DetectDominantLanguageCommand)).toBe(0);
    expect(outcome.analysis.language).toBe('en');
  });
});

describe('ComprehendAnalyzer: failures', () => {
  const outage = {
    subject: 'Production down',
    description: 'Our production database is down and we are losing money, please help ASAP! Card 4111 1111 1111 1111',
  };

  test('throttling: pending, with priority, category and redaction from local rules', async () => {
    givenComprehend({
      sentiment: 'NEGATIVE',
      keyPhrases: [{ Text: 'production database', BeginOffset: 0, EndOffset: 5 }],
    });
    comprehend
      .on(DetectSentimentCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));

    const outcome = await analyzer().analyze(outage);

    expect(outcome.analysis).toMatchObject({ status: 'pending', language: 'en', sentiment: null, keyPhrases: [] });
    expect(outcome.priority).toBe('urgent');
    expect(outcome.analysis.urgent).toBe(true);
    expect(outcome.category).toBe('technical');
    expect(outcome.description).toContain('[REDACTED:CREDIT_DEBIT_NUMBER]');
    expect(outcome.analysis.redactions).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]);
  });

  test('language detection failing: pending, language unknown, no further calls', async () => {
    const serverError = Object.assign(new Error('Service unavailable'), { name: 'InternalServerException' });
    comprehend.on(DetectDominantLanguageCommand).rejects(serverError);

    // In too few words for the box to tell its language: Comprehend is asked for it.
    const outcome = await analyzer().analyze({
      subject: 'Production down',
      description: 'Production database down, losing money, ASAP! Card 4111 1111 1111 1111',
    });

    expect(comprehend.calls()).toHaveLength(1);
    expect(outcome.analysis).toMatchObject({ status: 'pending', language: null, sentiment: null });
    expect(outcome.priority).toBe('urgent');
    expect(outcome.description).toContain('[REDACTED:CREDIT_DEBIT_NUMBER]');
  });

  test('a network error is retryable: pending', async () => {
    givenComprehend();
    comprehend.on(DetectKeyPhrasesCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'ECONNRESET' }));
    expect((await analyzer().analyze(outage)).analysis.status).toBe('pending');
  });

  test('Comprehend rejecting the text: failed, still with local results', async () => {
    givenComprehend();
    comprehend
      .on(DetectPiiEntitiesCommand)
      .rejects(new InvalidRequestException({ message: 'Invalid request', $metadata: {} }));

    const outcome = await analyzer().analyze(outage);

    expect(outcome.analysis).toMatchObject({ status: 'failed', language: 'en', sentiment: null, keyPhrases: [] });
    expect(outcome.priority).toBe('urgent');
    expect(outcome.description).toContain('[REDACTED:CREDIT_DEBIT_NUMBER]');
  });

  test('a rejected text outweighs a throttled call: failed, since a retry would be rejected again', async () => {
    givenComprehend();
    comprehend
      .on(DetectSentimentCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    comprehend
      .on(DetectKeyPhrasesCommand)
      .rejects(Object.assign(new Error('too big'), { name: 'TextSizeLimitExceededException' }));
    expect((await analyzer().analyze(outage)).analysis.status).toBe('failed');
  });

  test('a call that never answers: pending once the deadline passes', async () => {
    givenComprehend();
    comprehend.on(DetectSentimentCommand).callsFake(() => new Promise(() => undefined));

    const outcome = await analyzer(50).analyze(outage);

    expect(outcome.analysis.status).toBe('pending');
    expect(outcome.priority).toBe('urgent');
    expect(outcome.description).toContain('[REDACTED:CREDIT_DEBIT_NUMBER]');
  });

  test('PII found by Comprehend is redacted even when another call failed', async () => {
    const subject = 'Refund';
    const description = 'Send it to account 99887766 at my bank';
    const text = joined(subject, description);
    const start = text.indexOf('99887766');
    givenComprehend({ pii: [{ Type: 'BANK_ACCOUNT_NUMBER', BeginOffset: start, EndOffset: start + 8, Score: 0.9 }] });
    comprehend.on(DetectSentimentCommand).rejects(new TooManyRequestsException({ message: 'x', $metadata: {} }));

    const outcome = await analyzer().analyze({ subject, description });

    expect(outcome.analysis.status).toBe('pending');
    expect(outcome.description).toBe('Send it to account [REDACTED:BANK_ACCOUNT_NUMBER] at my bank');
  });

  test('logs the error name, never the customer text or the error message', async () => {
    givenComprehend();
    comprehend
      .on(DetectSentimentCommand)
      .rejects(new InvalidRequestException({ message: `Bad text: ${outage.description}`, $metadata: {} }));

    await analyzer().analyze(outage);

    expect(warnings).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(warnings.mock.calls);
    expect(logged).toContain('InvalidRequestException');
    expect(logged).not.toContain('losing money');
    expect(logged).not.toContain('4111');
  });
});

describe("findingsFrom: Comprehend's answers for one text, as create and the stream completion both decide them", () => {
  const english = { ok: true, value: 'en' } as const;
  const negative = { ok: true, value: { Sentiment: 'NEGATIVE', SentimentScore: { Negative: 0.9 } } } as const;
  const phrases = { ok: true as const, value: { KeyPhrases: [{ Text: 'the export' }] } };
  const card: PiiEntity = { Type: 'CREDIT_DEBIT_NUMBER', BeginOffset: 0, EndOffset: 16 };
  const retryable = { ok: false, failure: 'retryable' } as const;
  const rejected = { ok: false, failure: 'rejected' } as const;

  test('every call answered: complete, with sentiment, key phrases and PII', () => {
    const pii = { ok: true as const, value: { Entities: [card] } };
    expect(findingsFrom({ language: english, sentiment: negative, keyPhrases: phrases, pii })).toEqual({
      status: 'complete',
      language: 'en',
      sentiment: { label: 'NEGATIVE', scores: { positive: 0, negative: 0.9, neutral: 0, mixed: 0 } },
      keyPhrases: [{ Text: 'the export' }],
      piiEntities: [card],
    });
  });

  test('PII not asked for is nothing found; a language without sentiment support, or none, is complete without calls', () => {
    expect(findingsFrom({ language: english, sentiment: negative, keyPhrases: phrases }).piiEntities).toEqual([]);
    for (const value of ['nl', null]) {
      expect(findingsFrom({ language: { ok: true, value } })).toEqual({
        status: 'complete',
        language: value,
        sentiment: null,
        keyPhrases: [],
        piiEntities: [],
      });
    }
  });

  test('after a failure: pending (or failed for a refused text), sentiment and key phrases left out, PII found still kept', () => {
    expect(findingsFrom({ language: retryable })).toMatchObject({ status: 'pending', language: null });
    expect(findingsFrom({ language: rejected })).toMatchObject({ status: 'failed', language: null });
    expect(findingsFrom({ language: english, sentiment: negative })).toMatchObject({
      status: 'pending',
      sentiment: null,
      keyPhrases: [],
    });
    const pii = { ok: true as const, value: { Entities: [card] } };
    expect(findingsFrom({ language: english, sentiment: retryable, keyPhrases: rejected, pii })).toEqual({
      status: 'failed',
      language: 'en',
      sentiment: null,
      keyPhrases: [],
      piiEntities: [card],
    });
  });
});

describe('ComprehendAnalyzer: PII spans from Comprehend', () => {
  test('offsets after an emoji land on the entity, not beside it', async () => {
    const subject = '😀😀 Help';
    const description = '🎉 Please use PIN 2468 for the terminal';
    const text = joined(subject, description);
    // Comprehend counts code points: each emoji is one, not two.
    const begin = codePoints(text.slice(0, text.indexOf('2468')));
    givenComprehend({ pii: [{ Type: 'PIN', BeginOffset: begin, EndOffset: begin + 4, Score: 0.9 }] });

    const outcome = await analyzer().analyze({ subject, description });

    expect(outcome.description).toBe('🎉 Please use PIN [REDACTED:PIN] for the terminal');
    expect(outcome.analysis.redactions).toEqual([{ type: 'PIN', count: 1 }]);
  });

  test('a Comprehend span overlapping a local one becomes a single redaction covering both', async () => {
    const subject = 'Card problem';
    const description = 'my card number 4111 1111 1111 1111 was declined';
    const text = joined(subject, description);
    const begin = text.indexOf('number');
    // Comprehend's span starts earlier and ends inside the local card span.
    givenComprehend({ pii: [{ Type: 'BANK_ACCOUNT_NUMBER', BeginOffset: begin, EndOffset: begin + 16, Score: 0.6 }] });

    const outcome = await analyzer().analyze({ subject, description });

    expect(outcome.description).toBe('my card [REDACTED:CREDIT_DEBIT_NUMBER] was declined');
    expect(outcome.analysis.redactions).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]);
  });

  test('an entity spanning subject and description is redacted in both and counted once', async () => {
    const subject = 'Account 1234';
    const description = '5678 was debited';
    // "1234\n\n5678" as one BANK_ACCOUNT_NUMBER.
    givenComprehend({ pii: [{ Type: 'BANK_ACCOUNT_NUMBER', BeginOffset: 8, EndOffset: 18, Score: 0.8 }] });

    const outcome = await analyzer().analyze({ subject, description });

    expect(outcome.subject).toBe('Account [REDACTED:BANK_ACCOUNT_NUMBER]');
    expect(outcome.description).toBe('[REDACTED:BANK_ACCOUNT_NUMBER] was debited');
    expect(outcome.analysis.redactions).toEqual([{ type: 'BANK_ACCOUNT_NUMBER', count: 1 }]);
  });

  test('entity types that agents need (names, e-mail) are kept', async () => {
    const subject = 'Call me';
    const description = 'Jane Doe, jane@example.com, order 77';
    const text = joined(subject, description);
    const at = (value: string): { BeginOffset: number; EndOffset: number } => ({
      BeginOffset: text.indexOf(value),
      EndOffset: text.indexOf(value) + value.length,
    });
    givenComprehend({
      pii: [
        { Type: 'NAME', ...at('Jane Doe') },
        { Type: 'EMAIL', ...at('jane@example.com') },
      ],
    });

    const outcome = await analyzer().analyze({ subject, description });

    expect(outcome.description).toBe(description);
    expect(outcome.analysis.redactions).toEqual([]);
  });
});

describe('ComprehendAnalyzer: key phrases', () => {
  test('phrases touching redacted PII are dropped; the rest are deduplicated', async () => {
    const subject = 'Payment failed';
    const description = 'The card 4111 1111 1111 1111 was declined at checkout. The checkout page shows an error.';
    const text = joined(subject, description);
    givenComprehend({
      keyPhrases: [
        phraseAt(text, 'Payment'),
        phraseAt(text, 'The card 4111 1111 1111 1111'),
        phraseAt(text, 'checkout'),
        { ...phraseAt(text, 'The checkout page'), Text: 'Checkout' },
        phraseAt(text, 'an error'),
      ],
    });

    const outcome = await analyzer().analyze({ subject, description });

    expect(outcome.analysis.keyPhrases).toEqual(['Payment', 'checkout', 'an error']);
    expect(outcome.analysis.keyPhrases.join(' ')).not.toContain('4111');
  });

  test('offsets after an emoji still find the phrase that holds PII', async () => {
    // Ten emoji shift code-point offsets by more than the secret's own length.
    const subject = `${'🔥'.repeat(10)} urgent`;
    const description = 'password: Tr0ub4dor and the export button';
    const text = joined(subject, description);
    givenComprehend({ keyPhrases: [phraseAt(text, 'Tr0ub4dor'), phraseAt(text, 'the export button')] });

    const outcome = await analyzer().analyze({ subject, description });

    expect(outcome.description).toBe('password: [REDACTED:PASSWORD] and the export button');
    expect(outcome.analysis.keyPhrases).toEqual(['the export button']);
  });

  test(`at most ${MAX_KEY_PHRASES} key phrases are kept`, async () => {
    const words = Array.from({ length: 30 }, (_, index) => `topic${String.fromCharCode(97 + (index % 26))}${index}`);
    const description = words.join(' ');
    const text = joined('Topics', description);
    givenComprehend({ keyPhrases: words.map((word) => phraseAt(text, word)) });

    const outcome = await analyzer().analyze({ subject: 'Topics', description });

    expect(outcome.analysis.keyPhrases).toEqual(words.slice(0, MAX_KEY_PHRASES));
  });
});

describe('ComprehendAnalyzer: priority and category', () => {
  test('the outage message is urgent even when Comprehend calls it positive', async () => {
    givenComprehend({ sentiment: 'POSITIVE' });
    const outcome = await analyzer().analyze({
      subject: 'Help',
      description: 'Our production database is down and we are losing money, please help ASAP!',
    });
    expect(outcome.priority).toBe('urgent');
    expect(outcome.analysis.urgent).toBe(true);
  });

  test('praise is low priority', async () => {
    givenComprehend({ sentiment: 'POSITIVE' });
    const outcome = await analyzer().analyze({
      subject: 'Feedback',
      description: 'Thanks, the new dashboard is great!',
    });
    expect(outcome.priority).toBe('low');
    expect(outcome.analysis.urgent).toBe(false);
    expect(outcome.category).toBe('general');
  });

  test('the redaction marker does not make a ticket about passwords', async () => {
    givenComprehend();
    const outcome = await analyzer().analyze({
      subject: 'Report colours',
      description: 'pwd=hunter22 and the chart is pale',
    });
    expect(outcome.description).toBe('pwd=[REDACTED:PASSWORD] and the chart is pale');
    expect(outcome.category).toBe('general');
  });
});

describe('ComprehendAnalyzer: comments', () => {
  test('a body gets language and sentiment; key phrases are never asked for', async () => {
    givenComprehend({ sentiment: 'NEGATIVE' });

    const outcome = await analyzer().analyzeComment('This is still broken and I am very unhappy.');

    expect(outcome).toEqual({
      body: 'This is still broken and I am very unhappy.',
      analysis: {
        status: 'complete',
        language: 'en',
        sentiment: { label: 'NEGATIVE', scores: { positive: 0.1, negative: 0.2, neutral: 0.6, mixed: 0.1 } },
        redactions: [],
      },
    });
    expect(callCount(DetectKeyPhrasesCommand)).toBe(0);
    expect(callCount(DetectSentimentCommand)).toBe(1);
  });

  test('the redaction floor applies to a body as to a description', async () => {
    givenComprehend();

    const outcome = await analyzer().analyzeComment('Try card 4111 1111 1111 1111, password: hunter2');

    expect(outcome.body).not.toContain('4111');
    expect(outcome.body).not.toContain('hunter2');
    expect(outcome.body).toContain('[REDACTED:CREDIT_DEBIT_NUMBER]');
    expect(outcome.analysis.redactions).toEqual(expect.arrayContaining([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]));
  });

  test("Comprehend's PII findings add to the floor, offsets counted past the absent subject", async () => {
    const body = 'Use PIN 2468 at the door';
    const begin = joined('', body).indexOf('2468');
    givenComprehend({ pii: [{ Type: 'PIN', BeginOffset: begin, EndOffset: begin + 4, Score: 0.9 }] });

    const outcome = await analyzer().analyzeComment(body);

    expect(outcome.body).toBe('Use PIN [REDACTED:PIN] at the door');
    expect(outcome.analysis.redactions).toEqual([{ type: 'PIN', count: 1 }]);
  });

  test('Comprehend throttling: pending, and the body is still redacted by the floor', async () => {
    givenComprehend();
    comprehend
      .on(DetectSentimentCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));

    const outcome = await analyzer().analyzeComment('Card 4111 1111 1111 1111 was charged twice');

    expect(outcome.analysis).toEqual({
      status: 'pending',
      language: 'en',
      sentiment: null,
      redactions: [{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }],
    });
    expect(outcome.body).toBe('Card [REDACTED:CREDIT_DEBIT_NUMBER] was charged twice');
  });

  test('a body Comprehend rejects: failed, floor applied', async () => {
    comprehend
      .on(DetectDominantLanguageCommand)
      .rejects(new InvalidRequestException({ message: 'Invalid', $metadata: {} }));

    const outcome = await analyzer().analyzeComment('My SSN is 123-45-6789');

    expect(outcome.analysis.status).toBe('failed');
    expect(outcome.body).not.toContain('123-45-6789');
  });
});

describe('ComprehendAnalyzer: the text read while the calls are in flight', () => {
  test('a ticket is decided as analysisOutcome decides it from the same answers, read afterwards', async () => {
    const subject = 'Checkout down for every customer';
    const description =
      'Since this morning every card payment fails and our whole team cannot work. ' +
      'My card 4111 1111 1111 1111 was charged anyway; password: Tr0ub4dor&3.';
    const tags = ['billing', 'pin-1234'];
    const text = joined(subject, description);
    const keyPhrases = [phraseAt(text, 'every card payment'), phraseAt(text, '4111 1111 1111 1111')];
    const pii: PiiEntity[] = [{ ...phraseAt(text, '4111 1111 1111 1111'), Type: 'CREDIT_DEBIT_NUMBER' }];
    givenComprehend({ sentiment: 'NEGATIVE', keyPhrases, pii });
    comprehend.on(DetectSentimentCommand).resolves({
      Sentiment: 'NEGATIVE',
      SentimentScore: { Positive: 0, Negative: 0.95, Neutral: 0.05, Mixed: 0 },
    });

    const outcome = await analyzer().analyze({ subject, description, tags });

    const fields = { subject, description, tags };
    const findings = findingsFrom({
      language: { ok: true, value: 'en' },
      sentiment: {
        ok: true,
        value: { Sentiment: 'NEGATIVE', SentimentScore: { Positive: 0, Negative: 0.95, Neutral: 0.05, Mixed: 0 } },
      },
      keyPhrases: { ok: true, value: { KeyPhrases: keyPhrases } },
      pii: { ok: true, value: { Entities: pii } },
    });
    expect(outcome).toEqual(analysisOutcome(fields, analysisView(fields), findings));
    expect(outcome.description).not.toContain('4111');
    expect(outcome.description).not.toContain('Tr0ub4dor');
  });

  test('a reading done beforehand decides as one done with the answers', () => {
    const fields = { subject: 'Possible breach', description: 'We may have been hacked: SSN 123-45-6789 was shown.' };
    const view = analysisView(fields);
    const findings = findingsFrom({ language: { ok: true, value: 'en' } });

    expect(analysisOutcome(fields, view, findings, readText(fields, view))).toEqual(
      analysisOutcome(fields, view, findings),
    );
  });
});
