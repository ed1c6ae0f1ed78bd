import { analysisCompletion, ticketStreamHandler } from '@aws-support-system/shared';

const completion = analysisCompletion();

/**
 * The table's stream, filtered by the event source mapping to tickets whose
 * analysis is pending: completes them, and names the records whose ticket is
 * still owed an analysis so that Lambda retries them.
 */
export const handler = ticketStreamHandler((ticketIds) => completion.completeAndListRetries(ticketIds));
