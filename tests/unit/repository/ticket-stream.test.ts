/**
 * Reading the table's stream: the keys table-layout.ts writes, as they come
 * back in a stream record, name the ticket of a ticket item, the comment of a
 * comment item, and nothing else.
 */
import { describe, expect, test } from '@jest/globals';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import {
  commentKey,
  historyKey,
  idempotencyKey,
  TABLE_KEY_ATTRIBUTES,
  ticketItemKeys,
  type Item,
} from '../../../layers/shared/src/repository/table-layout.js';
import { subjectOfStreamRecord } from '../../../layers/shared/src/repository/ticket-stream.js';
import { aTicket } from '../../support/tickets.js';

/** Keys are strings: each as the stream carries a string attribute. */
function stringAttributes(item: Item): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => {
      if (typeof value !== 'string') throw new Error(`${name} is not a string`);
      return [name, { S: value }];
    }),
  );
}

/** The stream record of writing an item with these keys, as the table's stream delivers it with NEW_IMAGE. */
function streamRecordOf(keys: Item): DynamoDBRecord {
  const tableKey = Object.fromEntries(TABLE_KEY_ATTRIBUTES.map((name) => [name, keys[name]]));
  return {
    eventID: '1',
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: stringAttributes(tableKey),
      NewImage: stringAttributes(keys),
      SequenceNumber: '100',
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

const TICKET_ID = '01HZXSTREAM000000000000000';
const COMMENT_ID = '01HZXSTREAMC0MMENT00000000';

describe('subjectOfStreamRecord', () => {
  test("reads the ticket id back from a ticket item's keys as table-layout writes them", () => {
    const ticket = aTicket({ id: TICKET_ID });
    expect(subjectOfStreamRecord(streamRecordOf(ticketItemKeys(ticket)))).toEqual({
      kind: 'ticket',
      ticketId: ticket.id,
    });
  });

  test.each(['public', 'internal'] as const)(
    "reads a %s comment back from its item's keys: its ticket, its id and its visibility",
    (visibility) => {
      expect(subjectOfStreamRecord(streamRecordOf(commentKey(TICKET_ID, COMMENT_ID, visibility)))).toEqual({
        kind: 'comment',
        comment: { ticketId: TICKET_ID, id: COMMENT_ID, visibility },
      });
    },
  );

  test('names nothing for a history entry, an idempotency record or a comment key without an id', () => {
    expect(subjectOfStreamRecord(streamRecordOf(historyKey(TICKET_ID, 2)))).toBeUndefined();
    expect(subjectOfStreamRecord(streamRecordOf(idempotencyKey('alice', 'client-key-1')))).toBeUndefined();
    expect(subjectOfStreamRecord(streamRecordOf({ pk: `TICKET#${TICKET_ID}`, sk: 'COMMENT#PUBLIC#' }))).toBeUndefined();
    expect(
      subjectOfStreamRecord(streamRecordOf({ pk: `TICKET#${TICKET_ID}`, sk: `COMMENT#${COMMENT_ID}` })),
    ).toBeUndefined();
  });

  test('names nothing for a record without keys, with keys of another type, or with an empty id', () => {
    const records: (Partial<DynamoDBRecord> | null)[] = [
      null,
      {},
      { dynamodb: {} },
      { dynamodb: { Keys: { pk: { N: '1' }, sk: { S: 'TICKET' } } } },
      { dynamodb: { Keys: { pk: { S: 'TICKET#01HZXSTREAM000000000000000' } } } },
      { dynamodb: { Keys: { pk: { S: 'TICKET#' }, sk: { S: 'TICKET' } } } },
      { dynamodb: { Keys: { pk: { S: 'TICKET#' }, sk: { S: `COMMENT#PUBLIC#${COMMENT_ID}` } } } },
    ];
    for (const record of records) {
      expect(subjectOfStreamRecord(record)).toBeUndefined();
    }
  });
});
