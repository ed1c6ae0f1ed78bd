import type { CommentListQuery } from '../domain/comment-repository.js';
import { InvalidInputError } from '../domain/errors.js';
import { TICKET_ID_PATTERN, type CommentVisibility } from '../domain/ticket.js';
import type { ListCursorCodec } from './list-cursor.js';
import type { RunQuery } from './list-pages.js';
import { countWithinResponseBudget, RESPONSE_ENTRIES_BUDGET_BYTES, responseBytes } from './response-size.js';
import { commentSortKeyPrefix, TABLE_KEY, ticketPartition, visibilitiesIn, type Item } from './table-layout.js';

/*
 * Pages of a ticket's comments, oldest first. Public comments and internal
 * notes have sort key prefixes of their own (table-layout.ts): a customer's
 * page is a Query of the public prefix alone, so no read ever touches a note,
 * and an agent's merges the two prefixes by comment id (a ULID: time order).
 * Neither needs a filter, so a page is bounded by its limit alone.
 *
 * A cursor holds the id of the last comment served, signed and bound to the
 * caller, the ticket and the view (list-cursor.ts): never one of DynamoDB's
 * keys, so a customer's cursor can only ever point at a public comment.
 */

/** What a comment cursor carries: the id of the last comment of the page it ends. */
const AFTER = 'after';
const COMMENT_ID = new RegExp(TICKET_ID_PATTERN);

type Shape = Pick<CommentListQuery, 'callerId' | 'ticketId' | 'visibility'>;

export interface CommentEntriesPage<Entry> {
  /** The comments, as the response carries them. */
  entries: Entry[];
  /** The id of the last comment served, when more follow. */
  lastServedId: string | null;
}

/** A cursor that resumes after the comment `lastServedId`, for this caller, ticket and view only. */
export const encodeCommentCursor = (cursors: ListCursorCodec, lastServedId: string, shape: Shape): string =>
  cursors.encode({ [AFTER]: lastServedId }, shape);

/** The id of the comment a cursor resumes after; InvalidInputError unless it was issued for this query. */
export function commentCursorPosition(cursors: ListCursorCodec, cursor: string, shape: Shape): string {
  const after = cursors.decode(cursor, shape)[AFTER];
  if (after === undefined || !COMMENT_ID.test(after)) {
    throw new InvalidInputError('The cursor is not valid for this query.', [
      { path: '/cursor', message: 'The cursor is malformed; start again without a cursor.' },
    ]);
  }
  return after;
}

/**
 * Up to `limit` comments after `afterId` (from the first without it), as
 * items, oldest first. Each prefix is read for one item more than the page
 * holds, so the last page says so instead of leading to an empty one.
 * `toEntry` turns an item into what the response carries, which is what the
 * page's size is measured on (response-size.ts).
 */
export async function readCommentPage<Entry>(
  runQuery: RunQuery,
  query: Pick<CommentListQuery, 'ticketId' | 'visibility' | 'limit'>,
  afterId: string | undefined,
  toEntry: (item: Item) => Entry,
): Promise<CommentEntriesPage<Entry>> {
  const reads = await Promise.all(
    visibilitiesIn(query.visibility).map((visibility) =>
      readAfter(runQuery, query.ticketId, visibility, afterId, query.limit + 1),
    ),
  );
  // A prefix read short of the end holds nothing newer than its last item: the merge stops there.
  const horizon = reads
    .filter((read) => read.more)
    .map((read) => idOf(read.items.at(-1)))
    .sort(byCodeUnits)[0];
  const merged = reads
    .flatMap((read) => read.items)
    .filter((item) => horizon === undefined || idOf(item) <= horizon)
    .sort((a, b) => byCodeUnits(idOf(a), idOf(b)));

  const entries = merged.slice(0, query.limit).map(toEntry);
  const kept = countWithinResponseBudget(entries);
  const more = merged.length > kept || reads.some((read) => read.more);
  const last = merged[kept - 1];
  return { entries: entries.slice(0, kept), lastServedId: more && last ? idOf(last) : null };
}

/**
 * The comments of one prefix after `afterId`, up to `wanted`: a Query on the
 * ticket's partition, strongly consistent so that a comment just added is
 * listed, read on while a 1 MB response cut it short (comments may be large).
 */
async function readAfter(
  runQuery: RunQuery,
  ticketId: string,
  visibility: CommentVisibility,
  afterId: string | undefined,
  wanted: number,
): Promise<{ items: Item[]; more: boolean }> {
  const prefix = commentSortKeyPrefix(visibility);
  const partition = ticketPartition(ticketId);
  const items: Item[] = [];
  let bytes = 0;
  let startKey: Item | undefined =
    afterId === undefined ? undefined : { [TABLE_KEY.hashKey]: partition, [TABLE_KEY.rangeKey]: `${prefix}${afterId}` };
  do {
    const page = await runQuery({
      KeyConditionExpression: '#hashKey = :partition AND begins_with(#rangeKey, :prefix)',
      ExpressionAttributeNames: { '#hashKey': TABLE_KEY.hashKey, '#rangeKey': TABLE_KEY.rangeKey },
      ExpressionAttributeValues: { ':partition': partition, ':prefix': prefix },
      ScanIndexForward: true,
      ConsistentRead: true,
      Limit: wanted - items.length,
      ExclusiveStartKey: startKey,
    });
    for (const item of page.Items ?? []) {
      items.push(item);
      bytes += responseBytes(item);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < wanted && bytes <= RESPONSE_ENTRIES_BUDGET_BYTES);
  // Read for one more than a page holds: at `wanted`, more may follow even if DynamoDB did not say so.
  return { items, more: startKey !== undefined || items.length >= wanted };
}

/** ULIDs sort by time in code unit order (not a locale's). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A comment item's id; what the table holds was written by this repository, so one without is a fault. */
function idOf(item: Item | undefined): string {
  const id = item?.id;
  if (typeof id !== 'string') throw new Error('Malformed item in the ticket table: comment.id is not a string.');
  return id;
}
