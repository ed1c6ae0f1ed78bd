/**
 * Reading the table's stream: the keys table-layout.ts writes, as they come
 * back in a stream record, name the ticket of a ticket item and of nothing else.
 */
import { describe, expect, test } from '@jest/globals';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import {
  historyKey,
  idempotencyKey,
  TABLE_KEY_ATTRIBUTES,
  ticketItemKeys,
  type Item,
} from '../../../layers/shared/src/repository/table-layout.js';
import { ticketIdOfStreamRecord } from '../../../layers/shared/src/repository/ticket-stream.js';
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

describe('ticketIdOfStreamRecord', () => {
  test("reads the ticket id back from a ticket item's keys as table-layout writes them", () => {
    const ticket = aTicket({ id: '01HZXSTREAM000000000000000' });
    expect(ticketIdOfStreamRecord(streamRecordOf(ticketItemKeys(ticket)))).toBe(ticket.id);
  });

  test('names no ticket for a history entry or an idempotency record', () => {
    expect(ticketIdOfStreamRecord(streamRecordOf(historyKey('01HZXSTREAM000000000000000', 2)))).toBeUndefined();
    expect(ticketIdOfStreamRecord(streamRecordOf(idempotencyKey('alice', 'client-key-1')))).toBeUndefined();
  });

  test('names no ticket for a record without keys, with keys of another type, or with an empty id', () => {
    const records: (Partial<DynamoDBRecord> | null)[] = [
      null,
      {},
      { dynamodb: {} },
      { dynamodb: { Keys: { pk: { N: '1' }, sk: { S: 'TICKET' } } } },
      { dynamodb: { Keys: { pk: { S: 'TICKET#01HZXSTREAM000000000000000' } } } },
      { dynamodb: { Keys: { pk: { S: 'TICKET#' }, sk: { S: 'TICKET' } } } },
    ];
    for (const record of records) {
      expect(ticketIdOfStreamRecord(record)).toBeUndefined();
    }
  });
});
