import { IDEMPOTENCY_KEY_PATTERN, newCommentSchema, ticketIdSchema } from '@aws-support-system/shared';

/** POST /tickets/{id}/comments: the event shape the handler accepts. */
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
      properties: {
        'idempotency-key': { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN },
      },
    },
    body: newCommentSchema,
  },
} as const;
