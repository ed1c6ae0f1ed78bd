import type { FromSchema } from 'json-schema-to-ts';
import {
  ASSIGNEE_ID_PATTERN,
  COMMENT_BODY_MAX_LENGTH,
  COMMENT_VISIBILITIES,
  DESCRIPTION_MAX_LENGTH,
  MAX_TAGS,
  QUEUE_ORDERS,
  SUBJECT_MAX_LENGTH,
  TAG_PATTERN,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_ID_PATTERN,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from './ticket-vocabulary.js';

/*
 * What each ticket operation takes, as JSON Schemas: the functions validate
 * requests against them (functions/<name>/request-schema.ts), and the input
 * types are derived from them, so the two cannot drift apart.
 */

/** A ticket's id, as a path names it. */
export const ticketIdSchema = { type: 'string', pattern: TICKET_ID_PATTERN } as const;

const tagsSchema = { type: 'array', maxItems: MAX_TAGS, items: { type: 'string', pattern: TAG_PATTERN } } as const;

/** Creating a ticket: the customer's words, optional tags and the channel it came through. */
export const newTicketSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['subject', 'description'],
  properties: {
    subject: { type: 'string', minLength: 1, maxLength: SUBJECT_MAX_LENGTH },
    description: { type: 'string', minLength: 1, maxLength: DESCRIPTION_MAX_LENGTH },
    tags: tagsSchema,
    channel: { type: 'string', enum: TICKET_CHANNELS },
  },
} as const;
export type NewTicketInput = FromSchema<typeof newTicketSchema>;

/** The fields an update may change; absent fields stay as they are. */
export const ticketChangesSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    status: { type: 'string', enum: TICKET_STATUSES },
    priority: { type: 'string', enum: TICKET_PRIORITIES },
    assigneeId: { anyOf: [{ type: 'string', pattern: ASSIGNEE_ID_PATTERN }, { type: 'null' }] },
    category: { type: 'string', enum: TICKET_CATEGORIES },
    tags: tagsSchema,
  },
} as const;
export type TicketChanges = FromSchema<typeof ticketChangesSchema>;

/** Far above any real cursor (~400 characters); bounds the work spent on hostile input. */
export const CURSOR_MAX_LENGTH = 2048;

/**
 * Listing tickets: optional filters, a page size and where to resume. Query
 * values arrive as strings, so a validator of this schema must coerce `limit`;
 * it fills in the default.
 */
export const listTicketsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: TICKET_STATUSES },
    priority: { type: 'string', enum: TICKET_PRIORITIES },
    sort: {
      type: 'string',
      enum: QUEUE_ORDERS,
      description:
        "How an agent's status queue is ordered: `priority` (the triage order: priority, then oldest first; the " +
        'default) or `due` (the next due time first: the first response until an agent has replied, then the ' +
        'resolution). Needs `status`; `due` takes no `priority`.',
    },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', minLength: 1, maxLength: CURSOR_MAX_LENGTH },
  },
} as const;
export type ListTicketsInput = FromSchema<typeof listTicketsSchema>;

/**
 * How long a comment's body may be as sent. COMMENT_BODY_MAX_LENGTH bounds
 * the text as stored (control characters removed), which the comment service
 * checks; this bound, well above it, only keeps hostile input from being
 * sanitized at any length (the request body limit bounds it too).
 */
export const COMMENT_BODY_RAW_MAX_LENGTH = 5 * COMMENT_BODY_MAX_LENGTH;

/** Adding a comment: its words and who may see it (everyone on the ticket unless said otherwise). */
export const newCommentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  properties: {
    body: {
      type: 'string',
      minLength: 1,
      maxLength: COMMENT_BODY_RAW_MAX_LENGTH,
      description: `At most ${String(COMMENT_BODY_MAX_LENGTH)} characters once control characters are removed.`,
    },
    visibility: { type: 'string', enum: COMMENT_VISIBILITIES, default: 'public' },
  },
} as const;
export type NewCommentInput = FromSchema<typeof newCommentSchema>;

/** Listing a ticket's comments, oldest first: a page size and where to resume (`limit` coerced as for tickets). */
export const listCommentsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', minLength: 1, maxLength: CURSOR_MAX_LENGTH },
  },
} as const;
export type ListCommentsInput = FromSchema<typeof listCommentsSchema>;
