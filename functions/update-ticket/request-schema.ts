import {
  ASSIGNEE_ID_PATTERN,
  MAX_TAGS,
  TAG_PATTERN,
  TICKET_CATEGORIES,
  TICKET_ID_PATTERN,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '@aws-support-system/shared';

/** PATCH /tickets/{id}: the event shape the handler accepts. */
export const requestSchema = {
  type: 'object',
  required: ['pathParameters', 'body'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', pattern: TICKET_ID_PATTERN } },
    },
    headers: {
      type: 'object',
      properties: { 'if-match': { type: 'string', maxLength: 1024 } },
    },
    body: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        status: { type: 'string', enum: [...TICKET_STATUSES] },
        priority: { type: 'string', enum: [...TICKET_PRIORITIES] },
        assigneeId: { anyOf: [{ type: 'string', pattern: ASSIGNEE_ID_PATTERN }, { type: 'null' }] },
        category: { type: 'string', enum: [...TICKET_CATEGORIES] },
        tags: { type: 'array', maxItems: MAX_TAGS, items: { type: 'string', pattern: TAG_PATTERN } },
      },
    },
  },
} as const;
