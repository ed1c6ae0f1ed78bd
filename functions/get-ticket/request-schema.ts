import { TICKET_ID_PATTERN } from '@aws-support-system/shared';

/** GET /tickets/{id}: the event shape the handler accepts. */
export const requestSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', pattern: TICKET_ID_PATTERN } },
    },
  },
} as const;
