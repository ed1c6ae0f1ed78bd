/**
 * The partial batch response of a stream batch, with the reading of a
 * record's ticket or comment given as the composition root gives it: each
 * ticket and comment worked through once, its records retried by sequence
 * number, records that name neither passed over.
 */
import { beforeEach, expect, jest, test } from '@jest/globals';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AnalysisSubject } from '../../../layers/shared/src/domain/comment-repository.js';
import { logger } from '../../../layers/shared/src/logger.js';
import { batchResponseFor, type SubjectOfRecord } from '../../../layers/shared/src/stream/stream-records.js';

const loggedErrors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

beforeEach(() => {
  loggedErrors.mockClear();
});

/**
 * Here a record names a ticket in its `id` key, or a comment of it with a
 * `comment` key too; the table's own layout is the repository's test.
 */
const subjectOf: SubjectOfRecord = (record) => {
  const keys = record?.dynamodb?.Keys;
  const ticketId = keys?.id?.S;
  const commentId = keys?.comment?.S;
  if (ticketId === undefined) return undefined;
  return commentId === undefined
    ? { kind: 'ticket', ticketId }
    : { kind: 'comment', comment: { ticketId, id: commentId, visibility: 'public' } };
};

const recordOf = (ticketId: string | undefined, sequenceNumber?: string, commentId?: string): DynamoDBRecord => ({
  dynamodb: {
    ...(ticketId === undefined
      ? {}
      : { Keys: { id: { S: ticketId }, ...(commentId === undefined ? {} : { comment: { S: commentId } }) } }),
    ...(sequenceNumber === undefined ? {} : { SequenceNumber: sequenceNumber }),
  },
});

const names = (subjects: readonly AnalysisSubject[]) =>
  subjects.map((subject) =>
    subject.kind === 'ticket' ? subject.ticketId : `${subject.comment.ticketId}/${subject.comment.id}`,
  );

test('works through each ticket once and names every record of a ticket still owed work', async () => {
  const processed: string[][] = [];
  const response = await batchResponseFor(
    [recordOf('a', '1'), recordOf('b', '2'), recordOf('a', '3'), recordOf('c', '4')],
    subjectOf,
    (subjects) => {
      processed.push(names(subjects));
      return Promise.resolve(subjects.filter((subject) => subject.kind === 'ticket' && subject.ticketId === 'a'));
    },
  );
  expect(processed).toEqual([['a', 'b', 'c']]);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '3' }] });
  expect(loggedErrors).not.toHaveBeenCalled();
});

test("a comment is its own subject, apart from its ticket's: each retried by its own records", async () => {
  const processed: string[][] = [];
  const response = await batchResponseFor(
    [recordOf('a', '1', 'x'), recordOf('a', '2'), recordOf('a', '3', 'x'), recordOf('a', '4', 'y')],
    subjectOf,
    (subjects) => {
      processed.push(names(subjects));
      // A new object naming the same comment counts as that comment.
      return Promise.resolve([{ kind: 'comment', comment: { ticketId: 'a', id: 'x', visibility: 'public' } }]);
    },
  );
  expect(processed).toEqual([['a/x', 'a', 'a/y']]);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '3' }] });
});

test('passes over, and logs, records that name nothing or carry no sequence number', async () => {
  const processed: string[][] = [];
  const response = await batchResponseFor(
    [recordOf(undefined, '1'), recordOf('a'), recordOf('b', '3')],
    subjectOf,
    (subjects) => {
      processed.push(names(subjects));
      return Promise.resolve(subjects);
    },
  );
  expect(processed).toEqual([['b']]);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }] });
  expect(loggedErrors).toHaveBeenCalledWith('Stream records without a ticket or comment were skipped', {
    malformed: 2,
  });
});
