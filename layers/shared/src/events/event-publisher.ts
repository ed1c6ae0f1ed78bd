import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { errorNameOf } from '../error-name.js';
import { MalformedRecordError } from './record-image.js';
import { logger } from '../logger.js';
import { EVENT_SOURCE, eventOfRecord, type StreamItemOfKeys, type TicketEvent } from './ticket-events.js';

/*
 * Publishes a batch of the table's stream records to the event bus, in
 * order. Delivery is at least once: a batch retried after a partial failure
 * publishes again the events of its records that had already gone (a
 * PutEvents call is not atomic, and Lambda may deliver a record twice), so
 * each detail carries `changeId`, the record's eventID, for consumers to drop
 * duplicates by. A ticket's events keep their order: nothing after the first
 * record left unpublished is sent in the same invocation, and Lambda retries
 * from that record.
 */

/** PutEvents takes at most 10 entries and 256 KB a call. */
export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BYTES_PER_CALL = 256 * 1024;
/** What EventBridge counts for an entry's Time, whatever its value. */
const TIME_BYTES = 14;

export interface EventPublisherOptions {
  client: EventBridgeClient;
  eventBusName: string;
  itemOf: StreamItemOfKeys;
}

interface Pending {
  /** What Lambda's partial batch response names the record by. */
  sequenceNumber: string;
  entry: PutEventsRequestEntry;
  bytes: number;
}

export class EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;
  readonly #itemOf: StreamItemOfKeys;

  constructor(options: EventPublisherOptions) {
    this.#client = options.client;
    this.#eventBusName = options.eventBusName;
    this.#itemOf = options.itemOf;
  }

  /** Publishes the events of `records`; answers the first record left unpublished, for Lambda to retry from. */
  async publish(records: readonly (Partial<DynamoDBRecord> | null)[]): Promise<DynamoDBBatchResponse> {
    const pending = this.#eventsOf(records);
    for (const call of calls(pending)) {
      const unpublished = await this.#put(call);
      if (unpublished !== undefined) {
        logger.warn('Events left for Lambda to retry', {
          records: records.length,
          published: pending.indexOf(unpublished),
          events: pending.length,
        });
        return { batchItemFailures: [{ itemIdentifier: unpublished.sequenceNumber }] };
      }
    }
    if (pending.length > 0) logger.info('Events published', { records: records.length, events: pending.length });
    return { batchItemFailures: [] };
  }

  /** The events the records stand for, in order; a record that cannot be read is logged (never its content) and skipped. */
  #eventsOf(records: readonly (Partial<DynamoDBRecord> | null)[]): Pending[] {
    const pending: Pending[] = [];
    let malformed = 0;
    for (const record of records) {
      const sequenceNumber = record?.dynamodb?.SequenceNumber;
      try {
        if (!record || typeof sequenceNumber !== 'string')
          throw new MalformedRecordError('The record has no sequence number.');
        const event = eventOfRecord(record, this.#itemOf);
        if (event) pending.push({ sequenceNumber, ...this.#entryOf(event) });
      } catch (error) {
        malformed += 1;
        logger.error('A stream record that cannot be read was skipped', {
          sequenceNumber,
          reason: error instanceof MalformedRecordError ? error.message : errorNameOf(error),
        });
      }
    }
    if (malformed > 0) logger.error('Stream records skipped', { malformed });
    return pending;
  }

  #entryOf(event: TicketEvent): { entry: PutEventsRequestEntry; bytes: number } {
    const detail = JSON.stringify(event.detail);
    const entry = {
      EventBusName: this.#eventBusName,
      Source: EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: detail,
      Time: new Date(event.time),
      Resources: [],
    };
    const bytes = TIME_BYTES + utf8Bytes(EVENT_SOURCE) + utf8Bytes(event.detailType) + utf8Bytes(detail);
    return { entry, bytes };
  }

  /** Sends one call; answers the first of its events not published, if any. */
  async #put(call: readonly Pending[]): Promise<Pending | undefined> {
    try {
      const output = await this.#client.send(new PutEventsCommand({ Entries: call.map(({ entry }) => entry) }));
      const results = output.Entries ?? [];
      const failed = call.findIndex((_event, index) => {
        const result = results[index];
        return result === undefined || result.ErrorCode !== undefined || result.EventId === undefined;
      });
      if (failed === -1 && (output.FailedEntryCount ?? 0) === 0) return undefined;
      const first = failed === -1 ? 0 : failed;
      logger.error('EventBridge refused events', {
        failedEntryCount: output.FailedEntryCount,
        errorCode: results[first]?.ErrorCode,
      });
      return call[first];
    } catch (error) {
      logger.error('PutEvents failed', { error: errorNameOf(error) });
      return call[0];
    }
  }
}

/** The events in order, cut into PutEvents calls of at most 10 entries and 256 KB. */
function calls(pending: readonly Pending[]): Pending[][] {
  const result: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const event of pending) {
    if (current.length === MAX_ENTRIES_PER_CALL || (current.length > 0 && bytes + event.bytes > MAX_BYTES_PER_CALL)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += event.bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');
