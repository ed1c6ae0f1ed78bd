import {
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { IdempotencyMismatchError, NotFoundError, UnavailableError } from '../domain/errors.js';
import type { SecretSource } from '../domain/secret-source.js';
import type { CallerRole, HistoryEntry, Ticket, TicketWithHistory } from '../domain/ticket.js';
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
import { ListCursorCodec } from './list-cursor.js';
import { assertPageSize, readPage, type RunQuery } from './list-pages.js';
import { planListQuery } from './list-plan.js';
import { throwStoreFailure, transactAfterConflicts, translatingErrors } from './sdk-errors.js';
import { ticketFromItem } from './ticket-item.js';
import { readIdempotencyRecord, readTicket, readTicketWithHistory, type TicketTable } from './table-reads.js';
import { analysisCompletion, idempotentCreate, newTicketPut, versionedUpdate } from './write-requests.js';

export interface DynamoDbTicketRepositoryOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Signs list cursors; read only when a list takes or hands out a cursor. */
  cursorSecret: SecretSource;
  now?: () => Date;
}

/**
 * The ports of domain/ticket-repository.ts on one DynamoDB table. The table's
 * layout is in table-layout.ts, the writes' conditions in write-requests.ts and
 * what their failure means in condition-failure.ts.
 */
export class DynamoDbTicketRepository implements TicketRepository, AnalysisCompletionStore {
  readonly #table: TicketTable;
  readonly #cursorSecret: SecretSource;
  readonly #now: () => Date;
  /** One page of a list's Query, on this table. */
  readonly #runQuery: RunQuery = (input) =>
    translatingErrors(this.#table.client.send(new QueryCommand({ ...input, TableName: this.#table.tableName })));

  constructor({ client, tableName, cursorSecret, now = () => new Date() }: DynamoDbTicketRepositoryOptions) {
    this.#table = { client, tableName, now };
    this.#cursorSecret = cursorSecret;
    this.#now = now;
  }

  async create(ticket: Ticket, idempotency?: IdempotencyClaim, seenBy: CallerRole = 'customer'): Promise<CreateResult> {
    if (!idempotency) {
      await this.#putNewTicket(ticket);
      return { ticket, replayed: false };
    }
    return this.#createIdempotently(ticket, idempotency, seenBy);
  }

  async #putNewTicket(ticket: Ticket): Promise<void> {
    try {
      await this.#table.client.send(new PutCommand(newTicketPut(this.#table.tableName, ticket)));
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

  async #createIdempotently(ticket: Ticket, claim: IdempotencyClaim, seenBy: CallerRole): Promise<CreateResult> {
    try {
      // A double submit: the other create may be mid-transaction. Once it commits, this one replays it.
      await transactAfterConflicts(this.#table.client, () =>
        idempotentCreate(this.#table.tableName, ticket, claim, this.#epochSeconds()),
      );
      return { ticket, replayed: false };
    } catch (error) {
      const failure = idempotentCreateConditionFailure(error, ticket.id);
      if (failure?.kind === 'key_used') return this.#replay(ticket.requester.id, claim, failure.record, seenBy);
      if (failure) throw refusalError(failure);
      throwStoreFailure(error);
    }
  }

  /** The ticket an earlier create with this key stored; `known` is its record, if already at hand. */
  async #replay(
    requesterId: string,
    claim: IdempotencyClaim,
    known: IdempotencyRecord | null,
    seenBy: CallerRole,
  ): Promise<CreateResult> {
    const record = known ?? (await this.findIdempotentCreate(requesterId, claim.key));
    if (!record) throw new UnavailableError('The earlier request with this Idempotency-Key could not be read.', 1);
    if (record.fingerprint !== claim.fingerprint) {
      throw new IdempotencyMismatchError('This Idempotency-Key was already used with a different request.');
    }
    const ticket = await readTicket(this.#table, record.ticketId, seenBy);
    if (!ticket) {
      throw new NotFoundError(`Ticket ${record.ticketId}, created with this Idempotency-Key, no longer exists.`);
    }
    return { ticket, replayed: true };
  }

  async findReplay(
    requesterId: string,
    claim: IdempotencyClaim,
    seenBy: CallerRole = 'customer',
  ): Promise<Ticket | null> {
    const record = await this.findIdempotentCreate(requesterId, claim.key);
    return record ? (await this.#replay(requesterId, claim, record, seenBy)).ticket : null;
  }

  async findIdempotentCreate(requesterId: string, key: string): Promise<IdempotencyRecord | null> {
    return readIdempotencyRecord(this.#table, requesterId, key, this.#epochSeconds());
  }

  /** One strongly consistent Query returns the ticket and its history. */
  async get(id: string, seenBy: CallerRole = 'customer'): Promise<TicketWithHistory | null> {
    return readTicketWithHistory(this.#table, id, seenBy);
  }

  /** For the system's own decisions, never a response: the history is not cut to fit one. */
  async getWithWholeHistory(id: string): Promise<TicketWithHistory | null> {
    return readTicketWithHistory(this.#table, id, 'agent', { wholeHistory: true });
  }

  /** Optimistic locking on `version`; the ticket and its history entry are written together or not at all. */
  async update(next: Ticket, expectedVersion: number, entry: HistoryEntry): Promise<void> {
    if (next.version !== expectedVersion + 1 || entry.version !== next.version) {
      throw new Error(
        `An update must move the ticket from version ${expectedVersion} to ${expectedVersion + 1} ` +
          `(got ticket version ${next.version}, history entry version ${entry.version}).`,
      );
    }
    await this.#writeVersioned(versionedUpdate(this.#table.tableName, next, expectedVersion, entry), {
      ticketId: next.id,
      expected: `at version ${expectedVersion}`,
    });
  }

  async completeAnalysis(completion: AnalysisCompletionWrite): Promise<void> {
    const { id, expectedVersion, entry } = completion;
    if (entry.version !== expectedVersion + 1) {
      throw new Error(`A completion must move ticket ${id} from version ${expectedVersion} to ${expectedVersion + 1}.`);
    }
    await this.#writeVersioned(analysisCompletion(this.#table.tableName, completion), {
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
      await this.#table.client.send(new TransactWriteCommand(write));
    } catch (error) {
      const failure = versionedWriteConditionFailure(error, ticketId, expected);
      if (failure) throw refusalError(failure);
      throwStoreFailure(error);
    }
  }

  async list(query: ListQuery): Promise<TicketPage> {
    assertPageSize(query.limit);
    const plan = planListQuery(query);
    const startKey = query.cursor === undefined ? undefined : (await this.#cursors()).decode(query.cursor, query);
    const now = this.#now();
    const page = await readPage(this.#runQuery, plan, query.limit, startKey, (item) =>
      ticketFromItem(item, query.seenBy ?? 'customer', now),
    );
    return {
      items: page.entries,
      nextCursor: page.resumeKey ? (await this.#cursors()).encode(page.resumeKey, query) : null,
    };
  }

  async #cursors(): Promise<ListCursorCodec> {
    return new ListCursorCodec(await this.#cursorSecret());
  }

  #epochSeconds(): number {
    return Math.floor(this.#now().getTime() / 1000);
  }
}
