import type { FromSchema } from 'json-schema-to-ts';
import { commentAnalysisSchema } from './ticket-schema.js';
import { CALLER_ROLES, COMMENT_VISIBILITIES, TICKET_ID_PATTERN } from './ticket-vocabulary.js';

/**
 * A comment as the API answers it (draft 2020-12, like ticket-schema.ts): the
 * source of the OpenAPI document's components and of the Comment type. The
 * body carries no upper bound: a redaction marker may make it longer than sent.
 */
export const commentSchema = {
  type: 'object',
  description: "One turn of a ticket's conversation: a public comment, or an agent's internal note.",
  additionalProperties: false,
  required: ['id', 'ticketId', 'author', 'body', 'visibility', 'createdAt', 'analysis'],
  properties: {
    id: { type: 'string', pattern: TICKET_ID_PATTERN, description: 'A ULID: sortable by creation time.' },
    ticketId: { type: 'string', pattern: TICKET_ID_PATTERN },
    author: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'role'],
      properties: {
        id: { type: 'string', minLength: 1 },
        role: { type: 'string', enum: CALLER_ROLES },
      },
    },
    body: { type: 'string', minLength: 1 },
    visibility: {
      type: 'string',
      enum: COMMENT_VISIBILITIES,
      description: '`internal` notes are seen by agents only.',
    },
    createdAt: { type: 'string', format: 'date-time' },
    analysis: commentAnalysisSchema,
  },
} as const;

export const commentPageSchema = {
  type: 'object',
  description: "One page of a ticket's comments, oldest first; `nextCursor` asks for the next one, null on the last.",
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: commentSchema },
    nextCursor: { type: ['string', 'null'], minLength: 1 },
  },
} as const;

export type Comment = FromSchema<typeof commentSchema>;
export type CommentAnalysis = Comment['analysis'];
export type CommentPage = FromSchema<typeof commentPageSchema>;
