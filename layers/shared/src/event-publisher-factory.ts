import { createEventBridgeClient } from './aws-clients.js';
import { EventPublisher } from './events/event-publisher.js';
import { readEventBusName } from './config.js';
import { streamBatchHandler } from './stream/stream-handler.js';
import { itemOfStreamKeys } from './repository/ticket-stream.js';

/*
 * Wires the publishing of the table's changes: the stream's records read by
 * the repository's key layout, published to the stack's event bus.
 */

let handler: ReturnType<typeof streamBatchHandler> | undefined;

/** The publish-events function's handler on the one stream stack, its EventBridge client built once per cold start. */
export function ticketEventsHandler(): ReturnType<typeof streamBatchHandler> {
  if (!handler) {
    const publisher = new EventPublisher({
      client: createEventBridgeClient(),
      eventBusName: readEventBusName(),
      itemOf: itemOfStreamKeys,
    });
    handler = streamBatchHandler((records) => publisher.publish(records));
  }
  return handler;
}
