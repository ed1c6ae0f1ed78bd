import type { IdempotencyClaim, IdempotencyRecord } from '../domain/ticket-repository.js';
import { ItemAttributes } from './item-attributes.js';
import { idempotencyKey, type Item } from './table-layout.js';

/*
 * Idempotency records: what a create with an Idempotency-Key leaves behind, so
 * a retry with the same key replays the ticket it created. DynamoDB's TTL
 * deletes a record some time after `expiresAt`; until then an expired record
 * counts as absent.
 */

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
export function toIdempotencyItem(requesterId: string, claim: IdempotencyClaim, ticketId: string, nowSeconds: number) {
  return {
    ...idempotencyKey(requesterId, claim.key),
    ticketId,
    fingerprint: claim.fingerprint,
    expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
  } satisfies Item;
}

/** The record an item holds; an Error if the item is not a well-formed record. */
export function idempotencyRecordFromItem(item: unknown): IdempotencyRecord {
  const attributes = new ItemAttributes(item, 'idempotency record');
  return { ticketId: attributes.string('ticketId'), fingerprint: attributes.string('fingerprint') };
}

/** The record an item holds, or null if it has expired (TTL may not have deleted it yet). */
export function unexpiredRecordFromItem(item: unknown, nowSeconds: number): IdempotencyRecord | null {
  const expiresAt = new ItemAttributes(item, 'idempotency record').number('expiresAt');
  return expiresAt <= nowSeconds ? null : idempotencyRecordFromItem(item);
}
