import type { Comment } from '../domain/comment-schema.js';
import type { IdempotencyClaim } from '../domain/ticket-repository.js';
import { ANALYSIS_STATUSES, CALLER_ROLES, COMMENT_VISIBILITIES } from '../domain/ticket.js';
import { ItemAttributes } from './item-attributes.js';
import { commentIdempotencyKey, commentKey, type Item } from './table-layout.js';
import { redactionsFrom, sentimentFrom } from './ticket-item.js';

/*
 * Comments and their idempotency records to items and back, checked
 * attribute by attribute as tickets are (ticket-item.ts).
 */

/** How long a comment's Idempotency-Key is remembered: as long as a ticket's. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * A comment's item. `statusChange`, the status move the comment made, is kept
 * on the item for the table's stream (events/ticket-events.ts publishes it with the
 * comment) and is not part of the comment the API shows.
 */
export const toCommentItem = (comment: Comment, statusChange?: { from: string; to: string }): Item => ({
  ...comment,
  ...(statusChange && { statusChange }),
  ...commentKey(comment.ticketId, comment.id, comment.visibility),
});

/** The comment an item holds; an Error if the item is not a well-formed comment. */
export function commentFromItem(item: unknown): Comment {
  const attributes = new ItemAttributes(item, 'comment');
  const author = attributes.map('author');
  const analysis = attributes.map('analysis');
  const sentiment = analysis.nullableMap('sentiment');
  return {
    id: attributes.string('id'),
    ticketId: attributes.string('ticketId'),
    author: { id: author.string('id'), role: author.oneOf('role', CALLER_ROLES) },
    body: attributes.string('body'),
    visibility: attributes.oneOf('visibility', COMMENT_VISIBILITIES),
    createdAt: attributes.string('createdAt'),
    analysis: {
      status: analysis.oneOf('status', ANALYSIS_STATUSES),
      language: analysis.nullableString('language'),
      sentiment: sentiment && sentimentFrom(sentiment),
      redactions: redactionsFrom(analysis),
    },
  };
}

/** What an add with an Idempotency-Key leaves behind: which comment it stored, for which request. */
export interface CommentIdempotencyRecord {
  commentId: string;
  fingerprint: string;
}

export function toCommentIdempotencyItem(comment: Comment, claim: IdempotencyClaim, nowSeconds: number): Item {
  return {
    ...commentIdempotencyKey(comment.author.id, comment.ticketId, claim.key),
    commentId: comment.id,
    fingerprint: claim.fingerprint,
    expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
  };
}

/** The record an item holds, or null if it has expired (TTL may not have deleted it yet). */
export function unexpiredCommentRecordFromItem(item: unknown, nowSeconds: number): CommentIdempotencyRecord | null {
  const attributes = new ItemAttributes(item, 'comment idempotency record');
  if (attributes.number('expiresAt') <= nowSeconds) return null;
  return { commentId: attributes.string('commentId'), fingerprint: attributes.string('fingerprint') };
}
