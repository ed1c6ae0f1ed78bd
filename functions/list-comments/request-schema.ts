import { listCommentsSchema, ticketIdSchema } from '@aws-support-system/shared';

/** GET /tickets/{id}/comments: the event shape the handler accepts. Query values arrive as strings; `limit` is coerced. */
export const requestSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['id'],
      properties: { id: ticketIdSchema },
    },
    queryStringParameters: listCommentsSchema,
  },
} as const;

export const coerceTypes = true;
