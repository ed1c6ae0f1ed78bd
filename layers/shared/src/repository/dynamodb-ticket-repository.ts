import { createHash } from 'node:crypto';
import type { AttributeValue, CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  IdempotencyMismatchError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
} from '../domain/errors.js';
import { priorityRank, type HistoryEntry, type Ticket, type TicketWithHistory } from '../domain/ticket.js';
import { errorNameOf } from '../error-name.js';
import { ListCursorCodec, type StartKey } from './list-cursor.js';
import type {
  AnalysisCompletionStore,
  AnalysisCompletionWrite,
  CreateResult,
  IdempotencyClaim,
  IdempotencyRecord,
  ListQuery,
  TicketPage,
  TicketRepository,
} from '../domain/ticket-repository.js';

/*
 * The single-table layout (template.yaml, TicketsTable):
 *
 *   ticket       pk TICKET#<id>                      sk TICKET            + the index keys below
 *   history      pk TICKET#<id>                      sk HISTORY#<version, 10 digits>
 *   idempotency  pk IDEMPOTENCY#<requester>#<sha256> sk IDEMPOTENCY       expiresAt (TTL)
 *
 * A ticket and its history share a partition, so one Query reads both. Only
 * ticket items carry index keys, so the indexes hold tickets alone:
 *
 *   byRequester  gsi1pk REQUESTER#<requester id>  gsi1sk <createdAt>#<id>
 *   byStatus     gsi2pk STATUS#<status>           gsi2sk <priority rank>#<createdAt>#<id>
 *   byCreated    gsi3pk TICKET                    gsi3sk <createdAt>#<id>
 */

type Item = Record<string, unknown>;

interface IndexDefinition {
  name: string;
  hashKey: string;
  rangeKey: string;
}

const INDEXES = {
  byRequester: { name: 'byRequester', hashKey: 'gsi1pk', rangeKey: 'gsi1sk' },
  byStatus: { name: 'byStatus', hashKey: 'gsi2pk', rangeKey: 'gsi2sk' },
  byCreated: { name: 'byCreated', hashKey: 'gsi3pk', rangeKey: 'gsi3sk' },
} as const satisfies Record<string, IndexDefinition>;

const TICKET_SK = 'TICKET';
const HISTORY_SK_PREFIX = 'HISTORY#';
const IDEMPOTENCY_SK = 'IDEMPOTENCY';
const TABLE_KEY_ATTRIBUTES = ['pk', 'sk'];
const TICKET_KEY_ATTRIBUTES = new Set([
  ...TABLE_KEY_ATTRIBUTES,
  ...Object.values(INDEXES).flatMap((index) => [index.hashKey, index.rangeKey]),
]);

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** Attempts of an idempotent create that collides with a concurrent one, and the pause between them. */
const MAX_CREATE_ATTEMPTS = 3;
const CONFLICT_BACKOFF_MS = 50;
export const MAX_PAGE_SIZE = 100;
/** What one page of tickets may weigh, well inside Lambda's 6 MB response limit. */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;
/** A filtered page stops after this many Query calls, so a rare filter costs bounded reads per request. */
const MAX_QUERIES_PER_PAGE = 10;
const MAX_FILTERED_READ_SIZE = 1000;

/**
 * How many items a filtered Query evaluates. It doubles with each call: a filter
 * most items pass costs one small read, a rare one still finds its matches in a
 * few calls.
 */
const filteredReadSize = (wanted: number, queriesSoFar: number) =>
  Math.min(wanted * 2 ** queriesSoFar, MAX_FILTERED_READ_SIZE);

const ticketKey = (id: string) => ({ pk: `TICKET#${id}`, sk: TICKET_SK });
const historyKey = (id: string, version: number) => ({
  pk: `TICKET#${id}`,
  sk: `${HISTORY_SK_PREFIX}${String(version).padStart(10, '0')}`,
});
/** The client's key is hashed: it is arbitrary text of arbitrary length. */
const idempotencyKey = (requesterId: string, key: string) => ({
  pk: `IDEMPOTENCY#${requesterId}#${createHash('sha256').update(key, 'utf8').digest('hex')}`,
  sk: IDEMPOTENCY_SK,
});

export interface DynamoDbTicketRepositoryOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  cursorSecret: string;
  now?: () => Date;
}

export class DynamoDbTicketRepository implements TicketRepository, AnalysisCompletionStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #cursors: ListCursorCodec;
  readonly #now: () => Date;

  constructor({ client, tableName, cursorSecret, now = () => new Date() }: DynamoDbTicketRepositoryOptions) {
    this.#client = client;
    this.#tableName = tableName;
    this.#cursors = new ListCursorCodec(cursorSecret);
    this.#now = now;
  }

  // --- create -------------------------------------------------------------

  async create(ticket: Ticket, idempotency?: IdempotencyClaim): Promise<CreateResult> {
    if (!idempotency) {
      await this.#putNewTicket(ticket);
      return { ticket, replayed: false };
    }
    return this.#createIdempotently(ticket, idempotency);
  }

  async #putNewTicket(ticket: Ticket): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: toTicketItem(ticket),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      // The SDK retries a put whose answer was lost (a reset connection, a
      // timeout) after it committed; the retry then finds this very ticket.
      // That is success: reporting a conflict would make the client submit again.
      const outcome = translateError(error, ([reason]) =>
        isSameTicket(reason?.Item, ticket) ? STORED_BY_EARLIER_ATTEMPT : ticketAlreadyExists(ticket.id),
      );
      if (outcome !== STORED_BY_EARLIER_ATTEMPT) throw outcome;
    }
  }

  /**
   * The ticket and its idempotency record are written in one transaction, each
   * only if absent, so concurrent creates with one key store exactly one ticket.
   * An expired record that TTL has not yet deleted counts as absent.
   */
  async #createIdempotently(ticket: Ticket, claim: IdempotencyClaim): Promise<CreateResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#writeTicketWithRecord(ticket, claim);
        return { ticket, replayed: false };
      } catch (error) {
        // A double submit: the other create is mid-transaction. Once it commits, this one replays it.
        if (isTransactionConflict(error) && attempt < MAX_CREATE_ATTEMPTS) {
          await pause(CONFLICT_BACKOFF_MS * attempt);
          continue;
        }
        const outcome = translateError(error, ([ticketReason, recordReason]) =>
          conditionFailed(recordReason)
            ? new EarlierCreate(recordFromAttributes(recordReason?.Item))
            : conditionFailed(ticketReason)
              ? ticketAlreadyExists(ticket.id)
              : error,
        );
        if (outcome instanceof EarlierCreate) return this.#replay(ticket.requester.id, claim, outcome.record);
        throw outcome;
      }
    }
  }

  async #writeTicketWithRecord(ticket: Ticket, claim: IdempotencyClaim): Promise<void> {
    const nowSeconds = this.#epochSeconds();
    await this.#client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.#tableName,
              Item: toTicketItem(ticket),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.#tableName,
              Item: {
                ...idempotencyKey(ticket.requester.id, claim.key),
                ticketId: ticket.id,
                fingerprint: claim.fingerprint,
                expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
              ExpressionAttributeValues: { ':now': nowSeconds },
              // The cancellation reason then carries the earlier record: no extra read.
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );
  }

  async #replay(requesterId: string, claim: IdempotencyClaim, known: IdempotencyRecord | null): Promise<CreateResult> {
    const record = known ?? (await this.findIdempotentCreate(requesterId, claim.key));
    if (!record) throw new UnavailableError('The earlier request with this Idempotency-Key could not be read.', 1);
    if (record.fingerprint !== claim.fingerprint) {
      throw new IdempotencyMismatchError('This Idempotency-Key was already used with a different request.');
    }
    const ticket = await this.#readTicket(record.ticketId);
    if (!ticket) {
      throw new NotFoundError(`Ticket ${record.ticketId}, created with this Idempotency-Key, no longer exists.`);
    }
    return { ticket, replayed: true };
  }

  async findReplay(requesterId: string, claim: IdempotencyClaim): Promise<Ticket | null> {
    const record = await this.findIdempotentCreate(requesterId, claim.key);
    return record ? (await this.#replay(requesterId, claim, record)).ticket : null;
  }

  async findIdempotentCreate(requesterId: string, key: string): Promise<IdempotencyRecord | null> {
    const { Item } = await translatingErrors(
      this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: idempotencyKey(requesterId, key), ConsistentRead: true }),
      ),
    );
    if (!Item || Number(Item.expiresAt) <= this.#epochSeconds()) return null;
    return { ticketId: String(Item.ticketId), fingerprint: String(Item.fingerprint) };
  }

  // --- get ----------------------------------------------------------------

  /** One strongly consistent Query returns the ticket and its history (HISTORY# sorts before TICKET). */
  async get(id: string): Promise<TicketWithHistory | null> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await translatingErrors(
        this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': ticketKey(id).pk },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);

    const ticketItem = items.find((item) => item.sk === TICKET_SK);
    if (!ticketItem) return null;
    const history = items
      .filter((item) => String(item.sk).startsWith(HISTORY_SK_PREFIX))
      .map((item) => withoutAttributes(item, TABLE_KEY_ATTRIBUTES) as unknown as HistoryEntry);
    return { ...fromTicketItem(ticketItem), history };
  }

  async #readTicket(id: string): Promise<Ticket | null> {
    const { Item } = await translatingErrors(
      this.#client.send(new GetCommand({ TableName: this.#tableName, Key: ticketKey(id), ConsistentRead: true })),
    );
    return Item ? fromTicketItem(Item) : null;
  }

  // --- update -------------------------------------------------------------

  /** Optimistic locking on `version`; the ticket and its history entry are written together or not at all. */
  async update(next: Ticket, expectedVersion: number, entry: HistoryEntry): Promise<void> {
    if (next.version !== expectedVersion + 1 || entry.version !== next.version) {
      throw new Error(
        `An update must move the ticket from version ${expectedVersion} to ${expectedVersion + 1} ` +
          `(got ticket version ${next.version}, history entry version ${entry.version}).`,
      );
    }
    try {
      await this.#client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#tableName,
                Item: toTicketItem(next),
                ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
                // Tells a deleted ticket (no item) from a stale version (the current item).
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: this.#tableName,
                Item: { ...entry, ...historyKey(next.id, entry.version) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      throw translateError(error, ([ticketReason]) =>
        conditionFailed(ticketReason) && !ticketReason?.Item
          ? new NotFoundError(`Ticket ${next.id} does not exist.`)
          : new PreconditionFailedError(`Ticket ${next.id} is no longer at version ${expectedVersion}.`),
      );
    }
  }

  // --- analysis completion --------------------------------------------------

  /**
   * An UpdateItem, not a Put: only the fields analysis decides are written, so
   * whatever else an agent set stays as it is even in principle. The byStatus
   * sort key follows the priority, as on every write.
   */
  async completeAnalysis(completion: AnalysisCompletionWrite): Promise<void> {
    const { id, expectedVersion, entry } = completion;
    if (entry.version !== expectedVersion + 1) {
      throw new Error(`A completion must move ticket ${id} from version ${expectedVersion} to ${expectedVersion + 1}.`);
    }
    try {
      await this.#client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.#tableName,
                Key: ticketKey(id),
                UpdateExpression:
                  'SET #subject = :subject, #description = :description, #priority = :priority, ' +
                  '#category = :category, #analysis = :analysis, #updatedAt = :updatedAt, ' +
                  '#version = :next, #statusRangeKey = :statusRangeKey',
                ConditionExpression: 'attribute_exists(pk) AND #version = :expected AND #analysis.#status = :pending',
                ExpressionAttributeNames: {
                  '#subject': 'subject',
                  '#description': 'description',
                  '#priority': 'priority',
                  '#category': 'category',
                  '#analysis': 'analysis',
                  '#status': 'status',
                  '#updatedAt': 'updatedAt',
                  '#version': 'version',
                  '#statusRangeKey': INDEXES.byStatus.rangeKey,
                },
                ExpressionAttributeValues: {
                  ':subject': completion.subject,
                  ':description': completion.description,
                  ':priority': completion.priority,
                  ':category': completion.category,
                  ':analysis': completion.analysis,
                  ':updatedAt': completion.updatedAt,
                  ':next': entry.version,
                  ':expected': expectedVersion,
                  ':pending': 'pending',
                  ':statusRangeKey': statusRangeKey(completion.priority, completion.createdAt, id),
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: this.#tableName,
                Item: { ...entry, ...historyKey(id, entry.version) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      throw translateError(error, ([ticketReason]) =>
        conditionFailed(ticketReason) && !ticketReason?.Item
          ? new NotFoundError(`Ticket ${id} does not exist.`)
          : new PreconditionFailedError(
              `Ticket ${id} is no longer at version ${expectedVersion} with its analysis pending.`,
            ),
      );
    }
  }

  // --- list ---------------------------------------------------------------

  async list(query: ListQuery): Promise<TicketPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE_SIZE) {
      throw new InvalidInputError('The page size is out of range.', [
        { path: '/queryStringParameters/limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` },
      ]);
    }
    const plan = planListQuery(query);
    const startKey = query.cursor === undefined ? undefined : this.#cursors.decode(query.cursor, query);
    const page = await this.#readPage(plan, query.limit, startKey);
    return {
      items: page.items.map(fromTicketItem),
      nextCursor: page.resumeKey ? this.#cursors.encode(page.resumeKey, query) : null,
    };
  }

  /**
   * Reads up to `limit` tickets. It asks for one item more than the page holds,
   * so the last page says so (nextCursor null) instead of leading to an empty
   * one. A filter drops items after DynamoDB has read them, so filtered queries
   * keep reading until the page is full, the index partition is exhausted or
   * the read budget is spent (then the page may be short, but its cursor goes on).
   */
  async #readPage(
    plan: ListPlan,
    limit: number,
    startKey: StartKey | undefined,
  ): Promise<{ items: Item[]; resumeKey?: StartKey }> {
    const wanted = limit + 1;
    const found: Item[] = [];
    let exclusiveStartKey: Item | undefined = startKey;
    for (let queries = 0; queries < MAX_QUERIES_PER_PAGE; queries++) {
      const result = await translatingErrors(
        this.#client.send(
          new QueryCommand({
            ...plan.input,
            TableName: this.#tableName,
            Limit: plan.input.FilterExpression ? filteredReadSize(wanted, queries) : wanted - found.length,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      found.push(...(result.Items ?? []));
      exclusiveStartKey = result.LastEvaluatedKey;
      if (found.length >= wanted || !exclusiveStartKey) break;
    }

    const kept = Math.min(limit, countWithinByteBudget(found));
    if (found.length > kept) {
      // DynamoDB's LastEvaluatedKey lies beyond what we return: resume right after the last returned item.
      const items = found.slice(0, kept);
      return { items, resumeKey: startKeyOf(items[items.length - 1]!, plan.index) };
    }
    // Either the partition is exhausted, or the read budget ran out mid-way and the next page resumes there.
    return { items: found, resumeKey: exclusiveStartKey as StartKey | undefined };
  }

  // --- helpers ------------------------------------------------------------

  #epochSeconds(): number {
    return Math.floor(this.#now().getTime() / 1000);
  }
}

/**
 * How many of the leading items fit in one response. Lambda returns at most
 * 6 MB, and a ticket may hold ~80 KB of text, so a page of 100 large tickets
 * would not fit: the page stops short instead (never below one item) and its
 * cursor resumes after the last ticket included.
 */
function countWithinByteBudget(items: Item[]): number {
  let bytes = 0;
  for (let count = 0; count < items.length; count++) {
    bytes += Buffer.byteLength(JSON.stringify(items[count]), 'utf8');
    if (bytes > MAX_PAGE_BYTES) return Math.max(1, count);
  }
  return items.length;
}

/** Awaits one SDK call, with its failure translated into a domain error. */
async function translatingErrors<Output>(call: Promise<Output>): Promise<Output> {
  try {
    return await call;
  } catch (error) {
    throw translateError(error);
  }
}

// --- item mapping ------------------------------------------------------------

/** byStatus orders a status's tickets by priority rank, then oldest first. */
const statusRangeKey = (priority: Ticket['priority'], createdAt: string, id: string) =>
  `${priorityRank(priority)}#${createdAt}#${id}`;

function toTicketItem(ticket: Ticket): Item {
  const createdThenId = `${ticket.createdAt}#${ticket.id}`;
  return {
    // History lives in items of its own: a TicketWithHistory passed in must not copy it here.
    ...withoutAttributes(ticket as unknown as Item, ['history']),
    ...ticketKey(ticket.id),
    gsi1pk: `REQUESTER#${ticket.requester.id}`,
    gsi1sk: createdThenId,
    gsi2pk: `STATUS#${ticket.status}`,
    gsi2sk: statusRangeKey(ticket.priority, ticket.createdAt, ticket.id),
    gsi3pk: TICKET_SK,
    gsi3sk: createdThenId,
  };
}

function fromTicketItem(item: Item): Ticket {
  return withoutAttributes(item, TICKET_KEY_ATTRIBUTES) as unknown as Ticket;
}

function withoutAttributes(item: Item, names: Iterable<string>): Item {
  const excluded = new Set(names);
  return Object.fromEntries(Object.entries(item).filter(([name]) => !excluded.has(name)));
}

/** An index's ExclusiveStartKey needs the table key and the index key of the item to continue after. */
function startKeyOf(item: Item, index: IndexDefinition): StartKey {
  const names = [...TABLE_KEY_ATTRIBUTES, index.hashKey, index.rangeKey];
  return Object.fromEntries(names.map((name) => [name, String(item[name])]));
}

const STORED_BY_EARLIER_ATTEMPT = Symbol('stored by an earlier attempt');

/** The existing item is this very ticket as this request wrote it, not another one with its id. */
function isSameTicket(item: Record<string, AttributeValue> | undefined, ticket: Ticket): boolean {
  return (
    item?.id?.S === ticket.id &&
    item.version?.N === String(ticket.version) &&
    item.createdAt?.S === ticket.createdAt &&
    item.requester?.M?.id?.S === ticket.requester.id &&
    item.subject?.S === ticket.subject &&
    item.description?.S === ticket.description
  );
}

/** The record comes back in the low-level format: errors bypass the document client's unmarshalling. */
function recordFromAttributes(item: Record<string, AttributeValue> | undefined): IdempotencyRecord | null {
  const ticketId = item?.ticketId?.S;
  const fingerprint = item?.fingerprint?.S;
  return ticketId && fingerprint ? { ticketId, fingerprint } : null;
}

// --- query planning ----------------------------------------------------------

interface ListPlan {
  index: IndexDefinition;
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
}

/**
 * Every list shape is a Query on one index partition; none is a Scan.
 *   customer (own tickets)  byRequester, newest first; status and priority filter the partition
 *   agent, with status      byStatus, triage order (priority rank, then oldest first); priority narrows the key
 *   agent, without status   byCreated, newest first; priority filters
 */
function planListQuery(query: ListQuery): ListPlan {
  if (query.scope.kind === 'requester') {
    return {
      index: INDEXES.byRequester,
      input: partitionQuery(INDEXES.byRequester, `REQUESTER#${query.scope.requesterId}`, {
        newestFirst: true,
        filter: { status: query.status, priority: query.priority },
      }),
    };
  }
  if (query.status) {
    const input = partitionQuery(INDEXES.byStatus, `STATUS#${query.status}`, { newestFirst: false, filter: {} });
    if (query.priority) {
      input.KeyConditionExpression += ' AND begins_with(#rangeKey, :rankPrefix)';
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#rangeKey': INDEXES.byStatus.rangeKey };
      input.ExpressionAttributeValues = {
        ...input.ExpressionAttributeValues,
        ':rankPrefix': `${priorityRank(query.priority)}#`,
      };
    }
    return { index: INDEXES.byStatus, input };
  }
  return {
    index: INDEXES.byCreated,
    input: partitionQuery(INDEXES.byCreated, TICKET_SK, { newestFirst: true, filter: { priority: query.priority } }),
  };
}

function partitionQuery(
  index: IndexDefinition,
  partition: string,
  { newestFirst, filter }: { newestFirst: boolean; filter: Partial<Pick<Ticket, 'status' | 'priority'>> },
): ListPlan['input'] {
  const names: Record<string, string> = { '#hashKey': index.hashKey };
  const values: Record<string, unknown> = { ':partition': partition };
  const conditions: string[] = [];
  for (const field of ['status', 'priority'] as const) {
    const value = filter[field];
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    conditions.push(`#${field} = :${field}`);
  }
  return {
    IndexName: index.name,
    KeyConditionExpression: '#hashKey = :partition',
    FilterExpression: conditions.length > 0 ? conditions.join(' AND ') : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: !newestFirst,
  };
}

// --- error translation ---------------------------------------------------------

/** The answer to a create whose idempotency record already exists: replay it, or report a mismatch. */
class EarlierCreate {
  constructor(readonly record: IdempotencyRecord | null) {}
}

const ticketAlreadyExists = (id: string) => new ConflictError(`Ticket ${id} already exists.`);

const conditionFailed = (reason: CancellationReason | undefined) => reason?.Code === 'ConditionalCheckFailed';

const isTransactionConflict = (error: unknown) =>
  cancellationReasons(error)?.some((reason) => reason.Code === 'TransactionConflict') ?? false;

const pause = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** Throttling and contention clear up within a second or so. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
]);
const SERVICE_DOWN = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const NETWORK_DOWN_IN_MESSAGE = new RegExp(`\\b(${[...NETWORK_DOWN].join('|')})\\b`);
const CONTENDED_REASONS = new Set(['TransactionConflict', 'ProvisionedThroughputExceeded', 'ThrottlingError']);

/**
 * The one place SDK errors become domain errors. A failed condition means
 * something different to each write, so the caller says what: it receives the
 * cancellation reasons, one per transaction item in order (a single-item write
 * gets one reason). Anything unrecognised is returned as is, to be rethrown.
 */
function translateError(error: unknown, onConditionFailed?: (reasons: CancellationReason[]) => unknown): unknown {
  const name = errorNameOf(error);
  const reasons = cancellationReasons(error);
  if (onConditionFailed && reasons?.some(conditionFailed)) return onConditionFailed(reasons);
  if (THROTTLED.has(name) || reasons?.some((reason) => CONTENDED_REASONS.has(reason.Code ?? ''))) {
    return new UnavailableError('The ticket store is busy; retry shortly.', 1, { cause: error });
  }
  if (SERVICE_DOWN.has(name) || isNetworkFailure(error)) {
    return new UnavailableError('The ticket store is unavailable; retry later.', 5, { cause: error });
  }
  return error;
}

/*
 * Errors are read by shape, not `instanceof`: an error raised by Node's network
 * stack may come from another realm (as under jest's module sandbox), where
 * `instanceof Error` is false.
 */
type ErrorShape = { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };

function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  const name = errorNameOf(error);
  if (name === 'ConditionalCheckFailedException') {
    const { Item } = error as { Item?: Record<string, AttributeValue> };
    return [{ Code: 'ConditionalCheckFailed', Item }];
  }
  if (name === 'TransactionCanceledException') {
    return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  }
  return undefined;
}

/**
 * Node reports a failed connection by `code`, sometimes inside an AggregateError
 * (one per address tried). The SDK's retry layer re-wraps an error it does not
 * recognise as one, keeping only its message, which still names the code.
 */
function isNetworkFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, errors, cause } = error as ErrorShape;
  if (typeof code === 'string' && NETWORK_DOWN.has(code)) return true;
  if (typeof message === 'string' && NETWORK_DOWN_IN_MESSAGE.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isNetworkFailure(inner, depth + 1))) return true;
  return isNetworkFailure(cause, depth + 1);
}
