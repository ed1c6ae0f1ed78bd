import { ticketChangesSchema, ticketIdSchema } from '@aws-support-system/shared';

/** PATCH /tickets/{id}: the event shape the handler accepts. */
export const requestSchema = {
  type: 'object',
  required: ['pathParameters', 'body'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['id'],
      properties: { id: ticketIdSchema },
    },
    headers: {
      type: 'object',
      properties: { 'if-match': { type: 'string', maxLength: 1024 } },
    },
    body: ticketChangesSchema,
  },
} as const;
