/**
 * The partial batch response of a stream batch, with the reading of a
 * record's ticket given as the composition root gives it: each ticket worked
 * through once, its records retried by sequence number, records that name no
 * ticket passed over.
 */
import { beforeEach, expect, jest, test } from '@jest/globals';
import type { DynamoDBRecord } from 'aws-lambda';
import { logger } from '../../../layers/shared/src/logger.js';
import { batchResponseFor, type TicketIdOfRecord } from '../../../layers/shared/src/stream/ticket-records.js';

const loggedErrors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

beforeEach(() => {
  loggedErrors.mockClear();
});

/** Here a record names the ticket in its `id` key; the table's own layout is the repository's test. */
const ticketIdOf: TicketIdOfRecord = (record) => record?.dynamodb?.Keys?.id?.S;

const recordOf = (ticketId: string | undefined, sequenceNumber?: string): DynamoDBRecord => ({
  dynamodb: {
    ...(ticketId === undefined ? {} : { Keys: { id: { S: ticketId } } }),
    ...(sequenceNumber === undefined ? {} : { SequenceNumber: sequenceNumber }),
  },
});

test('works through each ticket once and names every record of a ticket still owed work', async () => {
  const processed: string[][] = [];
  const response = await batchResponseFor(
    [recordOf('a', '1'), recordOf('b', '2'), recordOf('a', '3'), recordOf('c', '4')],
    ticketIdOf,
    (ticketIds) => {
      processed.push(ticketIds);
      return Promise.resolve(['a']);
    },
  );
  expect(processed).toEqual([['a', 'b', 'c']]);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '3' }] });
  expect(loggedErrors).not.toHaveBeenCalled();
});

test('passes over, and logs, records that name no ticket or carry no sequence number', async () => {
  const processed: string[][] = [];
  const response = await batchResponseFor(
    [recordOf(undefined, '1'), recordOf('a'), recordOf('b', '3')],
    ticketIdOf,
    (ticketIds) => {
      processed.push(ticketIds);
      return Promise.resolve(ticketIds);
    },
  );
  expect(processed).toEqual([['b']]);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }] });
  expect(loggedErrors).toHaveBeenCalledWith('Stream records without a ticket were skipped', { malformed: 2 });
});
