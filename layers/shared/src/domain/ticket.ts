/** The ticket as the API and the repository see it. */

export const TICKET_STATUSES = ['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Ordered most urgent first: the index is the rank used for triage ordering. */
export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_CATEGORIES = [
  'billing',
  'account',
  'technical',
  'bug',
  'feature_request',
  'security',
  'general',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_CHANNELS = ['api', 'web', 'email', 'chat', 'phone'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const SENTIMENT_LABELS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

export const MAX_TAGS = 10;
export const SUBJECT_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 20_000;

export type AnalysisStatus = 'complete' | 'pending' | 'failed';

export interface SentimentResult {
  label: SentimentLabel;
  scores: { positive: number; negative: number; neutral: number; mixed: number };
}

/** How many spans of one PII type were removed from the stored text. */
export interface Redaction {
  type: string;
  count: number;
}

/** A phrase of the ticket that drove its priority or its category, and what kind of evidence it is. */
export interface TriageSignal {
  kind: string;
  phrase: string;
}

export interface TicketAnalysis {
  status: AnalysisStatus;
  language: string | null;
  sentiment: SentimentResult | null;
  keyPhrases: string[];
  urgent: boolean;
  redactions: Redaction[];
  /** Why the ticket got its priority and category, so an agent can check the call. */
  signals: { priority: TriageSignal[]; category: TriageSignal[] };
}

export interface Requester {
  id: string;
  email: string | null;
}

export interface Ticket {
  id: string;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  category: TicketCategory;
  tags: string[];
  requester: Requester;
  assigneeId: string | null;
  channel: TicketChannel;
  analysis: TicketAnalysis;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * One field's change inside a history entry. `analysis` records the analysis
 * status moving on (from `pending` to `complete` or `failed`); the texts it
 * re-redacted are never copied into history.
 */
export interface FieldChange {
  field: 'status' | 'priority' | 'assigneeId' | 'category' | 'tags' | 'analysis';
  from: unknown;
  to: unknown;
}

/** Who made a change: a caller, or the system itself (analysis completed from the table's stream). */
export type ActorRole = CallerRole | 'system';

export interface HistoryEntry {
  version: number;
  at: string;
  by: { id: string; role: ActorRole };
  changes: FieldChange[];
}

export interface TicketWithHistory extends Ticket {
  history: HistoryEntry[];
}

export type CallerRole = 'customer' | 'agent';

/** Who is calling, taken from the authorizer's claims. */
export interface Caller {
  id: string;
  email: string | null;
  role: CallerRole;
}

export const priorityRank = (priority: TicketPriority): number => TICKET_PRIORITIES.indexOf(priority);

/** Ticket ids are ULIDs: 26 characters of Crockford base32, sortable by creation time. */
export const TICKET_ID_PATTERN = '^[0-9A-HJKMNP-TV-Z]{26}$';
/** Tags are short labels; case is folded when stored. */
export const TAG_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$';
/** Visible ASCII, as in the IETF Idempotency-Key draft's examples; at most 255 characters. */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]+$';
/** An agent's user id (a Cognito `sub` or username). */
export const ASSIGNEE_ID_PATTERN = '^[\\x21-\\x7E]{1,128}$';
