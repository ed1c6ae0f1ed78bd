/**
 * What a write's failed condition means, read from the SDK error exactly as it
 * arrives (items in DynamoDB's low-level format), and the domain error each
 * refusal becomes.
 */
import { describe, expect, test } from '@jest/globals';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../../layers/shared/src/domain/errors.js';
import {
  idempotentCreateConditionFailure,
  newTicketConditionFailure,
  refusalError,
  versionedWriteConditionFailure,
  type Refusal,
} from '../../../layers/shared/src/repository/condition-failure.js';
import { toTicketItem } from '../../../layers/shared/src/repository/ticket-item.js';
import { aTicket } from '../../support/tickets.js';

const TICKET = aTicket();

const sdkError = (name: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} from the mock`), { name, $metadata: {}, ...fields });
const cancelled = (...reasons: ({ Code: string; Item?: object } | string)[]) =>
  sdkError('TransactionCanceledException', {
    CancellationReasons: reasons.map((reason) => (typeof reason === 'string' ? { Code: reason } : reason)),
  });
const conditionFailed = (item?: Record<string, unknown>) => ({
  Code: 'ConditionalCheckFailed',
  ...(item && { Item: marshall(item, { removeUndefinedValues: true }) }),
});

describe('a new ticket that finds its id taken', () => {
  const failure = (item?: Record<string, unknown>) =>
    newTicketConditionFailure(
      sdkError('ConditionalCheckFailedException', item ? { Item: marshall(item) } : {}),
      TICKET,
    );

  test('finding this very ticket: it was already stored (an SDK retry of a committed put)', () => {
    expect(failure(toTicketItem(TICKET))).toEqual({ kind: 'already_stored' });
  });

  test('finding another ticket under its id: the id is taken', () => {
    expect(failure(toTicketItem({ ...TICKET, subject: 'Someone else' }))).toEqual({
      kind: 'id_taken',
      ticketId: TICKET.id,
    });
    expect(failure(toTicketItem({ ...TICKET, requester: { id: 'bob', email: null } }))).toMatchObject({
      kind: 'id_taken',
    });
  });

  test('without the existing item: the id is taken', () => {
    expect(failure()).toEqual({ kind: 'id_taken', ticketId: TICKET.id });
  });

  test('any other failure is not a condition failure', () => {
    expect(newTicketConditionFailure(sdkError('ThrottlingException'), TICKET)).toBeUndefined();
  });
});

describe('an idempotent create: [the ticket, its idempotency record]', () => {
  const record = { ticketId: 'EARLIER', fingerprint: 'body-digest', expiresAt: 4_102_444_800 };

  test('a record found: the key was used, and the record comes with the failure', () => {
    const error = cancelled('None', conditionFailed(record));
    expect(idempotentCreateConditionFailure(error, TICKET.id)).toEqual({
      kind: 'key_used',
      record: { ticketId: 'EARLIER', fingerprint: 'body-digest' },
    });
  });

  test('a record found but not returned: the key was used, the record is still to be read', () => {
    const error = cancelled('None', 'ConditionalCheckFailed');
    expect(idempotentCreateConditionFailure(error, TICKET.id)).toEqual({ kind: 'key_used', record: null });
  });

  test('the key is free but the id is taken', () => {
    const error = cancelled('ConditionalCheckFailed', 'None');
    expect(idempotentCreateConditionFailure(error, TICKET.id)).toEqual({ kind: 'id_taken', ticketId: TICKET.id });
  });

  test('a transaction conflict is not a condition failure', () => {
    expect(idempotentCreateConditionFailure(cancelled('None', 'TransactionConflict'), TICKET.id)).toBeUndefined();
  });

  test('a malformed record is a fault, not a replay', () => {
    const error = cancelled('None', conditionFailed({ ...record, ticketId: 42 }));
    expect(() => idempotentCreateConditionFailure(error, TICKET.id)).toThrow(
      'Malformed item in the ticket table: idempotency record.ticketId is not a string.',
    );
  });
});

describe('a write guarded by the ticket version: [the ticket, its history entry]', () => {
  const failure = (error: unknown) => versionedWriteConditionFailure(error, TICKET.id, 'at version 1');

  test('no current item: the ticket is gone', () => {
    expect(failure(cancelled('ConditionalCheckFailed', 'None'))).toEqual({ kind: 'not_found', ticketId: TICKET.id });
  });

  test('a current item: the ticket moved on', () => {
    expect(failure(cancelled(conditionFailed({ version: 5 }), 'None'))).toEqual({
      kind: 'version_moved',
      ticketId: TICKET.id,
      expected: 'at version 1',
    });
  });

  test('its history entry already written: the ticket moved on', () => {
    expect(failure(cancelled('None', 'ConditionalCheckFailed'))).toMatchObject({ kind: 'version_moved' });
  });

  test('contention or any other failure is not a condition failure', () => {
    expect(failure(cancelled('TransactionConflict', 'None'))).toBeUndefined();
    expect(failure(sdkError('InternalServerError'))).toBeUndefined();
  });
});

describe('a refusal becomes its domain error', () => {
  test.each<[Refusal, new (...args: never[]) => Error, string]>([
    [{ kind: 'id_taken', ticketId: 'T1' }, ConflictError, 'Ticket T1 already exists.'],
    [{ kind: 'not_found', ticketId: 'T1' }, NotFoundError, 'Ticket T1 does not exist.'],
    [
      { kind: 'version_moved', ticketId: 'T1', expected: 'at version 3 with its analysis pending' },
      PreconditionFailedError,
      'Ticket T1 is no longer at version 3 with its analysis pending.',
    ],
  ])('%j', (refusal, errorClass, message) => {
    const error = refusalError(refusal);
    expect(error).toBeInstanceOf(errorClass);
    expect(error.message).toBe(message);
  });
});
