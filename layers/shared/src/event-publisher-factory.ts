import { loadOnce } from './load-once.js';
import type { EventPublisher } from './events/event-publisher.js';
import { createEventBridgeClient } from './aws-clients.js';
import { readEventBusName } from './config.js';
import { streamBatchHandler } from './stream/stream-handler.js';
import { itemOfStreamKeys } from './repository/ticket-stream.js';

/*
 * Wires the publishing of the table's changes (entry point
 * `@aws-support-system/shared/events`): the stream's records read by the
 * repository's key layout, published to the stack's event bus. The publisher
 * and its EventBridge client are loaded and built on the first batch, once
 * per execution environment.
 */

let handler: ReturnType<typeof streamBatchHandler> | undefined;
let publisher: (() => Promise<EventPublisher>) | undefined;

function loadPublisher(eventBusName: string): Promise<EventPublisher> {
  publisher ??= loadOnce(async () => {
    const [{ EventPublisher }, client] = await Promise.all([
      import('./events/event-publisher.js'),
      createEventBridgeClient(),
    ]);
    return new EventPublisher({ client, eventBusName, itemOf: itemOfStreamKeys });
  });
  return publisher();
}

/** The publish-events function's handler on the one stream stack. */
export function ticketEventsHandler(): ReturnType<typeof streamBatchHandler> {
  if (!handler) {
    // Read at cold start: a function deployed without its bus fails there, not on a batch.
    const eventBusName = readEventBusName();
    handler = streamBatchHandler(async (records) => (await loadPublisher(eventBusName)).publish(records));
  }
  return handler;
}
