import { IDEMPOTENCY_KEY_PATTERN, newTicketSchema } from '@aws-support-system/shared';

/** POST /tickets: the event shape the handler accepts. */
export const requestSchema = {
  type: 'object',
  required: ['body'],
  properties: {
    headers: {
      type: 'object',
      properties: {
        'idempotency-key': { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN },
      },
    },
    body: newTicketSchema,
  },
} as const;
