import type { PutCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CommentWrite } from '../domain/comment-repository.js';
import type { HistoryEntry, Ticket } from '../domain/ticket.js';
import type { AnalysisCompletionWrite, IdempotencyClaim, ServiceLevelsWrite } from '../domain/ticket-repository.js';
import { toCommentIdempotencyItem, toCommentItem } from './comment-item.js';
import { toIdempotencyItem } from './idempotency.js';
import { dueRangeKey, INDEXES, statusPartition, statusRangeKey, ticketKey } from './table-layout.js';
import { CONVERSATION_ATTRIBUTES, toHistoryItem, toNewTicketItem, toTicketItem } from './ticket-item.js';

/*
 * The writes the repository sends, each with the conditions that keep the
 * table consistent. On a failed condition, ReturnValuesOnConditionCheckFailure
 * lets condition-failure.ts tell what happened without another read.
 */

/** A new ticket, only if its id is free. */
export const newTicketPut = (tableName: string, ticket: Ticket): PutCommandInput => ({
  TableName: tableName,
  Item: toNewTicketItem(ticket),
  ConditionExpression: 'attribute_not_exists(pk)',
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
});

/**
 * A new ticket and its idempotency record, each only if absent, so concurrent
 * creates with one key store exactly one ticket. An expired record that TTL has
 * not yet deleted counts as absent.
 */
export function idempotentCreate(
  tableName: string,
  ticket: Ticket,
  claim: IdempotencyClaim,
  nowSeconds: number,
): TransactWriteCommandInput {
  const ticketPut = {
    TableName: tableName,
    Item: toNewTicketItem(ticket),
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  const recordPut = {
    TableName: tableName,
    Item: toIdempotencyItem(ticket.requester.id, claim, ticket.id, nowSeconds),
    ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
    ExpressionAttributeValues: { ':now': nowSeconds },
    // The cancellation reason then carries the earlier record: no extra read.
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  return { TransactItems: [{ Put: ticketPut }, { Put: recordPut }] };
}

/**
 * The next version of a ticket, only if the stored one is still at
 * `expectedVersion`, and its history entry. An UpdateItem setting every
 * attribute of the ticket's own (index keys included), not a Put: its
 * conversation is left to the comments, whose writes do not always move the
 * version, so a comment added meanwhile is never undone.
 */
export function versionedUpdate(
  tableName: string,
  next: Ticket,
  expectedVersion: number,
  entry: HistoryEntry,
): TransactWriteCommandInput {
  const { pk, sk, ...attributes } = toTicketItem(next);
  const names = Object.keys(attributes);
  const ticketUpdate = {
    TableName: tableName,
    Key: { pk, sk },
    UpdateExpression: `SET ${names.map((_, index) => `#a${index} = :a${index}`).join(', ')}`,
    ConditionExpression: `attribute_exists(pk) AND #version = :expected${noFirstResponseSince(next.firstResponseAt)}`,
    ExpressionAttributeNames: {
      ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
      '#version': 'version',
      ...(next.firstResponseAt === null && { '#firstResponseAt': CONVERSATION_ATTRIBUTES.firstResponseAt }),
    },
    ExpressionAttributeValues: {
      ...Object.fromEntries(names.map((name, index) => [`:a${index}`, attributes[name]])),
      ':expected': expectedVersion,
    },
    // Tells a deleted ticket (no item) from a stale version (the current item).
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  return { TransactItems: [{ Update: ticketUpdate }, { Put: historyPut(tableName, next.id, entry) }] };
}

/** The fields a completed analysis sets, each to the value of the same name. */
const COMPLETED_FIELDS = ['subject', 'description', 'priority', 'category', 'analysis', 'updatedAt'] as const;

/**
 * An UpdateItem, not a Put: only the fields analysis decides are written, so
 * whatever else an agent set stays as it is even in principle. The byStatus
 * sort key follows the priority, as on every write.
 */
export function analysisCompletion(tableName: string, completion: AnalysisCompletionWrite): TransactWriteCommandInput {
  const { id, expectedVersion, entry, serviceLevels } = completion;
  const dueTimes = serviceLevels && serviceLevelUpdate(id, serviceLevels);
  const ticketUpdate = {
    TableName: tableName,
    Key: ticketKey(id),
    UpdateExpression:
      'SET #subject = :subject, #description = :description, #priority = :priority, ' +
      '#category = :category, #analysis = :analysis, #updatedAt = :updatedAt, ' +
      `#version = :next, #statusRangeKey = :statusRangeKey${dueTimes ? `, ${dueTimes.sets.join(', ')}` : ''}`,
    ConditionExpression:
      'attribute_exists(pk) AND #version = :expected AND #analysis.#status = :pending' + (dueTimes?.condition ?? ''),
    ExpressionAttributeNames: {
      ...Object.fromEntries(COMPLETED_FIELDS.map((field) => [`#${field}`, field])),
      '#status': 'status',
      '#version': 'version',
      '#statusRangeKey': INDEXES.byStatus.rangeKey,
      ...dueTimes?.names,
    },
    ExpressionAttributeValues: {
      ...Object.fromEntries(COMPLETED_FIELDS.map((field) => [`:${field}`, completion[field]])),
      ':next': entry.version,
      ':expected': expectedVersion,
      ':pending': 'pending',
      ':statusRangeKey': statusRangeKey(completion.priority, completion.createdAt, id),
      ...dueTimes?.values,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  return { TransactItems: [{ Update: ticketUpdate }, { Put: historyPut(tableName, id, entry) }] };
}

/**
 * A comment and what it changes of its ticket, in this order: the ticket
 * (guarded by its version, the current item returned on failure), the
 * comment, the history entry of a status move, the idempotency record. The
 * counts are added to, not set, so comments that leave the version as it is
 * may be added concurrently; the first agent reply alone sets
 * `firstResponseAt`.
 */
export function commentTransaction(
  tableName: string,
  { comment, expectedVersion, isAgentReply, move, serviceLevels }: CommentWrite,
  claim: IdempotencyClaim | undefined,
  nowSeconds: number,
): TransactWriteCommandInput {
  const isPublic = comment.visibility === 'public';
  const names: Record<string, string> = {
    '#version': 'version',
    '#commentCount': CONVERSATION_ATTRIBUTES.commentCount,
    '#lastCommentAt': CONVERSATION_ATTRIBUTES.lastCommentAt,
  };
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ':at': comment.createdAt };
  const adds = ['#commentCount :one'];
  const sets = ['#lastCommentAt = :at'];
  if (isPublic) {
    names['#publicCommentCount'] = CONVERSATION_ATTRIBUTES.publicCommentCount;
    names['#lastPublicCommentAt'] = CONVERSATION_ATTRIBUTES.lastPublicCommentAt;
    adds.push('#publicCommentCount :one');
    sets.push('#lastPublicCommentAt = :at');
  }
  if (isAgentReply) {
    names['#firstResponseAt'] = CONVERSATION_ATTRIBUTES.firstResponseAt;
    sets.push('#firstResponseAt = if_not_exists(#firstResponseAt, :at)');
  }
  if (move) {
    Object.assign(names, { '#status': 'status', '#updatedAt': 'updatedAt', '#statusKey': INDEXES.byStatus.hashKey });
    Object.assign(values, {
      ':status': move.status,
      ':next': move.entry.version,
      ':updatedAt': move.entry.at,
      ':statusKey': statusPartition(move.status),
    });
    sets.push('#status = :status', '#version = :next', '#updatedAt = :updatedAt', '#statusKey = :statusKey');
  }
  const dueTimes = serviceLevels && serviceLevelUpdate(comment.ticketId, serviceLevels);
  if (dueTimes) {
    Object.assign(names, dueTimes.names);
    Object.assign(values, dueTimes.values);
    sets.push(...dueTimes.sets);
  }
  const ticketUpdate = {
    TableName: tableName,
    Key: ticketKey(comment.ticketId),
    UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
    ConditionExpression: `attribute_exists(pk) AND #version = :expected${dueTimes?.condition ?? ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  const commentPut = {
    TableName: tableName,
    Item: toCommentItem(comment, move && { from: move.from, to: move.status }),
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  return {
    TransactItems: [
      { Update: ticketUpdate },
      { Put: commentPut },
      ...(move ? [{ Put: historyPut(tableName, comment.ticketId, move.entry) }] : []),
      ...(claim
        ? [
            {
              Put: {
                TableName: tableName,
                Item: toCommentIdempotencyItem(comment, claim, nowSeconds),
                ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
                ExpressionAttributeValues: { ':now': nowSeconds },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              },
            },
          ]
        : []),
    ],
  };
}

/** A history entry is written once: its version is taken by exactly one change. */
const historyPut = (tableName: string, ticketId: string, entry: HistoryEntry) => ({
  TableName: tableName,
  Item: toHistoryItem(ticketId, entry),
  ConditionExpression: 'attribute_not_exists(pk)',
});

/**
 * The due times a write leaves and the byDue key that follows them. Decided
 * without a first response, they hold only while none has been given: a
 * first reply added meanwhile (which need not move the version) refuses the
 * write, and two first replies at once are one first reply and one retry.
 */
function serviceLevelUpdate(ticketId: string, { clock, firstResponseAt, decidedOn }: ServiceLevelsWrite) {
  return {
    sets: ['#sla = :sla', '#dueKey = :dueKey'],
    condition: noFirstResponseSince(decidedOn),
    names: {
      '#sla': 'sla',
      '#dueKey': INDEXES.byDue.rangeKey,
      ...(decidedOn === null && { '#firstResponseAt': CONVERSATION_ATTRIBUTES.firstResponseAt }),
    },
    values: { ':sla': clock, ':dueKey': dueRangeKey({ id: ticketId, firstResponseAt, sla: clock }) },
  };
}

/** The condition that no first response was given since the write was decided without one. */
const noFirstResponseSince = (firstResponseAt: string | null) =>
  firstResponseAt === null ? ' AND attribute_not_exists(#firstResponseAt)' : '';
