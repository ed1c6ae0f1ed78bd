import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { IdempotencyMismatchError, NotFoundError, UnavailableError } from '../domain/errors.js';
import type { HistoryEntry, Ticket, TicketWithHistory } from '../domain/ticket.js';
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
import {
  idempotentCreateConditionFailure,
  newTicketConditionFailure,
  refusalError,
  versionedWriteConditionFailure,
} from './condition-failure.js';
import { MAX_CREATE_ATTEMPTS, pauseAfterConflict, unexpiredRecordFromItem } from './idempotency.js';
import { ListCursorCodec } from './list-cursor.js';
import { assertPageSize, readPage, type RunQuery } from './list-pages.js';
import { planListQuery } from './list-plan.js';
import { isTransactionConflict, throwStoreFailure, translatingErrors } from './sdk-errors.js';
import { HISTORY_SK_PREFIX, idempotencyKey, TICKET_SK, ticketKey, type Item } from './table-layout.js';
import { historyEntryFromItem, ticketFromItem } from './ticket-item.js';
import { analysisCompletion, idempotentCreate, newTicketPut, versionedUpdate } from './write-requests.js';

export interface DynamoDbTicketRepositoryOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  cursorSecret: string;
  now?: () => Date;
}

/**
 * The ports of domain/ticket-repository.ts on one DynamoDB table. The table's
 * layout is in table-layout.ts, the writes' conditions in write-requests.ts and
 * what their failure means in condition-failure.ts.
 */
export class DynamoDbTicketRepository implements TicketRepository, AnalysisCompletionStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #cursors: ListCursorCodec;
  readonly #now: () => Date;
  /** One page of a list's Query, on this table. */
  readonly #runQuery: RunQuery = (input) =>
    translatingErrors(this.#client.send(new QueryCommand({ ...input, TableName: this.#tableName })));

  constructor({ client, tableName, cursorSecret, now = () => new Date() }: DynamoDbTicketRepositoryOptions) {
    this.#client = client;
    this.#tableName = tableName;
    this.#cursors = new ListCursorCodec(cursorSecret);
    this.#now = now;
  }

  async create(ticket: Ticket, idempotency?: IdempotencyClaim): Promise<CreateResult> {
    if (!idempotency) {
      await this.#putNewTicket(ticket);
      return { ticket, replayed: false };
    }
    return this.#createIdempotently(ticket, idempotency);
  }

  async #putNewTicket(ticket: Ticket): Promise<void> {
    try {
      await this.#client.send(new PutCommand(newTicketPut(this.#tableName, ticket)));
    } catch (error) {
      const failure = newTicketConditionFailure(error, ticket);
      // The SDK retries a put whose answer was lost (a reset connection, a
      // timeout) after it committed; the retry then finds this very ticket.
      // That is success: reporting a conflict would make the client submit again.
      if (failure?.kind === 'already_stored') return;
      if (failure) throw refusalError(failure);
      throwStoreFailure(error);
    }
  }

  async #createIdempotently(ticket: Ticket, claim: IdempotencyClaim): Promise<CreateResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const write = idempotentCreate(this.#tableName, ticket, claim, this.#epochSeconds());
        await this.#client.send(new TransactWriteCommand(write));
        return { ticket, replayed: false };
      } catch (error) {
        // A double submit: the other create is mid-transaction. Once it commits, this one replays it.
        if (isTransactionConflict(error) && attempt < MAX_CREATE_ATTEMPTS) {
          await pauseAfterConflict(attempt);
          continue;
        }
        const failure = idempotentCreateConditionFailure(error, ticket.id);
        if (failure?.kind === 'key_used') return this.#replay(ticket.requester.id, claim, failure.record);
        if (failure) throw refusalError(failure);
        throwStoreFailure(error);
      }
    }
  }

  /** The ticket an earlier create with this key stored; `known` is its record, if already at hand. */
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
    return Item ? unexpiredRecordFromItem(Item, this.#epochSeconds()) : null;
  }

  /** One strongly consistent Query returns the ticket and its history (HISTORY# sorts before TICKET). */
  async get(id: string): Promise<TicketWithHistory | null> {
    const items = await this.#readPartition(id);
    const ticketItem = items.find((item) => item.sk === TICKET_SK);
    if (!ticketItem) return null;
    const history = items
      .filter((item) => typeof item.sk === 'string' && item.sk.startsWith(HISTORY_SK_PREFIX))
      .map(historyEntryFromItem);
    return { ...ticketFromItem(ticketItem), history };
  }

  async #readPartition(id: string): Promise<Item[]> {
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
    return items;
  }

  async #readTicket(id: string): Promise<Ticket | null> {
    const { Item } = await translatingErrors(
      this.#client.send(new GetCommand({ TableName: this.#tableName, Key: ticketKey(id), ConsistentRead: true })),
    );
    return Item ? ticketFromItem(Item) : null;
  }

  /** Optimistic locking on `version`; the ticket and its history entry are written together or not at all. */
  async update(next: Ticket, expectedVersion: number, entry: HistoryEntry): Promise<void> {
    if (next.version !== expectedVersion + 1 || entry.version !== next.version) {
      throw new Error(
        `An update must move the ticket from version ${expectedVersion} to ${expectedVersion + 1} ` +
          `(got ticket version ${next.version}, history entry version ${entry.version}).`,
      );
    }
    await this.#writeVersioned(versionedUpdate(this.#tableName, next, expectedVersion, entry), {
      ticketId: next.id,
      expected: `at version ${expectedVersion}`,
    });
  }

  async completeAnalysis(completion: AnalysisCompletionWrite): Promise<void> {
    const { id, expectedVersion, entry } = completion;
    if (entry.version !== expectedVersion + 1) {
      throw new Error(`A completion must move ticket ${id} from version ${expectedVersion} to ${expectedVersion + 1}.`);
    }
    await this.#writeVersioned(analysisCompletion(this.#tableName, completion), {
      ticketId: id,
      expected: `at version ${expectedVersion} with its analysis pending`,
    });
  }

  /** A write guarded by the ticket's version: NotFound if the ticket is gone, PreconditionFailed if it moved on. */
  async #writeVersioned(
    write: TransactWriteCommandInput,
    { ticketId, expected }: { ticketId: string; expected: string },
  ): Promise<void> {
    try {
      await this.#client.send(new TransactWriteCommand(write));
    } catch (error) {
      const failure = versionedWriteConditionFailure(error, ticketId, expected);
      if (failure) throw refusalError(failure);
      throwStoreFailure(error);
    }
  }

  async list(query: ListQuery): Promise<TicketPage> {
    assertPageSize(query.limit);
    const plan = planListQuery(query);
    const startKey = query.cursor === undefined ? undefined : this.#cursors.decode(query.cursor, query);
    const page = await readPage(this.#runQuery, plan, query.limit, startKey);
    return {
      items: page.items.map(ticketFromItem),
      nextCursor: page.resumeKey ? this.#cursors.encode(page.resumeKey, query) : null,
    };
  }

  #epochSeconds(): number {
    return Math.floor(this.#now().getTime() / 1000);
  }
}
