import { TICKET_PRIORITIES, TICKET_STATUSES } from '@aws-support-system/shared';

/** GET /tickets: the event shape the handler accepts. Query values arrive as strings; `limit` is coerced. */
export const requestSchema = {
  type: 'object',
  properties: {
    queryStringParameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        status: { type: 'string', enum: [...TICKET_STATUSES] },
        priority: { type: 'string', enum: [...TICKET_PRIORITIES] },
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        cursor: { type: 'string', minLength: 1, maxLength: 2048 },
      },
    },
  },
} as const;

export const coerceTypes = true;
