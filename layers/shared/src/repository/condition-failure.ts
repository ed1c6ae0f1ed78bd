import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError, PreconditionFailedError, type DomainError } from '../domain/errors.js';
import type { Ticket } from '../domain/ticket.js';
import type { IdempotencyRecord } from '../domain/ticket-repository.js';
import { idempotencyRecordFromItem } from './idempotency.js';
import { cancellationReasons } from './sdk-errors.js';

/*
 * What a write's failed condition means. The same DynamoDB answer means
 * something different to each write, so each write has its reading here; the
 * outcomes that are errors become domain errors in one place, `refusalError`.
 * An item carried by the error (ReturnValuesOnConditionCheckFailure) arrives
 * in DynamoDB's low-level format: errors bypass the document client's
 * unmarshalling.
 */

export type ConditionFailure =
  /** A create found this very ticket: the SDK retried a put whose answer was lost after it committed. */
  | { kind: 'already_stored' }
  | { kind: 'id_taken'; ticketId: string }
  /** An idempotent create found its key used; the record comes with the failure when DynamoDB returns it. */
  | { kind: 'key_used'; record: IdempotencyRecord | null }
  | { kind: 'not_found'; ticketId: string }
  /** The ticket is no longer in the state the write expected (`expected` says which, for the message). */
  | { kind: 'version_moved'; ticketId: string; expected: string };

/** The failures that reach the caller as errors. */
export type Refusal = Extract<ConditionFailure, { kind: 'id_taken' | 'not_found' | 'version_moved' }>;

/** A plain put of a new ticket, with the existing item returned on failure. */
export function newTicketConditionFailure(
  error: unknown,
  ticket: Ticket,
): Extract<ConditionFailure, { kind: 'already_stored' | 'id_taken' }> | undefined {
  const reasons = failedConditions(error);
  if (!reasons) return undefined;
  const existing = reasons[0]?.Item;
  return existing && isSameTicket(unmarshall(existing), ticket)
    ? { kind: 'already_stored' }
    : { kind: 'id_taken', ticketId: ticket.id };
}

/** A transaction of [the ticket, its idempotency record], the record returned on failure. */
export function idempotentCreateConditionFailure(
  error: unknown,
  ticketId: string,
): Extract<ConditionFailure, { kind: 'key_used' | 'id_taken' }> | undefined {
  const [ticketReason, recordReason] = failedConditions(error) ?? [];
  if (isConditionFailed(recordReason)) {
    const record = recordReason?.Item ? idempotencyRecordFromItem(unmarshall(recordReason.Item)) : null;
    return { kind: 'key_used', record };
  }
  return isConditionFailed(ticketReason) ? { kind: 'id_taken', ticketId } : undefined;
}

/**
 * A transaction of [the ticket, guarded by its version, with the current item
 * returned on failure; its new history entry]. No current item means the
 * ticket is gone; anything else, that it moved on.
 */
export function versionedWriteConditionFailure(
  error: unknown,
  ticketId: string,
  expected: string,
): Extract<ConditionFailure, { kind: 'not_found' | 'version_moved' }> | undefined {
  const reasons = failedConditions(error);
  if (!reasons) return undefined;
  const [ticketReason] = reasons;
  return isConditionFailed(ticketReason) && !ticketReason?.Item
    ? { kind: 'not_found', ticketId }
    : { kind: 'version_moved', ticketId, expected };
}

/**
 * A comment's transaction (write-requests.ts, commentTransaction): the
 * ticket's reason first, the idempotency record's last. A used key wins: the
 * request was made before, whatever the ticket did since.
 */
export function commentConditionFailure(
  error: unknown,
  ticketId: string,
  expectedVersion: number,
  withRecord: boolean,
):
  | Extract<ConditionFailure, { kind: 'not_found' | 'version_moved' }>
  | { kind: 'comment_key_used'; item: Record<string, unknown> | null }
  | { kind: 'comment_stored' }
  | undefined {
  const reasons = failedConditions(error);
  if (!reasons) return undefined;
  const [ticketReason, commentReason] = reasons;
  const recordReason = withRecord ? reasons.at(-1) : undefined;
  if (isConditionFailed(recordReason)) {
    return { kind: 'comment_key_used', item: recordReason?.Item ? unmarshall(recordReason.Item) : null };
  }
  if (isConditionFailed(ticketReason)) {
    return ticketReason?.Item
      ? { kind: 'version_moved', ticketId, expected: `at version ${expectedVersion}` }
      : { kind: 'not_found', ticketId };
  }
  // The SDK retried a transaction whose answer was lost after it committed: this very comment is stored.
  return isConditionFailed(commentReason) ? { kind: 'comment_stored' } : undefined;
}

/** The one place a refused write becomes a domain error. */
export function refusalError(refusal: Refusal): DomainError {
  switch (refusal.kind) {
    case 'id_taken':
      return new ConflictError(`Ticket ${refusal.ticketId} already exists.`);
    case 'not_found':
      return new NotFoundError(`Ticket ${refusal.ticketId} does not exist.`);
    case 'version_moved':
      return new PreconditionFailedError(`Ticket ${refusal.ticketId} is no longer ${refusal.expected}.`);
  }
}

/** The cancellation reasons of a write that failed at least one of its conditions. */
function failedConditions(error: unknown): CancellationReason[] | undefined {
  const reasons = cancellationReasons(error);
  return reasons?.some(isConditionFailed) ? reasons : undefined;
}

const isConditionFailed = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';

/** The existing item is this very ticket as this request wrote it, not another one with its id. */
function isSameTicket(existing: Record<string, unknown>, ticket: Ticket): boolean {
  const same = (name: 'id' | 'version' | 'createdAt' | 'subject' | 'description') => existing[name] === ticket[name];
  const { requester } = existing;
  const sameRequester =
    typeof requester === 'object' && requester !== null && 'id' in requester && requester.id === ticket.requester.id;
  return same('id') && same('version') && same('createdAt') && sameRequester && same('subject') && same('description');
}
