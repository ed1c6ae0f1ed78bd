/**
 * Completing pending analyses from the table's stream, with DynamoDB and
 * Comprehend mocked: Comprehend's batch operations by 25 documents and by
 * language, per-document errors, retries with backoff, the conditional write
 * and its lost races, an agent's choices winning, comments completed as
 * tickets are, and the partial batch response Lambda retries from.
 */
import { beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectPiiEntitiesCommand,
  type BatchDetectDominantLanguageCommandInput,
  type BatchDetectKeyPhrasesCommandInput,
  type BatchDetectSentimentCommandInput,
} from '@aws-sdk/client-comprehend';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AnalysisCompletion } from '../../../layers/shared/src/analysis/analysis-completion.js';
import { ComprehendBatchAnalyzer } from '../../../layers/shared/src/analysis/comprehend-batch.js';
import type { AnalysisSubject } from '../../../layers/shared/src/domain/comment-repository.js';
import type { Comment } from '../../../layers/shared/src/domain/comment-schema.js';
import type { HistoryEntry, Ticket } from '../../../layers/shared/src/domain/ticket.js';
import { clockAfter, DEFAULT_SERVICE_LEVEL_TARGETS } from '../../../layers/shared/src/domain/service-levels.js';
import { logger } from '../../../layers/shared/src/logger.js';
import { toCommentItem } from '../../../layers/shared/src/repository/comment-item.js';
import { DynamoDbCommentRepository } from '../../../layers/shared/src/repository/dynamodb-comment-repository.js';
import { DynamoDbTicketRepository } from '../../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import { subjectOfStreamRecord } from '../../../layers/shared/src/repository/ticket-stream.js';
import { batchResponseFor } from '../../../layers/shared/src/stream/stream-records.js';
import { aHistoryEntry, anAnalysis, aTicket, storedTicketItem } from '../../support/tickets.js';
import { fixedSecret } from '../../support/secret-source.js';

for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(logger, level).mockImplementation(() => undefined);

const dynamo = mockClient(DynamoDBDocumentClient);
const comprehend = mockClient(ComprehendClient);

const NOW = '2026-03-02T09:00:00.000Z';
const pauses: number[] = [];

function completion(): AnalysisCompletion {
  const tableOptions = {
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    tableName: 'tickets',
    cursorSecret: fixedSecret('unit-test-cursor-secret-0123456789abcdef'),
  };
  return new AnalysisCompletion({
    repository: new DynamoDbTicketRepository(tableOptions),
    comments: new DynamoDbCommentRepository(tableOptions),
    comprehend: new ComprehendBatchAnalyzer({
      client: new ComprehendClient({ region: 'us-east-1' }),
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      sleep: (ms) => {
        pauses.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    }),
    now: () => new Date(NOW),
  });
}

/** A batch of stream records as the analyze-ticket function works through it. */
function completeRecords(records: DynamoDBRecord[]) {
  const worker = completion();
  return batchResponseFor(records, subjectOfStreamRecord, (subjects) => worker.completeAndListRetries(subjects));
}

/** Tickets as the stream names them. */
const ticketsNamed = (...ids: string[]): AnalysisSubject[] => ids.map((ticketId) => ({ kind: 'ticket', ticketId }));

let sequence = 0;
const ticketId = (n: number) => `01HZXTICKET${String(n).padStart(15, '0')}`;

/**
 * Ticket `n`, pending: its description is the one Comprehend's key phrase ("The CSV export") is found in,
 * in too few words for the box to tell its language, so that Comprehend is asked for it.
 */
function pendingTicket(n: number, overrides: Partial<Ticket> = {}): Ticket {
  return aTicket({
    id: ticketId(n),
    subject: 'Export fails',
    description: 'The CSV export: invoices fail, error E42 (since yesterday).',
    ...overrides,
  });
}

/** What the table holds: each ticket with its history, served to the repository's Query. */
const table = new Map<string, { ticket: Ticket; history: HistoryEntry[] }>();
const store = (ticket: Ticket, history: HistoryEntry[] = []) => table.set(ticket.id, { ticket, history });

function serveTable(): void {
  dynamo
    .on(QueryCommand)
    .callsFake((input: { ExpressionAttributeValues: Record<string, string>; ScanIndexForward?: boolean }) => {
      const id = input.ExpressionAttributeValues[':pk']!.replace('TICKET#', '');
      const found = table.get(id);
      if (!found) return { Items: [] };
      // In sort key order (HISTORY# before TICKET), or reversed as asked.
      const items = [
        ...found.history.map((entry) => ({
          ...entry,
          pk: `TICKET#${id}`,
          sk: `HISTORY#${String(entry.version).padStart(10, '0')}`,
        })),
        storedTicketItem(found.ticket),
      ];
      return { Items: input.ScanIndexForward === false ? items.reverse() : items };
    });
  dynamo.on(TransactWriteCommand).resolves({});
}

/** A stream record for a ticket, as the event source mapping delivers it. */
function record(ticket: Ticket): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { pk: { S: `TICKET#${ticket.id}` }, sk: { S: 'TICKET' } },
      NewImage: marshall({ ...ticket }, { removeUndefinedValues: true }) as never,
      SequenceNumber: String(1000 + sequence),
    },
  };
}

const SPANISH = /Hola|factura/;
/** Comprehend's answer to each batch operation, per text. */
const answers = {
  language: (input: BatchDetectDominantLanguageCommandInput) => ({
    ResultList: input.TextList!.map((text, Index) => ({
      Index,
      Languages: [{ LanguageCode: SPANISH.test(text) ? 'es' : 'en', Score: 0.98 }],
    })),
    ErrorList: [],
  }),
  sentiment: (input: BatchDetectSentimentCommandInput) => ({
    ResultList: input.TextList!.map((_text, Index) => ({
      Index,
      Sentiment: 'NEGATIVE' as const,
      SentimentScore: { Positive: 0.01, Negative: 0.9, Neutral: 0.08, Mixed: 0.01 },
    })),
    ErrorList: [],
  }),
  keyPhrases: (input: BatchDetectKeyPhrasesCommandInput) => ({
    ResultList: input.TextList!.map((text, Index) => ({
      Index,
      KeyPhrases: [
        {
          Text: 'The CSV export',
          Score: 0.99,
          BeginOffset: text.indexOf('The CSV export'),
          EndOffset: text.indexOf('The CSV export') + 14,
        },
      ],
    })),
    ErrorList: [],
  }),
};
function answerComprehend(): void {
  comprehend.on(BatchDetectDominantLanguageCommand).callsFake(answers.language);
  comprehend.on(BatchDetectSentimentCommand).callsFake(answers.sentiment);
  comprehend.on(BatchDetectKeyPhrasesCommand).callsFake(answers.keyPhrases);
  comprehend.on(DetectPiiEntitiesCommand).resolves({ Entities: [] });
}

/** The ticket update and the history entry of each completion written. */
function writes() {
  return dynamo.commandCalls(TransactWriteCommand).map((call) => {
    const [update, history] = call.args[0].input.TransactItems!;
    return { update: update!.Update!, entry: history!.Put!.Item as unknown as HistoryEntry };
  });
}

beforeEach(() => {
  dynamo.reset();
  comprehend.reset();
  table.clear();
  pauses.length = 0;
  serveTable();
  answerComprehend();
});

describe('completing a pending ticket', () => {
  test('stores the analysis with the same rules as create, bumps the version and records a history entry', async () => {
    const ticket = pendingTicket(1);
    store(ticket);
    const response = await completeRecords([record(ticket)]);

    expect(response).toEqual({ batchItemFailures: [] });
    const [write] = writes();
    const values = write!.update.ExpressionAttributeValues!;
    expect(values[':analysis']).toMatchObject({
      status: 'complete',
      language: 'en',
      sentiment: { label: 'NEGATIVE' },
      keyPhrases: ['The CSV export'],
    });
    expect(values[':next']).toBe(2);
    expect(values[':expected']).toBe(1);
    expect(values[':updatedAt']).toBe(NOW);
    expect(write!.update.ConditionExpression).toContain('#version = :expected');
    expect(write!.update.ConditionExpression).toContain('#analysis.#status = :pending');
    // What an agent may set is not part of the write at all (`#status` names analysis.status in the condition only).
    const names = write!.update.ExpressionAttributeNames!;
    const setTargets = write!.update
      .UpdateExpression!.replace(/^SET /, '')
      .split(',')
      .map((assignment) => names[assignment.split('=')[0]!.trim()]);
    expect(setTargets).toContain('analysis');
    expect(setTargets).not.toContain('status');
    expect(setTargets).not.toContain('assigneeId');
    expect(setTargets).not.toContain('tags');
    expect(write!.entry).toMatchObject({
      version: 2,
      at: NOW,
      by: { id: 'analysis', role: 'system' },
      changes: expect.arrayContaining([{ field: 'analysis', from: 'pending', to: 'complete' }]),
    });
  });

  test('re-redacts the stored text with a secret only Comprehend recognized', async () => {
    const description = 'Please refund the order to my account 123456789 today.';
    const ticket = pendingTicket(2, { description });
    store(ticket);
    comprehend.on(DetectPiiEntitiesCommand).callsFake((input: { Text: string }) => {
      const begin = input.Text.indexOf('123456789');
      return { Entities: [{ Type: 'BANK_ACCOUNT_NUMBER', Score: 0.99, BeginOffset: begin, EndOffset: begin + 9 }] };
    });

    await completeRecords([record(ticket)]);

    const values = writes()[0]!.update.ExpressionAttributeValues!;
    expect(values[':description']).toBe('Please refund the order to my account [REDACTED:BANK_ACCOUNT_NUMBER] today.');
    expect((values[':analysis'] as Ticket['analysis']).redactions).toEqual([{ type: 'BANK_ACCOUNT_NUMBER', count: 1 }]);
  });

  test('carries the redaction counts of create forward and adds what the completion redacts', async () => {
    const redactedAtCreate = pendingTicket(21, {
      description:
        'Card [REDACTED:CREDIT_DEBIT_NUMBER] and [REDACTED:CREDIT_DEBIT_NUMBER] were charged; refund to my account 123456789 today.',
    });
    redactedAtCreate.analysis.redactions = [
      { type: 'CREDIT_DEBIT_NUMBER', count: 2 },
      { type: 'BANK_ACCOUNT_NUMBER', count: 1 },
    ];
    const nothingNew = pendingTicket(22, {
      description: 'The export fails; my card [REDACTED:CREDIT_DEBIT_NUMBER] was charged twice.',
    });
    nothingNew.analysis.redactions = [{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }];
    store(redactedAtCreate);
    store(nothingNew);
    comprehend.on(DetectPiiEntitiesCommand).callsFake((input: { Text: string }) => {
      const begin = input.Text.indexOf('123456789');
      return {
        Entities:
          begin < 0 ? [] : [{ Type: 'BANK_ACCOUNT_NUMBER', Score: 0.99, BeginOffset: begin, EndOffset: begin + 9 }],
      };
    });

    await completion().complete(ticketsNamed(redactedAtCreate.id, nothingNew.id));

    const stored = new Map(writes().map((write) => [write.update.Key!.pk, write.update.ExpressionAttributeValues!]));
    const first = stored.get(`TICKET#${redactedAtCreate.id}`)!;
    expect(first[':description']).toBe(
      'Card [REDACTED:CREDIT_DEBIT_NUMBER] and [REDACTED:CREDIT_DEBIT_NUMBER] were charged; refund to my account [REDACTED:BANK_ACCOUNT_NUMBER] today.',
    );
    expect((first[':analysis'] as Ticket['analysis']).redactions).toEqual([
      { type: 'BANK_ACCOUNT_NUMBER', count: 2 },
      { type: 'CREDIT_DEBIT_NUMBER', count: 2 },
    ]);
    expect((stored.get(`TICKET#${nothingNew.id}`)![':analysis'] as Ticket['analysis']).redactions).toEqual([
      { type: 'CREDIT_DEBIT_NUMBER', count: 1 },
    ]);
  });

  test('skips tickets that are gone or no longer pending, and records that name no ticket', async () => {
    const done = pendingTicket(3, { analysis: anAnalysis({ status: 'complete' }) });
    store(done);
    const gone = pendingTicket(4);
    const malformed = {
      eventID: 'x',
      dynamodb: { SequenceNumber: '9', Keys: { pk: { S: 'IDEMPOTENCY#a#b' }, sk: { S: 'IDEMPOTENCY' } } },
    };

    const response = await completeRecords([record(done), record(gone), malformed, {}]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(writes()).toHaveLength(0);
    expect(comprehend.calls()).toHaveLength(0);
  });
});

describe("Comprehend's batch operations", () => {
  test('send at most 25 documents a call, one language a call', async () => {
    const english = Array.from({ length: 30 }, (_, n) => pendingTicket(100 + n));
    const spanish = Array.from({ length: 3 }, (_, n) =>
      pendingTicket(200 + n, { subject: 'Hola', description: 'No puedo descargar la factura de marzo.' }),
    );
    for (const ticket of [...english, ...spanish]) store(ticket);

    const results = await completion().complete(ticketsNamed(...[...english, ...spanish].map((ticket) => ticket.id)));

    expect([...results.values()].every((result) => result === 'completed')).toBe(true);
    const sizes = (command: typeof BatchDetectSentimentCommand | typeof BatchDetectKeyPhrasesCommand) =>
      comprehend
        .commandCalls(command)
        .map((call) => `${call.args[0].input.LanguageCode}:${call.args[0].input.TextList!.length}`)
        .sort();
    expect(
      comprehend.commandCalls(BatchDetectDominantLanguageCommand).map((call) => call.args[0].input.TextList!.length),
    ).toEqual([25, 8]);
    expect(sizes(BatchDetectSentimentCommand)).toEqual(['en:25', 'en:5', 'es:3']);
    expect(sizes(BatchDetectKeyPhrasesCommand)).toEqual(['en:25', 'en:5', 'es:3']);
  });

  test("respect each operation's per-document limit, and ask for PII only where it can matter", async () => {
    const long = pendingTicket(5, { description: 'Ünïcödé text about the export failing. '.repeat(400) });
    const withDigits = pendingTicket(6, { description: 'My PIN is 4821, the export still fails.' });
    store(long);
    store(withDigits);

    await completion().complete(ticketsNamed(long.id, withDigits.id));

    const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
    for (const call of comprehend.commandCalls(BatchDetectDominantLanguageCommand)) {
      for (const text of call.args[0].input.TextList!) expect(bytes(text)).toBeLessThanOrEqual(300);
    }
    for (const command of [BatchDetectSentimentCommand, BatchDetectKeyPhrasesCommand] as const) {
      for (const call of comprehend.commandCalls(command)) {
        for (const text of call.args[0].input.TextList!) expect(bytes(text)).toBeLessThanOrEqual(5_000);
      }
    }
    // Only the text that could hold a secret at all goes to DetectPiiEntities.
    const piiTexts = comprehend.commandCalls(DetectPiiEntitiesCommand).map((call) => call.args[0].input.Text);
    expect(piiTexts).toEqual([expect.stringContaining('4821')]);
  });

  test('a document Comprehend refuses makes its ticket failed; one it could not process stays pending', async () => {
    const refused = pendingTicket(7);
    const unlucky = pendingTicket(8);
    const fine = pendingTicket(9);
    for (const ticket of [refused, unlucky, fine]) store(ticket);
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: BatchDetectSentimentCommandInput) => ({
      ResultList: [
        { Index: 2, Sentiment: 'NEUTRAL', SentimentScore: { Positive: 0, Negative: 0, Neutral: 1, Mixed: 0 } },
      ],
      ErrorList: [
        { Index: 0, ErrorCode: 'TEXT_SIZE_LIMIT_EXCEEDED', ErrorMessage: 'too large' },
        { Index: 1, ErrorCode: 'INTERNAL_SERVER_ERROR', ErrorMessage: 'try again' },
      ].slice(0, input.TextList!.length),
    }));
    const records = [record(refused), record(unlucky), record(fine)];

    const response = await completeRecords(records);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }]);
    const stored = new Map(
      writes().map((write) => [write.update.Key!.pk, write.update.ExpressionAttributeValues![':analysis']]),
    );
    expect(stored.get(`TICKET#${refused.id}`)).toMatchObject({ status: 'failed', sentiment: null });
    expect(stored.get(`TICKET#${fine.id}`)).toMatchObject({ status: 'complete', sentiment: { label: 'NEUTRAL' } });
    expect(stored.has(`TICKET#${unlucky.id}`)).toBe(false);
  });

  test.each([
    ['BatchDetectDominantLanguage', 'InvalidRequestException'],
    ['BatchDetectSentiment', 'TextSizeLimitExceededException'],
    ['BatchDetectKeyPhrases', 'InvalidRequestException'],
  ] as const)(
    '%s refusing a whole call (%s): each document is asked for alone, and only the one refused on its own fails',
    async (operation, errorName) => {
      const refused = pendingTicket(17, { description: 'The CSV export fails: UNREADABLE attachment.' });
      const others = [pendingTicket(18), pendingTicket(19)];
      for (const ticket of [refused, ...others]) store(ticket);
      const refusal = () =>
        Object.assign(new Error('refused'), { name: errorName, $metadata: { httpStatusCode: 400 } });
      const refusing =
        <Input extends { TextList?: string[] }, Output>(answer: (input: Input) => Output) =>
        (input: Input) => {
          if (input.TextList!.some((text) => text.includes('UNREADABLE'))) throw refusal();
          return answer(input);
        };
      const command = {
        BatchDetectDominantLanguage: () =>
          comprehend.on(BatchDetectDominantLanguageCommand).callsFake(refusing(answers.language)),
        BatchDetectSentiment: () => comprehend.on(BatchDetectSentimentCommand).callsFake(refusing(answers.sentiment)),
        BatchDetectKeyPhrases: () =>
          comprehend.on(BatchDetectKeyPhrasesCommand).callsFake(refusing(answers.keyPhrases)),
      }[operation];
      command();

      const results = await completion().complete(ticketsNamed(refused.id, ...others.map((ticket) => ticket.id)));

      expect([...results.values()]).toEqual(['completed', 'completed', 'completed']);
      const stored = new Map(
        writes().map((write) => [write.update.Key!.pk, write.update.ExpressionAttributeValues![':analysis']]),
      );
      expect(stored.get(`TICKET#${refused.id}`)).toMatchObject({ status: 'failed' });
      for (const ticket of others)
        expect(stored.get(`TICKET#${ticket.id}`)).toMatchObject({ status: 'complete', language: 'en' });
      const calls = comprehend
        .calls()
        .filter(
          (call) => (call.args[0] as { constructor: { name: string } }).constructor.name === `${operation}Command`,
        );
      // The refused call of three, then each of the three alone; a refusal is never retried as such.
      expect(calls.map((call) => (call.args[0].input as { TextList: string[] }).TextList.length)).toEqual([3, 1, 1, 1]);
    },
  );

  test('a language the box tells is not sent to BatchDetectDominantLanguage; sentiment and key phrases are asked in it', async () => {
    const plain = pendingTicket(40, {
      subject: 'Invoice is wrong',
      description: 'The CSV export of invoices shows that we were charged twice for the same seat this month.',
    });
    const untold = pendingTicket(41);
    store(plain);
    store(untold);

    const results = await completion().complete(ticketsNamed(plain.id, untold.id));

    expect([...results.values()]).toEqual(['completed', 'completed']);
    const languageTexts = comprehend
      .commandCalls(BatchDetectDominantLanguageCommand)
      .flatMap((call) => call.args[0].input.TextList ?? []);
    expect(languageTexts).toEqual([`${untold.subject}\n\n${untold.description}`]);
    const sentiment = comprehend.commandCalls(BatchDetectSentimentCommand);
    expect(sentiment.map((call) => [call.args[0].input.LanguageCode, call.args[0].input.TextList!.length])).toEqual([
      ['en', 2],
    ]);
    const stored = writes().map(
      (write) => write.update.ExpressionAttributeValues![':analysis'] as { language: string },
    );
    expect(stored.map((analysis) => analysis.language)).toEqual(['en', 'en']);
  });

  test('throttling is retried with exponential backoff and jitter', async () => {
    const ticket = pendingTicket(10);
    store(ticket);
    // Comprehend's throttling is not a modelled exception: the SDK names it from the answer.
    const throttled = () =>
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    comprehend
      .on(BatchDetectDominantLanguageCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ ResultList: [{ Index: 0, Languages: [{ LanguageCode: 'en', Score: 0.9 }] }], ErrorList: [] });

    const response = await completeRecords([record(ticket)]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand)).toHaveLength(3);
    // Half (random 0.5) of a ceiling that doubles: 100 ms, then 200 ms.
    expect(pauses).toEqual([50, 100]);
  });

  test('a ticket whose calls still fail after the retries stays pending and is reported for every record naming it', async () => {
    const ticket = pendingTicket(11);
    store(ticket);
    comprehend.on(BatchDetectDominantLanguageCommand).rejects(
      Object.assign(new Error('Service unavailable'), {
        name: 'InternalServerException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    const records = [record(ticket), record(ticket)];

    const response = await completeRecords(records);

    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand)).toHaveLength(3);
    expect(response.batchItemFailures).toEqual(records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })));
    expect(writes()).toHaveLength(0);
  });
});

describe('the conditional write', () => {
  /** DynamoDB's refusal of the write: the ticket is no longer at the version read, it is at `version`. */
  const lostRace = (version: number) =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: marshall({ version }) }, { Code: 'None' }],
    });

  const agentPriority = aHistoryEntry({
    version: 2,
    by: { id: 'ada', role: 'agent' },
    changes: [{ field: 'priority', from: 'normal', to: 'low' }],
  });
  const outage = {
    subject: 'Production is down',
    description: 'Our production database is down, we are losing money, please help ASAP!',
  };

  test('keeps the priority and category an agent chose, and never writes what they set', async () => {
    const ticket = pendingTicket(12, {
      ...outage,
      priority: 'low',
      category: 'billing',
      version: 3,
      assigneeId: 'ada',
    });
    store(ticket, [
      agentPriority,
      {
        version: 3,
        at: agentPriority.at,
        by: { id: 'ada', role: 'agent' },
        changes: [{ field: 'category', from: 'general', to: 'billing' }],
      },
    ]);

    await completion().complete(ticketsNamed(ticket.id));

    const values = writes()[0]!.update.ExpressionAttributeValues!;
    expect(values[':priority']).toBe('low');
    expect(values[':category']).toBe('billing');
    expect(values[':expected']).toBe(3);
    expect(writes()[0]!.entry.changes).toEqual([{ field: 'analysis', from: 'pending', to: 'complete' }]);
  });

  test('keeps a provisional priority an agent confirmed unchanged (recorded with the same value before and after)', async () => {
    const ticket = pendingTicket(15, { ...outage, priority: 'normal', version: 2 });
    store(ticket, [{ ...agentPriority, changes: [{ field: 'priority', from: 'normal', to: 'normal' }] }]);

    await completion().complete(ticketsNamed(ticket.id));

    expect(writes()[0]!.update.ExpressionAttributeValues![':priority']).toBe('normal');
    expect(writes()[0]!.entry.changes).not.toContainEqual(expect.objectContaining({ field: 'priority' }));
  });

  test('fills in priority from the analysis while nobody has chosen one, recording the change', async () => {
    const ticket = pendingTicket(13, { ...outage, priority: 'normal' });
    store(ticket);

    await completion().complete(ticketsNamed(ticket.id));

    const { update, entry } = writes()[0]!;
    const priority: unknown = update.ExpressionAttributeValues![':priority'];
    expect(priority).not.toBe('normal');
    expect(entry.changes).toContainEqual({ field: 'priority', from: 'normal', to: priority });
    // The triage index follows the priority.
    expect(String(update.ExpressionAttributeValues![':statusRangeKey'])).toMatch(
      new RegExp(`^\\d#${ticket.createdAt}#${ticket.id}$`),
    );
  });

  test("a priority analysis decides moves the due times by the difference between the priorities' targets", async () => {
    const ticket = pendingTicket(16, { ...outage, priority: 'normal' });
    store(ticket);

    await completion().complete(ticketsNamed(ticket.id));

    const { update } = writes()[0]!;
    const priority = update.ExpressionAttributeValues![':priority'] as Ticket['priority'];
    const expected = clockAfter(ticket, { priority }, NOW, DEFAULT_SERVICE_LEVEL_TARGETS);
    expect(expected.firstResponseDueAt).not.toBe(ticket.sla.firstResponseDueAt);
    expect(update.ExpressionAttributeValues![':sla']).toEqual(expected);
    expect(update.ExpressionAttributeValues![':dueKey']).toBe(`${expected.firstResponseDueAt}#${ticket.id}`);
    // Decided before any first response: one given meanwhile has the write decided again.
    expect(update.ConditionExpression).toContain('attribute_not_exists(#firstResponseAt)');
  });

  test('a completion that leaves the priority as it was leaves the due times alone', async () => {
    const ticket = pendingTicket(17, { priority: 'low' });
    store(ticket, [{ ...agentPriority, changes: [{ field: 'priority', from: 'normal', to: 'low' }] }]);

    await completion().complete(ticketsNamed(ticket.id));

    expect(writes()[0]!.update.UpdateExpression).not.toContain('#sla');
  });

  test('a write that loses to an agent is re-read and re-applied on the new version, keeping their priority', async () => {
    // An outage in too few words for the box to tell its language: Comprehend is asked for it.
    const ticket = pendingTicket(14, { ...outage, description: 'Production database down, losing money, ASAP!' });
    store(ticket);
    let attempts = 0;
    dynamo.on(TransactWriteCommand).callsFake(() => {
      attempts += 1;
      if (attempts === 1) {
        // The agent's change lands between the read and the write.
        store({ ...ticket, priority: 'low', version: 2 }, [agentPriority]);
        throw lostRace(2);
      }
      return {};
    });

    const results = await completion().complete(ticketsNamed(ticket.id));

    expect(results.get(ticket.id)).toBe('completed');
    const [first, second] = writes();
    expect(first!.update.ExpressionAttributeValues![':expected']).toBe(1);
    expect(second!.update.ExpressionAttributeValues![':expected']).toBe(2);
    expect(second!.update.ExpressionAttributeValues![':priority']).toBe('low');
    expect(second!.entry.version).toBe(3);
    // Comprehend is not asked again: the text it read is unchanged.
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand)).toHaveLength(1);
  });

  test('gives up after a few lost races, leaving the ticket for Lambda to retry', async () => {
    const ticket = pendingTicket(15);
    store(ticket);
    dynamo.on(TransactWriteCommand).rejects(lostRace(1));
    const records = [record(ticket)];

    const response = await completeRecords(records);

    expect(writes()).toHaveLength(3);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.dynamodb!.SequenceNumber }]);
  });

  test('a ticket completed by someone else meanwhile is left alone', async () => {
    const ticket = pendingTicket(16);
    store(ticket);
    dynamo.on(TransactWriteCommand).callsFake(() => {
      store({ ...ticket, version: 2, analysis: { ...ticket.analysis, status: 'complete' } });
      throw lostRace(2);
    });

    expect((await completion().complete(ticketsNamed(ticket.id))).get(ticket.id)).toBe('skipped');
    expect(writes()).toHaveLength(1);
  });
});

describe('completing a pending comment', () => {
  /** What the table holds of comments, served to the repository's GetItem by key. */
  const comments = new Map<string, Comment>();

  beforeEach(() => {
    comments.clear();
    dynamo.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
      const found = [...comments.values()]
        .map((comment) => toCommentItem(comment))
        .find((item) => item.pk === input.Key.pk && item.sk === input.Key.sk);
      return found ? { Item: found } : {};
    });
    dynamo.on(UpdateCommand).resolves({});
  });

  const pendingComment = (n: number, overrides: Partial<Comment> = {}): Comment => ({
    id: `01HZXC0MMENT${String(n).padStart(14, '0')}`,
    ticketId: ticketId(n),
    author: { id: 'alice', role: 'customer' },
    body: 'The export still fails; please refund the order to my account 123456789 today.',
    visibility: 'public',
    createdAt: NOW,
    analysis: { status: 'pending', language: null, sentiment: null, redactions: [] },
    ...overrides,
  });

  /** A stream record of a comment's item, as the event source mapping delivers it. */
  function commentRecord(comment: Comment): DynamoDBRecord {
    sequence += 1;
    const item = toCommentItem(comment);
    return {
      eventID: `event-${sequence}`,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { pk: { S: String(item.pk) }, sk: { S: String(item.sk) } },
        NewImage: marshall(item, { removeUndefinedValues: true }) as never,
        SequenceNumber: String(1000 + sequence),
      },
    };
  }

  const commentUpdates = (): UpdateCommandInput[] =>
    dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);

  const findsTheAccount = () =>
    comprehend.on(DetectPiiEntitiesCommand).callsFake((input: { Text: string }) => {
      const begin = input.Text.indexOf('123456789');
      return {
        Entities:
          begin < 0 ? [] : [{ Type: 'BANK_ACCOUNT_NUMBER', Score: 0.99, BeginOffset: begin, EndOffset: begin + 9 }],
      };
    });

  test("stores language, sentiment and the body re-redacted with Comprehend's findings, only while still pending", async () => {
    const comment = pendingComment(31, {
      visibility: 'internal',
      author: { id: 'ada', role: 'agent' },
      analysis: { status: 'pending', language: null, sentiment: null, redactions: [{ type: 'PIN', count: 1 }] },
    });
    comments.set(comment.id, comment);
    findsTheAccount();

    expect(await completeRecords([commentRecord(comment)])).toEqual({ batchItemFailures: [] });

    const [update, ...others] = commentUpdates();
    expect(others).toHaveLength(0);
    expect(update).toMatchObject({
      Key: { pk: `TICKET#${comment.ticketId}`, sk: `COMMENT#INTERNAL#${comment.id}` },
      ConditionExpression: 'attribute_exists(pk) AND #analysis.#status = :pending',
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':body': 'The export still fails; please refund the order to my account [REDACTED:BANK_ACCOUNT_NUMBER] today.',
        ':analysis': {
          status: 'complete',
          language: 'en',
          sentiment: { label: 'NEGATIVE' },
          // The counts stored when the comment was written, and what the completion redacted.
          redactions: [
            { type: 'BANK_ACCOUNT_NUMBER', count: 1 },
            { type: 'PIN', count: 1 },
          ],
        },
      },
    });
    // Nothing of the ticket is written: no version, no history entry.
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  test('tickets and comments of one batch go to Comprehend together, each completed its own way', async () => {
    const ticket = pendingTicket(32);
    store(ticket);
    // Both in too few words for the box to tell their language: Comprehend is asked for both.
    const comment = pendingComment(32, { body: 'Export: still failing, refund order 123456789 today.' });
    comments.set(comment.id, comment);

    const response = await completeRecords([record(ticket), commentRecord(comment), commentRecord(comment)]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand)).toHaveLength(1);
    expect(comprehend.commandCalls(BatchDetectDominantLanguageCommand)[0]!.args[0].input.TextList).toHaveLength(2);
    expect(comprehend.commandCalls(BatchDetectSentimentCommand)[0]!.args[0].input.TextList).toHaveLength(2);
    // Nothing reads a comment's key phrases: only the ticket's are paid for.
    const keyPhraseTexts = comprehend
      .commandCalls(BatchDetectKeyPhrasesCommand)
      .flatMap((call) => call.args[0].input.TextList ?? []);
    expect(keyPhraseTexts).toEqual([ticket.subject + '\n\n' + ticket.description]);
    expect(writes()).toHaveLength(1);
    expect(commentUpdates()).toHaveLength(1);
    expect(commentUpdates()[0]).toMatchObject({ ExpressionAttributeValues: { ':analysis': { status: 'complete' } } });
  });

  test('skips comments that are gone or no longer pending', async () => {
    const done = pendingComment(33, {
      analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
    });
    comments.set(done.id, done);
    const gone = pendingComment(34);

    const response = await completeRecords([commentRecord(done), commentRecord(gone)]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(commentUpdates()).toHaveLength(0);
    expect(comprehend.calls()).toHaveLength(0);
  });

  test('a comment completed (or deleted) meanwhile is left alone: its lost condition is not retried', async () => {
    const completedMeanwhile = pendingComment(35);
    const deletedMeanwhile = pendingComment(36);
    comments.set(completedMeanwhile.id, completedMeanwhile);
    comments.set(deletedMeanwhile.id, deletedMeanwhile);
    dynamo
      .on(UpdateCommand, { Key: toCommentKey(completedMeanwhile) })
      .rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {}, Item: marshall({ id: 'x' }) }));
    dynamo
      .on(UpdateCommand, { Key: toCommentKey(deletedMeanwhile) })
      .rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

    const results = await completion().complete([
      { kind: 'comment', comment: completedMeanwhile },
      { kind: 'comment', comment: deletedMeanwhile },
    ]);

    expect(results.get(completedMeanwhile.id)).toBe('skipped');
    expect(results.get(deletedMeanwhile.id)).toBe('skipped');
  });

  test('while Comprehend or the table fails, every record of the comment is named for Lambda to retry', async () => {
    const unanalyzed = pendingComment(37);
    comments.set(unanalyzed.id, unanalyzed);
    comprehend
      .onAnyCommand()
      .rejects(
        Object.assign(new Error('down'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } }),
      );
    const records = [commentRecord(unanalyzed), commentRecord(unanalyzed)];

    expect(await completeRecords(records)).toEqual({
      batchItemFailures: records.map((one) => ({ itemIdentifier: one.dynamodb!.SequenceNumber })),
    });
    expect(commentUpdates()).toHaveLength(0);

    comprehend.reset();
    answerComprehend();
    dynamo
      .on(UpdateCommand)
      .rejects(
        Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      );
    const unstored = commentRecord(unanalyzed);
    expect(await completeRecords([unstored])).toEqual({
      batchItemFailures: [{ itemIdentifier: unstored.dynamodb!.SequenceNumber }],
    });
  });
});

const toCommentKey = (comment: Comment) => {
  const { pk, sk } = toCommentItem(comment);
  return { pk, sk };
};
