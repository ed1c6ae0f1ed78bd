import { listTicketsSchema } from '@aws-support-system/shared';

/** GET /tickets: the event shape the handler accepts. Query values arrive as strings; `limit` is coerced. */
export const requestSchema = {
  type: 'object',
  properties: {
    queryStringParameters: listTicketsSchema,
  },
} as const;

export const coerceTypes = true;
