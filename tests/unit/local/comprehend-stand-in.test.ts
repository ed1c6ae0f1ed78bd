import { describe, test, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  ComprehendServiceException,
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  InternalServerException,
  InvalidRequestException,
  TextSizeLimitExceededException,
  UnsupportedLanguageException,
  type LanguageCode,
} from '@aws-sdk/client-comprehend';
import { STRONGLY_NEGATIVE_SCORE } from '../../../layers/shared/src/analysis/urgency.js';
import { startComprehendStandIn, type ComprehendStandIn } from '../../../local/comprehend/comprehend-stand-in.js';

const OUTAGE = 'Our production database is down and we are losing money, please help ASAP!';
const THANKS = 'Thank you so much, the new dashboard is great!';
const HOW_TO = 'How do I export my invoices as CSV?';

let standIn: ComprehendStandIn;
let comprehend: ComprehendClient;

function clientFor(target: ComprehendStandIn, maxAttempts = 1): ComprehendClient {
  return new ComprehendClient({
    endpoint: target.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
  });
}

/** Comprehend offsets count code points; slicing a JS string by them would be wrong after an emoji. */
function sliceCodePoints(text: string, begin = 0, end = 0): string {
  return Array.from(text).slice(begin, end).join('');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function rawRequest(
  target: ComprehendStandIn,
  operation: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  return fetch(target.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Comprehend_20171127.${operation}`,
      ...headers,
    },
    body: JSON.stringify(body),
    signal,
  });
}

function admin(target: ComprehendStandIn, method: string, path: string, body?: unknown) {
  return fetch(`${target.endpoint}/__admin/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Polls (without any time assertion) until the stand-in has seen `count` requests. */
async function untilRequestsSeen(target: ComprehendStandIn, count: number): Promise<void> {
  while (target.stats.snapshot().total < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

beforeAll(async () => {
  standIn = await startComprehendStandIn({ port: 0, fault: 'none' });
  comprehend = clientFor(standIn);
});

afterAll(async () => {
  comprehend.destroy();
  await standIn.stop();
});

beforeEach(() => {
  standIn.faults.clear();
  standIn.stats.reset();
});

/*
 * The stand-in's sentiment labels are a heuristic of its own, not Comprehend's
 * model: what is tested is what local development relies on. The product
 * reads one label, a strong NEGATIVE (STRONGLY_NEGATIVE_SCORE), to raise a
 * normal ticket that describes an impact; local triage must show that raise
 * for an angry ticket and never for a calm question.
 */
describe('sentiment, as local development relies on it', () => {
  const FURIOUS =
    'The exports show a problem and it is affecting our month-end operations. This is terrible, awful and unacceptable, I am furious!';

  test.each([
    ['an outage', OUTAGE],
    ['a furious complaint (the e2e tone-raise ticket)', FURIOUS],
  ])('%s reads strongly NEGATIVE, so local triage shows the tone raise', async (_kind, text) => {
    const result = await comprehend.send(new DetectSentimentCommand({ Text: text, LanguageCode: 'en' }));

    expect(result.Sentiment).toBe('NEGATIVE');
    expect(result.SentimentScore!.Negative).toBeGreaterThanOrEqual(STRONGLY_NEGATIVE_SCORE);
  });

  test.each([
    ['es', 'Nuestro servidor está caído y no funciona nada.'],
    ['de', 'Unsere Produktionsdatenbank ist ausgefallen, bitte helfen Sie uns.'],
  ])('an outage in a language other than English (%s) reads NEGATIVE too: %s', async (language, text) => {
    const result = await comprehend.send(
      new DetectSentimentCommand({ Text: text, LanguageCode: language as LanguageCode }),
    );
    expect(result.Sentiment).toBe('NEGATIVE');
  });

  test.each([
    ['en', HOW_TO],
    ['de', 'Wie kann ich meine Rechnung herunterladen?'],
  ])('a how-to question (%s) reads NEUTRAL, so nothing raises a calm ticket locally: %s', async (language, text) => {
    const result = await comprehend.send(
      new DetectSentimentCommand({ Text: text, LanguageCode: language as LanguageCode }),
    );
    expect(result.Sentiment).toBe('NEUTRAL');
  });

  test.each([
    [OUTAGE, 'NEGATIVE'],
    [THANKS, 'POSITIVE'],
    [HOW_TO, 'NEUTRAL'],
    ['I love the new reports, but the export keeps crashing.', 'MIXED'],
  ] as const)("answers in Comprehend's shape, each of its four labels included: %s → %s", async (text, expected) => {
    const result = await comprehend.send(new DetectSentimentCommand({ Text: text, LanguageCode: 'en' }));

    expect(result.Sentiment).toBe(expected);
    const scores = result.SentimentScore!;
    const values = [scores.Positive!, scores.Negative!, scores.Neutral!, scores.Mixed!];
    expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
    const labelScore = {
      POSITIVE: scores.Positive,
      NEGATIVE: scores.Negative,
      NEUTRAL: scores.Neutral,
      MIXED: scores.Mixed,
    }[expected]!;
    expect(labelScore).toBe(Math.max(...values));
  });
});

describe('key phrases', () => {
  test('the outage message yields its noun phrases, with offsets that slice them', async () => {
    const result = await comprehend.send(new DetectKeyPhrasesCommand({ Text: OUTAGE, LanguageCode: 'en' }));

    const phrases = result.KeyPhrases!.map((phrase) => phrase.Text);
    expect(phrases).toContain('production database');
    for (const phrase of result.KeyPhrases!) {
      expect(sliceCodePoints(OUTAGE, phrase.BeginOffset, phrase.EndOffset)).toBe(phrase.Text);
      expect(phrase.Score).toBeGreaterThan(0);
    }
  });

  test('offsets count code points after an emoji', async () => {
    const text = '🔥🔥 The billing page shows the wrong invoice total.';
    const result = await comprehend.send(new DetectKeyPhrasesCommand({ Text: text, LanguageCode: 'en' }));

    const billingPage = result.KeyPhrases!.find((phrase) => phrase.Text === 'billing page');
    expect(billingPage).toMatchObject({ BeginOffset: 7, EndOffset: 19 });
  });

  test('Spanish phrases keep their "de" links', async () => {
    const text = 'Mi base de datos de producción no responde.';
    const result = await comprehend.send(new DetectKeyPhrasesCommand({ Text: text, LanguageCode: 'es' }));

    expect(result.KeyPhrases!.map((phrase) => phrase.Text)).toContain('base de datos de producción');
  });
});

describe('PII entities', () => {
  const text =
    '😀 Hi, card 4111 1111 1111 1111 exp soon, CVV 123. My SSN is 123-45-6789, ' +
    'mail jane.doe@example.com or call (555) 123-4567. PIN: 4821, password: hunter2! ' +
    'Key AKIAIOSFODNN7EXAMPLE';

  test('finds each kind, with code-point offsets that slice the value', async () => {
    const result = await comprehend.send(new DetectPiiEntitiesCommand({ Text: text, LanguageCode: 'en' }));

    const found = result.Entities!.map((entity) => [
      entity.Type,
      sliceCodePoints(text, entity.BeginOffset, entity.EndOffset),
    ]);
    expect(found).toEqual([
      ['CREDIT_DEBIT_NUMBER', '4111 1111 1111 1111'],
      ['CREDIT_DEBIT_CVV', '123'],
      ['SSN', '123-45-6789'],
      ['EMAIL', 'jane.doe@example.com'],
      ['PHONE', '(555) 123-4567'],
      ['PIN', '4821'],
      ['PASSWORD', 'hunter2'],
      ['AWS_ACCESS_KEY', 'AKIAIOSFODNN7EXAMPLE'],
    ]);
    // The emoji is one character for Comprehend, two UTF-16 units for JavaScript.
    expect(result.Entities![0]!.BeginOffset).toBe(text.indexOf('4111') - 1);
  });

  test('a card number that fails the Luhn check is not reported, nor mistaken for a phone', async () => {
    const result = await comprehend.send(
      new DetectPiiEntitiesCommand({ Text: 'Card 4111 1111 1111 1112 was declined.', LanguageCode: 'en' }),
    );
    expect(result.Entities).toEqual([]);
  });

  test('ordinary words after "password is" are not passwords', async () => {
    const result = await comprehend.send(
      new DetectPiiEntitiesCommand({ Text: 'My password is not accepted since the update.', LanguageCode: 'en' }),
    );
    expect(result.Entities).toEqual([]);
  });

  test('Spanish is supported', async () => {
    const spanish = 'Mi correo es ana@example.es y mi tarjeta 5555 5555 5555 4444.';
    const result = await comprehend.send(new DetectPiiEntitiesCommand({ Text: spanish, LanguageCode: 'es' }));
    expect(result.Entities!.map((entity) => entity.Type)).toEqual(['EMAIL', 'CREDIT_DEBIT_NUMBER']);
  });
});

describe('dominant language', () => {
  test.each([
    ['en', 'Hi, I cannot log in to my account since this morning.'],
    ['en', HOW_TO],
    ['es', 'Hola, no puedo entrar en mi cuenta desde esta mañana.'],
    ['fr', "Bonjour, je n'arrive pas à me connecter à mon compte depuis ce matin."],
    ['de', 'Hallo, ich kann mich seit heute Morgen nicht in mein Konto einloggen.'],
  ])('%s: %s', async (expected, text) => {
    const result = await comprehend.send(new DetectDominantLanguageCommand({ Text: text }));

    const [top, ...rest] = result.Languages!;
    expect(top!.LanguageCode).toBe(expected);
    expect(top!.Score).toBeGreaterThan(0.5);
    for (const other of rest) expect(other.Score!).toBeLessThanOrEqual(top!.Score!);
  });
});

describe('limits and language support', () => {
  test('DetectSentiment refuses 5,001 UTF-8 bytes and accepts 5,000', async () => {
    // 2,500 "é" are 5,000 bytes but only 2,500 characters: the limit is in bytes.
    const atLimit = 'é'.repeat(2_500);
    await expect(
      comprehend.send(new DetectSentimentCommand({ Text: atLimit, LanguageCode: 'en' })),
    ).resolves.toBeDefined();

    const error = await rejection(
      comprehend.send(new DetectSentimentCommand({ Text: `${atLimit}a`, LanguageCode: 'en' })),
    );
    expect(error).toBeInstanceOf(TextSizeLimitExceededException);
  });

  test('key phrases refuse more than 100 KB', async () => {
    const error = await rejection(
      comprehend.send(new DetectKeyPhrasesCommand({ Text: 'a'.repeat(100_001), LanguageCode: 'en' })),
    );
    expect(error).toBeInstanceOf(TextSizeLimitExceededException);
  });

  test('PII in French is an unsupported language', async () => {
    const error = await rejection(
      comprehend.send(new DetectPiiEntitiesCommand({ Text: 'Mon numéro est 06 12 34 56 78', LanguageCode: 'fr' })),
    );
    expect(error).toBeInstanceOf(UnsupportedLanguageException);
  });

  test('sentiment in Dutch is an unsupported language', async () => {
    const error = await rejection(
      comprehend.send(new DetectSentimentCommand({ Text: 'Het werkt niet', LanguageCode: 'nl' as LanguageCode })),
    );
    expect(error).toBeInstanceOf(UnsupportedLanguageException);
  });

  test('empty text is an invalid request', async () => {
    const error = await rejection(comprehend.send(new DetectDominantLanguageCommand({ Text: '' })));
    expect(error).toBeInstanceOf(InvalidRequestException);
  });
});

describe('batch operations', () => {
  test('answer each document as the single-document operation would, with its index', async () => {
    const texts = [OUTAGE, THANKS, HOW_TO];
    const languages = await comprehend.send(new BatchDetectDominantLanguageCommand({ TextList: texts }));
    expect(languages.ErrorList).toEqual([]);
    expect(languages.ResultList?.map((result) => [result.Index, result.Languages?.[0]?.LanguageCode])).toEqual([
      [0, 'en'],
      [1, 'en'],
      [2, 'en'],
    ]);

    const batch = await comprehend.send(new BatchDetectSentimentCommand({ TextList: texts, LanguageCode: 'en' }));
    for (const [index, text] of texts.entries()) {
      const single = await comprehend.send(new DetectSentimentCommand({ Text: text, LanguageCode: 'en' }));
      expect(batch.ResultList?.find((result) => result.Index === index)).toMatchObject({
        Sentiment: single.Sentiment,
        SentimentScore: single.SentimentScore,
      });
    }

    const phrases = await comprehend.send(new BatchDetectKeyPhrasesCommand({ TextList: [OUTAGE], LanguageCode: 'en' }));
    const [first] = phrases.ResultList ?? [];
    expect(first?.Index).toBe(0);
    for (const phrase of first?.KeyPhrases ?? []) {
      expect(sliceCodePoints(OUTAGE, phrase.BeginOffset, phrase.EndOffset)).toBe(phrase.Text);
    }
  });

  test('a document over 5,000 bytes is reported in ErrorList while the others are answered', async () => {
    const tooLarge = 'é'.repeat(2_501);
    const answer = await comprehend.send(
      new BatchDetectSentimentCommand({ TextList: [OUTAGE, tooLarge], LanguageCode: 'en' }),
    );
    expect(answer.ResultList?.map((result) => result.Index)).toEqual([0]);
    expect(answer.ErrorList).toEqual([
      { Index: 1, ErrorCode: 'TEXT_SIZE_LIMIT_EXCEEDED', ErrorMessage: expect.stringContaining('5002 bytes') },
    ]);
  });

  test('more than 25 documents is BatchSizeLimitExceededException; an unsupported language fails the call', async () => {
    const tooMany = await rejection(
      comprehend.send(new BatchDetectKeyPhrasesCommand({ TextList: Array(26).fill(HOW_TO), LanguageCode: 'en' })),
    );
    expect(tooMany).toMatchObject({ name: 'BatchSizeLimitExceededException', $metadata: { httpStatusCode: 400 } });
    const dutch = await rejection(
      comprehend.send(new BatchDetectSentimentCommand({ TextList: [HOW_TO], LanguageCode: 'nl' as LanguageCode })),
    );
    expect(dutch).toBeInstanceOf(UnsupportedLanguageException);
    expect(await rejection(comprehend.send(new BatchDetectDominantLanguageCommand({ TextList: [] })))).toBeInstanceOf(
      InvalidRequestException,
    );
  });

  test('faults apply to them, alone or with the other operations', async () => {
    expect(
      (await admin(standIn, 'POST', 'faults', { mode: 'error', operations: ['BatchDetectSentiment'] })).status,
    ).toBe(200);
    const error = await rejection(
      comprehend.send(new BatchDetectSentimentCommand({ TextList: [HOW_TO], LanguageCode: 'en' })),
    );
    expect(error).toBeInstanceOf(InternalServerException);
    await comprehend.send(new BatchDetectKeyPhrasesCommand({ TextList: [HOW_TO], LanguageCode: 'en' }));

    await admin(standIn, 'POST', 'faults', { mode: 'throttle' });
    const throttled = await rejection(comprehend.send(new BatchDetectDominantLanguageCommand({ TextList: [HOW_TO] })));
    expect(throttled).toMatchObject({ name: 'ThrottlingException' });
    expect(standIn.stats.snapshot()).toMatchObject({
      faulted: { BatchDetectSentiment: 1, BatchDetectDominantLanguage: 1 },
      operations: { BatchDetectKeyPhrases: 1 },
    });
  });
});

describe('fault injection', () => {
  test('admin throttle → the SDK raises ThrottlingException (400)', async () => {
    expect((await admin(standIn, 'POST', 'faults', { mode: 'throttle' })).status).toBe(200);

    const error = await rejection(comprehend.send(new DetectSentimentCommand({ Text: OUTAGE, LanguageCode: 'en' })));
    // Comprehend has no modelled ThrottlingException class: the SDK names the generic exception.
    expect(error).toBeInstanceOf(ComprehendServiceException);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(standIn.stats.snapshot()).toMatchObject({
      operations: { DetectSentiment: 1 },
      faulted: { DetectSentiment: 1 },
    });
  });

  test('admin error → InternalServerException (500)', async () => {
    await admin(standIn, 'POST', 'faults', { mode: 'error' });

    const error = await rejection(comprehend.send(new DetectDominantLanguageCommand({ Text: THANKS })));
    expect(error).toBeInstanceOf(InternalServerException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 500 } });
  });

  test('a rule limited to some operations leaves the others alone', async () => {
    standIn.faults.set({ mode: 'error', operations: ['DetectPiiEntities'] });

    await expect(
      comprehend.send(new DetectKeyPhrasesCommand({ Text: OUTAGE, LanguageCode: 'en' })),
    ).resolves.toBeDefined();
    await expect(
      comprehend.send(new DetectPiiEntitiesCommand({ Text: OUTAGE, LanguageCode: 'en' })),
    ).rejects.toBeInstanceOf(InternalServerException);
  });

  test('`remaining` counts down, then the stand-in recovers', async () => {
    await admin(standIn, 'POST', 'faults', { mode: 'throttle', remaining: 2 });
    const call = () => comprehend.send(new DetectSentimentCommand({ Text: THANKS, LanguageCode: 'en' }));

    expect(await rejection(call())).toMatchObject({ name: 'ThrottlingException' });
    expect(await (await admin(standIn, 'GET', 'faults')).json()).toEqual({ mode: 'throttle', remaining: 1 });
    expect(await rejection(call())).toMatchObject({ name: 'ThrottlingException' });
    expect((await call()).Sentiment).toBe('POSITIVE');
    expect(await (await admin(standIn, 'GET', 'faults')).json()).toEqual({ mode: 'none' });
  });

  test("the SDK's own retries show in the stats", async () => {
    standIn.faults.set({ mode: 'throttle', remaining: 1 });
    const retrying = clientFor(standIn, 2);
    try {
      const result = await retrying.send(new DetectSentimentCommand({ Text: OUTAGE, LanguageCode: 'en' }));
      expect(result.Sentiment).toBe('NEGATIVE');
    } finally {
      retrying.destroy();
    }
    expect(standIn.stats.snapshot()).toEqual({
      total: 2,
      operations: { DetectSentiment: 2 },
      faulted: { DetectSentiment: 1 },
    });
  });

  test('delay answers normally, later', async () => {
    standIn.faults.set({ mode: 'delay', delayMs: 20 });

    const result = await comprehend.send(new DetectSentimentCommand({ Text: HOW_TO, LanguageCode: 'en' }));
    expect(result.Sentiment).toBe('NEUTRAL');
    expect(standIn.stats.snapshot().faulted).toEqual({ DetectSentiment: 1 });
  });

  test('a delay longer than the client waits makes the client give up; the stand-in carries on', async () => {
    await admin(standIn, 'POST', 'faults', { mode: 'delay', delayMs: 600_000 });
    const giveUp = new AbortController();
    const pending = rawRequest(standIn, 'DetectSentiment', { Text: THANKS, LanguageCode: 'en' }, {}, giveUp.signal);

    await untilRequestsSeen(standIn, 1);
    giveUp.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    await admin(standIn, 'DELETE', 'faults');
    expect((await comprehend.send(new DetectSentimentCommand({ Text: THANKS, LanguageCode: 'en' }))).Sentiment).toBe(
      'POSITIVE',
    );
  });

  test('header faults work on raw requests and take precedence', async () => {
    const throttled = await rawRequest(
      standIn,
      'DetectDominantLanguage',
      { Text: THANKS },
      { 'x-stand-in-fault': 'throttle' },
    );
    expect(throttled.status).toBe(400);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(await throttled.json()).toMatchObject({ __type: 'ThrottlingException' });

    const failed = await rawRequest(
      standIn,
      'DetectDominantLanguage',
      { Text: THANKS },
      { 'x-stand-in-fault': 'error' },
    );
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ __type: 'InternalServerException' });

    // The header wins over the rule in force, and does not use up its `remaining`.
    standIn.faults.set({ mode: 'error', remaining: 1 });
    const delayed = await rawRequest(
      standIn,
      'DetectDominantLanguage',
      { Text: THANKS },
      { 'x-stand-in-fault': 'delay=5' },
    );
    expect(delayed.status).toBe(200);
    const { Languages } = (await delayed.json()) as { Languages: { LanguageCode: string }[] };
    expect(Languages[0]!.LanguageCode).toBe('en');
    expect(standIn.faults.current()).toEqual({ mode: 'error', remaining: 1 });
  });

  test('timeout holds the request until the client gives up', async () => {
    const giveUp = new AbortController();
    const pending = rawRequest(
      standIn,
      'DetectKeyPhrases',
      { Text: OUTAGE, LanguageCode: 'en' },
      { 'x-stand-in-fault': 'timeout' },
      giveUp.signal,
    );

    await untilRequestsSeen(standIn, 1);
    giveUp.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('stop() releases a held request', async () => {
    const other = await startComprehendStandIn({ port: 0, fault: 'timeout' });
    const pending = rawRequest(other, 'DetectSentiment', { Text: OUTAGE, LanguageCode: 'en' });

    await untilRequestsSeen(other, 1);
    await other.stop();
    const response = await pending;
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ __type: 'InternalServerException' });
  });

  test('env COMPREHEND_STAND_IN_FAULT sets the fault at start', async () => {
    const saved = process.env.COMPREHEND_STAND_IN_FAULT;
    process.env.COMPREHEND_STAND_IN_FAULT = 'error';
    const other = await startComprehendStandIn({ port: 0 }).finally(() => {
      if (saved === undefined) delete process.env.COMPREHEND_STAND_IN_FAULT;
      else process.env.COMPREHEND_STAND_IN_FAULT = saved;
    });
    const client = clientFor(other);
    try {
      expect(other.faults.current()).toEqual({ mode: 'error' });
      await expect(client.send(new DetectDominantLanguageCommand({ Text: THANKS }))).rejects.toBeInstanceOf(
        InternalServerException,
      );
    } finally {
      client.destroy();
      await other.stop();
    }
  });

  test('an invalid admin rule is refused and changes nothing', async () => {
    const response = await admin(standIn, 'POST', 'faults', { mode: 'delay' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('delayMs') });
    expect(standIn.faults.current()).toEqual({ mode: 'none' });

    const unknownOperation = await admin(standIn, 'POST', 'faults', { mode: 'error', operations: ['DetectEntities'] });
    expect(unknownOperation.status).toBe(400);
  });
});

describe('server', () => {
  test("refuses a web page's request (it carries Origin): no analysis, no fault switched on", async () => {
    const page = { origin: 'http://rebound.example' };
    expect((await rawRequest(standIn, 'DetectSentiment', { Text: OUTAGE, LanguageCode: 'en' }, page)).status).toBe(403);
    const fault = await fetch(`${standIn.endpoint}/__admin/faults`, {
      method: 'POST',
      headers: { ...page, 'content-type': 'text/plain' },
      body: JSON.stringify({ mode: 'error' }),
    });
    expect(fault.status).toBe(403);
    const answer = await comprehend.send(new DetectSentimentCommand({ Text: HOW_TO, LanguageCode: 'en' }));
    expect(answer.Sentiment).toBeDefined();
  });

  test('binds 127.0.0.1 only', async () => {
    expect(standIn.address).toBe('127.0.0.1');
    expect(new URL(standIn.endpoint).hostname).toBe('127.0.0.1');

    // Another loopback address reaches a wildcard (0.0.0.0) listener, but not this one.
    const socket = net.connect({ host: '127.0.0.2', port: standIn.port });
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  test('counts requests per operation, in-process and over HTTP', async () => {
    await comprehend.send(new DetectDominantLanguageCommand({ Text: OUTAGE }));
    await comprehend.send(new DetectDominantLanguageCommand({ Text: THANKS }));
    await comprehend.send(new DetectPiiEntitiesCommand({ Text: OUTAGE, LanguageCode: 'en' }));

    const expected = { total: 3, operations: { DetectDominantLanguage: 2, DetectPiiEntities: 1 }, faulted: {} };
    expect(standIn.stats.snapshot()).toEqual(expected);
    expect(await (await admin(standIn, 'GET', 'stats')).json()).toEqual(expected);

    await admin(standIn, 'DELETE', 'stats');
    expect(standIn.stats.snapshot().total).toBe(0);
  });

  test('an unknown operation is refused the way AWS does', async () => {
    const response = await rawRequest(standIn, 'DetectEntities', { Text: OUTAGE, LanguageCode: 'en' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('a busy port fails at once with EADDRINUSE', async () => {
    await expect(startComprehendStandIn({ port: standIn.port, fault: 'none' })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});

describe('CLI', () => {
  const tsxCli = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const mainPath = fileURLToPath(new URL('../../../local/comprehend/main.ts', import.meta.url));

  function runCli(args: string[]) {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
    delete env.COMPREHEND_STAND_IN_FAULT;
    const child = spawn(process.execPath, [tsxCli, mainPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = once(child, 'exit').then(([code]) => code as number | null);
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  test('a busy port exits 1 with a clear message', async () => {
    const cli = runCli(['--port', String(standIn.port)]);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toContain('EADDRINUSE');
  }, 20_000);

  test('prints its endpoint, serves, and exits 0 on SIGTERM', async () => {
    const cli = runCli(['--port', '0']);
    try {
      while (!/http:\/\/127\.0\.0\.1:\d+/.test(cli.output().stdout)) {
        if (cli.child.exitCode !== null) throw new Error(cli.output().stderr);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const endpoint = /http:\/\/127\.0\.0\.1:\d+/.exec(cli.output().stdout)![0];
      const health = await fetch(`${endpoint}/__admin/health`);
      expect(await health.json()).toEqual({ status: 'ok' });

      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  }, 20_000);
});
