import type { FromSchema } from 'json-schema-to-ts';
import type {
  historyEntrySchema,
  ticketAnalysisSchema,
  ticketSchema,
  ticketWithHistorySchema,
} from './ticket-schema.js';
import type { CallerRole } from './ticket-vocabulary.js';

/**
 * The ticket as the API and the repository see it. The types are those of the
 * response schemas (ticket-schema.ts), so the API's description and the code
 * cannot drift apart.
 */

export * from './ticket-vocabulary.js';

export type Ticket = FromSchema<typeof ticketSchema>;
export type TicketWithHistory = FromSchema<typeof ticketWithHistorySchema>;
export type HistoryEntry = FromSchema<typeof historyEntrySchema>;
export type TicketAnalysis = FromSchema<typeof ticketAnalysisSchema>;

export type Requester = Ticket['requester'];
export type SentimentResult = NonNullable<TicketAnalysis['sentiment']>;
/** How many spans of one PII type were removed from the stored text. */
export type Redaction = TicketAnalysis['redactions'][number];
/** A phrase of the ticket that drove its priority or its category, and what kind of evidence it is. */
export type TriageSignal = TicketAnalysis['signals']['priority'][number];
/** One field's change inside a history entry; texts re-redacted by analysis are never copied into history. */
export type FieldChange = HistoryEntry['changes'][number];

/** Who is calling, taken from the authorizer's claims. */
export interface Caller {
  id: string;
  email: string | null;
  role: CallerRole;
}
