/**
 * Which stream record becomes which event, and what its detail holds: ids,
 * who and what changed, never a ticket's or a comment's text.
 */
import { describe, expect, test } from '@jest/globals';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { itemOfStreamKeys } from '../../../layers/shared/src/repository/ticket-stream.js';
import { MalformedRecordError } from '../../../layers/shared/src/events/record-image.js';
import { eventOfRecord } from '../../../layers/shared/src/events/ticket-events.js';

const ID = '01HZXEVENTS000000000000000';
const COMMENT_ID = '01HZXCOMMENT00000000000000';
const pk = `TICKET#${ID}`;

const ticketItem = (overrides: Record<string, unknown> = {}) => ({
  pk,
  sk: 'TICKET',
  id: ID,
  subject: 'Cannot log in',
  description: 'The login page rejects my password.',
  status: 'open',
  priority: 'high',
  category: 'account',
  tags: ['vip'],
  requester: { id: 'alice', email: 'alice@example.com' },
  assigneeId: null,
  channel: 'web',
  analysis: {
    status: 'complete',
    language: 'en',
    sentiment: { label: 'NEGATIVE', scores: { positive: 0, negative: 1, neutral: 0, mixed: 0 } },
    keyPhrases: ['login page'],
    urgent: true,
    redactions: [{ type: 'PASSWORD', count: 1 }],
    signals: { priority: [{ kind: 'cannot_log_in', phrase: 'rejects my password' }], category: [] },
  },
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  version: 1,
  ...overrides,
});

const historyItem = (overrides: Record<string, unknown> = {}) => ({
  pk,
  sk: 'HISTORY#0000000002',
  version: 2,
  at: '2026-11-27T10:05:00.000Z',
  by: { id: 'ada', role: 'agent' },
  changes: [
    { field: 'status', from: 'open', to: 'in_progress' },
    { field: 'assigneeId', from: null, to: 'ada' },
    { field: 'tags', from: ['vip'], to: ['vip', 'secret-tag-value'] },
  ],
  ...overrides,
});

const commentItem = (overrides: Record<string, unknown> = {}) => ({
  pk,
  sk: `COMMENT#PUBLIC#${COMMENT_ID}`,
  id: COMMENT_ID,
  ticketId: ID,
  author: { id: 'ada', role: 'agent' },
  body: 'Which browser do you use?',
  visibility: 'public',
  createdAt: '2026-11-27T10:10:00.000Z',
  analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
  ...overrides,
});

type Item = Record<string, unknown>;

function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { NewImage?: Item; OldImage?: Item },
  eventID = 'change-1',
): DynamoDBRecord {
  const item = images.NewImage ?? images.OldImage!;
  return {
    eventID,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      ...(images.NewImage && { NewImage: marshall(images.NewImage) as never }),
      ...(images.OldImage && { OldImage: marshall(images.OldImage) as never }),
      SequenceNumber: '100',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const eventOf = (streamRecord: Partial<DynamoDBRecord>) => eventOfRecord(streamRecord, itemOfStreamKeys);

describe('records that become events', () => {
  test('a new ticket is Ticket Created, with its ids and vocabulary at its creation time', () => {
    expect(eventOf(record('INSERT', { NewImage: ticketItem() }))).toEqual({
      detailType: 'Ticket Created',
      time: '2026-11-27T10:00:00.000Z',
      detail: {
        ticketId: ID,
        changeId: 'change-1',
        version: 1,
        requesterId: 'alice',
        status: 'open',
        priority: 'high',
        category: 'account',
        channel: 'web',
        assigneeId: null,
        analysisStatus: 'complete',
        createdAt: '2026-11-27T10:00:00.000Z',
      },
    });
  });

  test("a person's history entry is Ticket Updated: values of ids and vocabulary, only the name of tags", () => {
    expect(eventOf(record('INSERT', { NewImage: historyItem() }))).toEqual({
      detailType: 'Ticket Updated',
      time: '2026-11-27T10:05:00.000Z',
      detail: {
        ticketId: ID,
        changeId: 'change-1',
        version: 2,
        at: '2026-11-27T10:05:00.000Z',
        by: { id: 'ada', role: 'agent' },
        changes: [
          { field: 'status', from: 'open', to: 'in_progress' },
          { field: 'assigneeId', from: null, to: 'ada' },
          { field: 'tags' },
        ],
      },
    });
    const byCustomer = historyItem({
      by: { id: 'alice', role: 'customer' },
      changes: [{ field: 'status', from: 'resolved', to: 'closed' }],
    });
    expect(eventOf(record('INSERT', { NewImage: byCustomer }))?.detail).toMatchObject({
      by: { id: 'alice', role: 'customer' },
      changes: [{ field: 'status', from: 'resolved', to: 'closed' }],
    });
  });

  test('a field this code does not know is named without its values', () => {
    const entry = historyItem({ changes: [{ field: 'sla', from: { x: 1 }, to: { x: 2 } }] });
    expect(eventOf(record('INSERT', { NewImage: entry }))?.detail.changes).toEqual([{ field: 'sla' }]);
  });

  test("a new comment is Comment Added, with the status move it made; an internal note's key reads as a comment too", () => {
    const statusChange = { from: 'in_progress', to: 'waiting_on_customer' };
    expect(eventOf(record('INSERT', { NewImage: commentItem({ statusChange }) }))).toEqual({
      detailType: 'Comment Added',
      time: '2026-11-27T10:10:00.000Z',
      detail: {
        ticketId: ID,
        changeId: 'change-1',
        commentId: COMMENT_ID,
        author: { id: 'ada', role: 'agent' },
        visibility: 'public',
        createdAt: '2026-11-27T10:10:00.000Z',
        statusChange,
      },
    });
    const note = commentItem({ sk: `COMMENT#INTERNAL#${COMMENT_ID}`, visibility: 'internal' });
    expect(eventOf(record('INSERT', { NewImage: note }))?.detail).toMatchObject({
      visibility: 'internal',
      statusChange: null,
    });
    // A key outside the table's layout names no comment: the repository reads keys, and no other reader guesses.
    const stray = commentItem({ sk: `COMMENT#${COMMENT_ID}` });
    expect(eventOf(record('INSERT', { NewImage: stray }))).toBeNull();
  });

  test("a ticket's analysis leaving pending is Analysis Completed: outcome without text, redactions as counts", () => {
    const before = ticketItem({ analysis: { ...ticketItem().analysis, status: 'pending', language: null } });
    const after = ticketItem({ version: 2, updatedAt: '2026-11-27T10:01:00.000Z' });
    expect(eventOf(record('MODIFY', { OldImage: before, NewImage: after }))).toEqual({
      detailType: 'Analysis Completed',
      time: '2026-11-27T10:01:00.000Z',
      detail: {
        ticketId: ID,
        changeId: 'change-1',
        version: 2,
        status: 'complete',
        language: 'en',
        sentiment: 'NEGATIVE',
        redactions: [{ type: 'PASSWORD', count: 1 }],
        urgent: true,
        priority: 'high',
        category: 'account',
      },
    });
    const failed = ticketItem({ analysis: { ...ticketItem().analysis, status: 'failed', sentiment: null } });
    expect(eventOf(record('MODIFY', { OldImage: before, NewImage: failed }))?.detail).toMatchObject({
      status: 'failed',
      sentiment: null,
    });
  });

  test("a comment's analysis leaving pending is Analysis Completed with the comment's id, at the record's time", () => {
    const before = commentItem({ analysis: { status: 'pending', language: null, sentiment: null, redactions: [] } });
    const after = commentItem({
      analysis: {
        status: 'complete',
        language: 'en',
        sentiment: { label: 'NEUTRAL', scores: { positive: 0, negative: 0, neutral: 1, mixed: 0 } },
        redactions: [{ type: 'CREDIT_DEBIT_NUMBER', count: 2 }],
      },
    });
    expect(eventOf(record('MODIFY', { OldImage: before, NewImage: after }))).toEqual({
      detailType: 'Analysis Completed',
      time: new Date(1_795_000_000 * 1000).toISOString(),
      detail: {
        ticketId: ID,
        changeId: 'change-1',
        commentId: COMMENT_ID,
        status: 'complete',
        language: 'en',
        sentiment: 'NEUTRAL',
        redactions: [{ type: 'CREDIT_DEBIT_NUMBER', count: 2 }],
      },
    });
  });
});

describe('records that become no event', () => {
  const pendingTicket = ticketItem({ analysis: { ...ticketItem().analysis, status: 'pending' } });

  test.each([
    ['a status move made by a comment', record('INSERT', { NewImage: historyItem({ commentId: COMMENT_ID }) })],
    [
      "the analysis's history entry",
      record('INSERT', { NewImage: historyItem({ by: { id: 'analysis', role: 'system' } }) }),
    ],
    [
      'an update of the ticket item (published from its history entry)',
      record('MODIFY', { OldImage: ticketItem(), NewImage: ticketItem({ status: 'in_progress', version: 2 }) }),
    ],
    [
      'a ticket still pending',
      record('MODIFY', { OldImage: pendingTicket, NewImage: { ...pendingTicket, version: 2 } }),
    ],
    ['a comment modified otherwise', record('MODIFY', { OldImage: commentItem(), NewImage: commentItem() })],
    ['a removal (TTL)', record('REMOVE', { OldImage: ticketItem() })],
    [
      'an idempotency record',
      record('INSERT', {
        NewImage: { pk: 'IDEMPOTENCY#alice#abc', sk: 'IDEMPOTENCY', ticketId: ID, expiresAt: 1 },
      }),
    ],
    [
      "a comment's idempotency record",
      record('INSERT', {
        NewImage: { pk: 'IDEMPOTENCY#alice#abc', sk: `IDEMPOTENCY#COMMENT#${ID}`, commentId: COMMENT_ID },
      }),
    ],
    ['an item of no known kind', record('INSERT', { NewImage: { pk, sk: 'SOMETHING' } })],
    ['a history entry modified', record('MODIFY', { OldImage: historyItem(), NewImage: historyItem() })],
  ])('%s', (_name, streamRecord) => {
    expect(eventOf(streamRecord)).toBeNull();
  });
});

describe('malformed records', () => {
  test.each([
    ['no keys', { eventID: 'x', eventName: 'INSERT', dynamodb: {} }],
    ['no eventID', { ...record('INSERT', { NewImage: ticketItem() }), eventID: undefined }],
    [
      'no new image',
      { ...record('INSERT', { NewImage: ticketItem() }), dynamodb: { Keys: marshall({ pk, sk: 'TICKET' }) } },
    ],
    ['an attribute of the wrong type', record('INSERT', { NewImage: ticketItem({ version: 'one' }) })],
    ['a missing attribute', record('INSERT', { NewImage: { pk, sk: 'TICKET', id: ID } })],
    ['a time that is no date', record('INSERT', { NewImage: historyItem({ at: 'yesterday' }) })],
    [
      'an image that is not DynamoDB JSON',
      {
        ...record('INSERT', { NewImage: ticketItem() }),
        dynamodb: { Keys: marshall({ pk, sk: 'TICKET' }), NewImage: { version: { Q: 1 } } },
      },
    ],
  ] as [string, Partial<DynamoDBRecord>][])(
    '%s is a MalformedRecordError that quotes nothing of the record',
    (_name, streamRecord) => {
      let thrown: unknown;
      try {
        eventOf(streamRecord);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MalformedRecordError);
      expect((thrown as Error).message).not.toMatch(/log in|password|alice@|one/);
    },
  );
});

describe('no text or personal data in any detail', () => {
  const MARKER = 'ZZMARKERZZ';
  const marked = {
    subject: `Subject ${MARKER}`,
    description: `Description ${MARKER}`,
    requester: { id: 'alice', email: `${MARKER}@example.com` },
    tags: [`tag-${MARKER}`],
    analysis: {
      ...ticketItem().analysis,
      keyPhrases: [MARKER],
      signals: { priority: [{ kind: 'x', phrase: MARKER }], category: [] },
    },
  };

  test('whatever a ticket, an update or a comment holds, the marker never reaches an event', () => {
    const pending = { ...marked.analysis, status: 'pending' };
    const records = [
      record('INSERT', { NewImage: ticketItem(marked) }),
      record('MODIFY', { OldImage: ticketItem({ ...marked, analysis: pending }), NewImage: ticketItem(marked) }),
      record('INSERT', {
        NewImage: historyItem({ changes: [{ field: 'tags', from: [], to: [`tag-${MARKER}`] }] }),
      }),
      record('INSERT', { NewImage: commentItem({ body: `Body ${MARKER}` }) }),
      record('MODIFY', {
        OldImage: commentItem({
          body: MARKER,
          analysis: { status: 'pending', language: null, sentiment: null, redactions: [] },
        }),
        NewImage: commentItem({ body: MARKER }),
      }),
    ];
    const events = records.map(eventOf);
    expect(events.every((event) => event !== null)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(MARKER);
  });
});
