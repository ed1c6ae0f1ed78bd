import { ticketEventsHandler } from '@aws-support-system/shared/events';

/**
 * The table's stream, filtered by the event source mapping to the records
 * that can become events: publishes each committed change to the stack's
 * event bus, in order, and names the first record left unpublished so that
 * Lambda retries from it.
 */
export const handler = ticketEventsHandler();
