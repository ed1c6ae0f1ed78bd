import { analysisCompletion, ticketStreamHandler } from '@aws-support-system/shared/analysis-completion';

const completion = analysisCompletion();

/**
 * The table's stream, filtered by the event source mapping to tickets and
 * comments whose analysis is pending: completes them, and names the records
 * whose ticket or comment is still owed an analysis so that Lambda retries them.
 */
export const handler = ticketStreamHandler((subjects) => completion.completeAndListRetries(subjects));
