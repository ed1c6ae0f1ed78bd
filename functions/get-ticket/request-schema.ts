import { ticketIdSchema } from '@aws-support-system/shared';

/** GET /tickets/{id}: the event shape the handler accepts. */
export const requestSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['id'],
      properties: { id: ticketIdSchema },
    },
  },
} as const;
