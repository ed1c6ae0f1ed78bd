/** The words a ticket is made of: its statuses, priorities, categories and limits, and the patterns its ids follow. */

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
export const COMMENT_BODY_MAX_LENGTH = 20_000;

/** Who sees a comment: everyone on the ticket, or agents alone (an agent's note). */
export const COMMENT_VISIBILITIES = ['public', 'internal'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];

export const ANALYSIS_STATUSES = ['complete', 'pending', 'failed'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

/** Who may call the API. */
export const CALLER_ROLES = ['customer', 'agent'] as const;
export type CallerRole = (typeof CALLER_ROLES)[number];

/** Who may change a ticket: a caller, or the system itself (analysis completed from the table's stream). */
export const ACTOR_ROLES = [...CALLER_ROLES, 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** The fields a history entry records changes of (`analysis`: its status moving on). */
export const HISTORY_FIELDS = ['status', 'priority', 'assigneeId', 'category', 'tags', 'analysis'] as const;

/** The orders of an agent's status queue: triage (priority, then oldest first), or the next due time. */
export const QUEUE_ORDERS = ['priority', 'due'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

/** The service-level targets a ticket carries: the first public reply of an agent, and its resolution. */
export const SERVICE_LEVEL_TARGET_KINDS = ['firstResponse', 'resolution'] as const;
export type ServiceLevelTargetKind = (typeof SERVICE_LEVEL_TARGET_KINDS)[number];
/** While a ticket is in one of these, its service-level clocks stand still: it waits on the customer, or is done. */
export const CLOCK_STOPPING_STATUSES = ['waiting_on_customer', 'resolved', 'closed'] as const;

export const priorityRank = (priority: TicketPriority): number => TICKET_PRIORITIES.indexOf(priority);

/** Ticket ids are ULIDs: 26 characters of Crockford base32, sortable by creation time. */
export const TICKET_ID_PATTERN = '^[0-9A-HJKMNP-TV-Z]{26}$';
/** Tags are short labels; case is folded when stored. */
export const TAG_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$';
/** Visible ASCII, as in the IETF Idempotency-Key draft's examples; at most 255 characters. */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]+$';
/** An agent's user id (a Cognito `sub` or username). */
export const ASSIGNEE_ID_PATTERN = '^[\\x21-\\x7E]{1,128}$';
