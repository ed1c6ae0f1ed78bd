import {
  ACTOR_ROLES,
  ANALYSIS_STATUSES,
  ASSIGNEE_ID_PATTERN,
  HISTORY_FIELDS,
  MAX_TAGS,
  SENTIMENT_LABELS,
  SERVICE_LEVEL_TARGET_KINDS,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_ID_PATTERN,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from './ticket-vocabulary.js';

/**
 * What the API answers, as JSON Schemas (draft 2020-12, the dialect of
 * OpenAPI 3.1): the source of the OpenAPI document's components (scripts/openapi.ts)
 * and of the types the end-to-end tests check every response against.
 *
 * Objects the API answers with exactly these fields are closed
 * (`additionalProperties: false`). Texts carry no upper bound: a bound holds for
 * what a client sends, while the stored text may grow where a secret is
 * replaced by its redaction marker.
 */

/** An ISO 8601 instant as the API writes it (`Date.prototype.toISOString`). */
const instantSchema = { type: 'string', format: 'date-time' } as const;

/** Tags as stored: lower-case, each once (a redacted part reads `redacted`). */
const storedTagsSchema = {
  type: 'array',
  maxItems: MAX_TAGS,
  uniqueItems: true,
  items: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
} as const;

const triageSignalSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'phrase'],
  properties: {
    kind: { type: 'string', minLength: 1, description: 'What kind of evidence the phrase is.' },
    phrase: { type: 'string', description: 'The words of the ticket that weighed; empty when no text could be read.' },
  },
} as const;

const sentimentScoreSchema = { type: 'number', minimum: 0, maximum: 1 } as const;

const languageSchema = {
  type: ['string', 'null'],
  pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
  description: 'The dominant language (an RFC 5646 code such as `en` or `zh-TW`); null while undetermined.',
} as const;

const sentimentSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['label', 'scores'],
  properties: {
    label: { type: 'string', enum: SENTIMENT_LABELS },
    scores: {
      type: 'object',
      additionalProperties: false,
      required: ['positive', 'negative', 'neutral', 'mixed'],
      properties: {
        positive: sentimentScoreSchema,
        negative: sentimentScoreSchema,
        neutral: sentimentScoreSchema,
        mixed: sentimentScoreSchema,
      },
    },
  },
} as const;

const redactionsSchema = {
  type: 'array',
  description: 'How many spans of each kind of personal data were removed from the stored text.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'count'],
    properties: {
      type: { type: 'string', minLength: 1 },
      count: { type: 'integer', minimum: 1 },
    },
  },
} as const;

const analysisStatusSchema = {
  type: 'string',
  enum: ANALYSIS_STATUSES,
  description: '`pending` until Comprehend has read the text; `failed` if it refused it.',
} as const;

export const ticketAnalysisSchema = {
  type: 'object',
  description: "The ticket's analysis: Amazon Comprehend's findings, what was redacted, and why it was triaged so.",
  additionalProperties: false,
  required: ['status', 'language', 'sentiment', 'keyPhrases', 'urgent', 'redactions', 'signals'],
  properties: {
    status: analysisStatusSchema,
    language: languageSchema,
    sentiment: sentimentSchema,
    keyPhrases: { type: 'array', items: { type: 'string' } },
    urgent: { type: 'boolean' },
    redactions: redactionsSchema,
    signals: {
      type: 'object',
      description: 'Why the ticket got its priority and category.',
      additionalProperties: false,
      required: ['priority', 'category'],
      properties: {
        priority: { type: 'array', items: triageSignalSchema },
        category: { type: 'array', items: triageSignalSchema },
      },
    },
  },
} as const;

/** A comment's analysis: its language, its sentiment (a conversation turning negative is a signal) and what was redacted. */
export const commentAnalysisSchema = {
  type: 'object',
  description: "The comment's analysis: Amazon Comprehend's language and sentiment, and what was redacted.",
  additionalProperties: false,
  required: ['status', 'language', 'sentiment', 'redactions'],
  properties: {
    status: analysisStatusSchema,
    language: languageSchema,
    sentiment: sentimentSchema,
    redactions: redactionsSchema,
  },
} as const;

/** When the ticket's first response and resolution are due, and which of them were missed. */
const serviceLevelsSchema = {
  type: 'object',
  description:
    "The ticket's service levels. The targets depend on its priority and are set per deployment; time waiting on " +
    'the customer does not count: while the status is `waiting_on_customer`, `resolved` or `closed` the due times ' +
    'stand still, and they move on by the time stopped when the ticket is back in the queue. A change of priority ' +
    'moves them by the difference between the targets.',
  additionalProperties: false,
  required: ['firstResponseDueAt', 'resolutionDueAt', 'pausedSince', 'breached'],
  properties: {
    firstResponseDueAt: { ...instantSchema, description: "When an agent's first public reply is due." },
    resolutionDueAt: { ...instantSchema, description: 'When the ticket is due to be resolved.' },
    pausedSince: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Since when the clock has stood still; null while it runs.',
    },
    breached: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', enum: SERVICE_LEVEL_TARGET_KINDS },
      description:
        'The targets missed: a first response given late or still owed after its due time, a resolution likewise.',
    },
  },
} as const;

const ticketProperties = {
  id: { type: 'string', pattern: TICKET_ID_PATTERN, description: 'A ULID: sortable by creation time.' },
  subject: { type: 'string', minLength: 1 },
  description: { type: 'string', minLength: 1 },
  status: { type: 'string', enum: TICKET_STATUSES },
  priority: { type: 'string', enum: TICKET_PRIORITIES },
  category: { type: 'string', enum: TICKET_CATEGORIES },
  tags: storedTagsSchema,
  requester: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'email'],
    properties: {
      id: { type: 'string', minLength: 1 },
      email: {
        type: ['string', 'null'],
        format: 'email',
        description: "The requester's e-mail address, only when their token says it is verified.",
      },
    },
  },
  assigneeId: { type: ['string', 'null'], pattern: ASSIGNEE_ID_PATTERN },
  channel: { type: 'string', enum: TICKET_CHANNELS },
  analysis: ticketAnalysisSchema,
  createdAt: instantSchema,
  updatedAt: instantSchema,
  version: { type: 'integer', minimum: 1, description: 'Starts at 1; every change increments it. The ETag.' },
  commentCount: {
    type: 'integer',
    minimum: 0,
    description: "How many comments the caller may see: a customer's count leaves out agents' internal notes.",
  },
  lastCommentAt: {
    type: ['string', 'null'],
    format: 'date-time',
    description: 'When the latest comment the caller may see was added; null until there is one.',
  },
  firstResponseAt: {
    type: ['string', 'null'],
    format: 'date-time',
    description: 'When an agent first replied publicly; null until then.',
  },
  sla: serviceLevelsSchema,
} as const;

const ticketRequired = [
  'id',
  'subject',
  'description',
  'status',
  'priority',
  'category',
  'tags',
  'requester',
  'assigneeId',
  'channel',
  'analysis',
  'createdAt',
  'updatedAt',
  'version',
  'commentCount',
  'lastCommentAt',
  'firstResponseAt',
  'sla',
] as const;

export const ticketSchema = {
  type: 'object',
  description: 'A support ticket; its text as stored, with the personal data that must never be stored redacted.',
  additionalProperties: false,
  required: ticketRequired,
  properties: ticketProperties,
} as const;

export const historyEntrySchema = {
  type: 'object',
  description: 'One change to a ticket: who made it, when, and each field from and to.',
  additionalProperties: false,
  required: ['version', 'at', 'by', 'changes'],
  properties: {
    version: { type: 'integer', minimum: 2, description: 'The version the change moved the ticket to.' },
    at: instantSchema,
    commentId: {
      type: 'string',
      pattern: TICKET_ID_PATTERN,
      description: 'The comment whose posting made this change, when a comment did (status follows the conversation).',
    },
    by: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'role'],
      properties: {
        id: { type: 'string', minLength: 1 },
        role: {
          type: 'string',
          enum: ACTOR_ROLES,
          description: '`system` is the analysis completed after the ticket was stored.',
        },
      },
    },
    changes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['field', 'from', 'to'],
        properties: {
          field: { type: 'string', enum: HISTORY_FIELDS },
          from: { description: "The field's value before (for `analysis`, its status)." },
          to: { description: "The field's value after (for `analysis`, its status)." },
        },
      },
    },
  },
} as const;

export const ticketWithHistorySchema = {
  type: 'object',
  description: 'A ticket with every change made to it, oldest first.',
  additionalProperties: false,
  required: [...ticketRequired, 'history'],
  properties: { ...ticketProperties, history: { type: 'array', items: historyEntrySchema } },
} as const;

export const ticketPageSchema = {
  type: 'object',
  description: 'One page of tickets; `nextCursor` asks for the next one, null on the last.',
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: ticketSchema },
    nextCursor: { type: ['string', 'null'], minLength: 1 },
  },
} as const;
