import { ticketIdSchema } from '@aws-support-system/shared';

/** GET /tickets/{id}/comments/{commentId}: the event shape the handler accepts. A comment's id is a ULID, as a ticket's is. */
export const requestSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['id', 'commentId'],
      properties: { id: ticketIdSchema, commentId: ticketIdSchema },
    },
  },
} as const;
