import { createEventBridgeClient } from './aws-clients.js';
import { EventPublisher } from './events/event-publisher.js';
import type { StreamItem } from './events/ticket-events.js';
import { readEventBusName } from './config.js';
import { streamBatchHandler } from './stream/stream-handler.js';
import { COMMENT_SK_PREFIX, HISTORY_SK_PREFIX, TICKET_SK, ticketPartition } from './repository/table-layout.js';

/*
 * Wires the publishing of the table's changes: the stream's records read by
 * the repository's key layout, published to the stack's event bus.
 */

/** Every ticket's partition key starts so: it is the partition of a ticket with an empty id. */
const TICKET_PARTITION_PREFIX = ticketPartition('');

/** Which item of a ticket's partition a record's keys name; undefined for any other item. */
export function streamItemOfKeys(pk: string, sk: string): StreamItem | undefined {
  if (!pk.startsWith(TICKET_PARTITION_PREFIX)) return undefined;
  const ticketId = pk.slice(TICKET_PARTITION_PREFIX.length);
  if (ticketId === '') return undefined;
  if (sk === TICKET_SK) return { kind: 'ticket', ticketId };
  if (sk.startsWith(HISTORY_SK_PREFIX)) return { kind: 'history', ticketId };
  if (sk.startsWith(COMMENT_SK_PREFIX)) return { kind: 'comment', ticketId };
  return undefined;
}

let handler: ReturnType<typeof streamBatchHandler> | undefined;

/** The publish-events function's handler on the one stream stack, its EventBridge client built once per cold start. */
export function ticketEventsHandler(): ReturnType<typeof streamBatchHandler> {
  if (!handler) {
    const publisher = new EventPublisher({
      client: createEventBridgeClient(),
      eventBusName: readEventBusName(),
      itemOf: streamItemOfKeys,
    });
    handler = streamBatchHandler((records) => publisher.publish(records));
  }
  return handler;
}
