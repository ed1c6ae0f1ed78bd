import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../domain/errors.js';
import { CURSOR_MAX_LENGTH } from '../domain/ticket-inputs.js';
import type { CommentListQuery } from '../domain/comment-repository.js';
import type { ListQuery } from '../domain/ticket-repository.js';

/**
 * List cursors: opaque to clients, tamper-evident, and valid only for the caller
 * and the query that produced them. A cursor is
 *
 *     base64url(JSON {v: 1, k: <start key>, q: <query digest>}) "." base64url(HMAC-SHA256)
 *
 * The signature stops a client from forging a start key (and so reading from
 * another customer's partition); the query digest stops a cursor from being
 * replayed by another caller or against another filter.
 */

/** Where a page starts: the table and index key attributes of the last item already returned. */
export type StartKey = Record<string, string>;

/** What a cursor is bound to: a list of tickets, or a ticket's comments. The limit may change from page to page. */
export type CursorQueryShape =
  | Pick<ListQuery, 'callerId' | 'scope' | 'status' | 'priority' | 'sort'>
  | Pick<CommentListQuery, 'callerId' | 'ticketId' | 'visibility'>;

const VERSION = 1;
/** Where a bad cursor is in the list operation's input; the HTTP edge says where that input came from. */
const CURSOR_PATH = '/cursor';

interface CursorPayload {
  v: number;
  k: StartKey;
  q: string;
}

export class ListCursorCodec {
  readonly #secret: Buffer;

  constructor(secret: string) {
    if (secret.length === 0) throw new Error('A cursor secret is required.');
    this.#secret = Buffer.from(secret, 'utf8');
  }

  encode(startKey: StartKey, shape: CursorQueryShape): string {
    const payload: CursorPayload = { v: VERSION, k: startKey, q: queryDigest(shape) };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.#sign(body).toString('base64url')}`;
  }

  /** The start key inside `cursor`; InvalidInputError unless it is intact and was issued for this query. */
  decode(cursor: string, shape: CursorQueryShape): StartKey {
    if (cursor.length === 0 || cursor.length > CURSOR_MAX_LENGTH) throw invalidCursor('has an invalid length');
    const [body, signature, ...rest] = cursor.split('.');
    if (!body || !signature || rest.length > 0) throw invalidCursor('is malformed');
    if (!this.#hasValidSignature(body, signature)) throw invalidCursor('was altered or not issued by this service');

    const payload = parsePayload(body);
    if (payload.q !== queryDigest(shape)) throw invalidCursor('belongs to another query');
    return payload.k;
  }

  #sign(body: string): Buffer {
    return createHmac('sha256', this.#secret).update(body, 'utf8').digest();
  }

  #hasValidSignature(body: string, signature: string): boolean {
    const expected = this.#sign(body);
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** Ties a cursor to who asked and what they listed: which tickets, or which ticket's comments. */
function queryDigest(shape: CursorQueryShape): string {
  const fields =
    'ticketId' in shape
      ? ['comments', shape.callerId, shape.ticketId, shape.visibility]
      : [
          shape.callerId,
          shape.scope.kind === 'requester' ? `requester:${shape.scope.requesterId}` : 'all',
          shape.status ?? '',
          shape.priority ?? '',
          // Only the due order is named: cursors of the triage order stay valid as they were issued.
          ...(shape.sort === 'due' ? ['due'] : []),
        ];
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('base64url');
}

/** The signature already vouches for the payload; this only guards against a changed format. */
function parsePayload(body: string): CursorPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('is malformed');
  }
  if (!isCursorPayload(payload)) throw invalidCursor('is malformed');
  return payload;
}

function isCursorPayload(value: unknown): value is CursorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { v, k, q } = value as Record<string, unknown>;
  return (
    v === VERSION &&
    typeof q === 'string' &&
    typeof k === 'object' &&
    k !== null &&
    !Array.isArray(k) &&
    Object.values(k).every((part) => typeof part === 'string')
  );
}

function invalidCursor(reason: string): InvalidInputError {
  return new InvalidInputError('The cursor is not valid for this query.', [
    { path: CURSOR_PATH, message: `The cursor ${reason}; start again without a cursor.` },
  ]);
}
