/**
 * Labelled tickets analyzed as new tickets are: the text sanitized as the
 * ticket service does, then the layer's ComprehendAnalyzer with a real
 * ComprehendClient talking to the local Comprehend stand-in, started in this
 * process on a free loopback port with dummy credentials. Nothing reaches
 * AWS. What `npm run eval:triage` and the bench's Comprehend units read.
 */
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { ComprehendAnalyzer } from '../layers/shared/src/analysis/comprehend-analyzer.js';
import type { AnalysisOutcome, TicketFields } from '../layers/shared/src/domain/ticket-analyzer.js';
import { sanitizeText } from '../layers/shared/src/domain/ticket-text.js';
import { startComprehendStandIn } from '../local/comprehend/comprehend-stand-in.js';
import type { LabelledTicket } from './labelled-tickets.js';

/** Tickets analyzed at once: the stand-in is one process, more only queues. */
const CONCURRENCY = 8;
/** Generous: the stand-in on a busy machine is slower than Comprehend, and a timeout would hide sentiment. */
const DEADLINE_MS = 30_000;

export interface AnalyzedTicket<T extends LabelledTicket = LabelledTicket> {
  ticket: T;
  /** The fields as the analyzer read them. */
  fields: TicketFields;
  outcome: AnalysisOutcome;
}

export interface LabelledAnalysisOptions {
  /** Called with the client before any ticket is analyzed: a place to add middleware. */
  withClient?: (client: ComprehendClient) => void;
  /** Runs each ticket's analysis; `analyze` is the analysis itself (to run it in a context of its own). */
  around?: <R>(ticket: LabelledTicket, analyze: () => Promise<R>) => Promise<R>;
}

export async function analyzeLabelledTickets<T extends LabelledTicket>(
  tickets: readonly T[],
  { withClient, around = (_ticket, analyze) => analyze() }: LabelledAnalysisOptions = {},
): Promise<AnalyzedTicket<T>[]> {
  const standIn = await startComprehendStandIn({ port: 0, fault: 'none' });
  const client = new ComprehendClient({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  withClient?.(client);
  const analyzer = new ComprehendAnalyzer({ client, deadlineMs: DEADLINE_MS });
  try {
    return await mapConcurrently(tickets, CONCURRENCY, async (ticket) => {
      const fields = { subject: sanitizeText(ticket.subject), description: sanitizeText(ticket.body) };
      return { ticket, fields, outcome: await around(ticket, () => analyzer.analyze(fields)) };
    });
  } finally {
    client.destroy();
    await standIn.stop();
  }
}

/** `work` on every item, at most `limit` at a time; the results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  // One iterator shared by the workers: each item is taken once, in order.
  const pending = items.entries();
  const worker = async () => {
    for (const [index, item] of pending) results[index] = await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
