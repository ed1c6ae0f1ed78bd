import {
  DESCRIPTION_MAX_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_TAGS,
  SUBJECT_MAX_LENGTH,
  TAG_PATTERN,
  TICKET_CHANNELS,
} from '@aws-support-system/shared';

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
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['subject', 'description'],
      properties: {
        subject: { type: 'string', minLength: 1, maxLength: SUBJECT_MAX_LENGTH },
        description: { type: 'string', minLength: 1, maxLength: DESCRIPTION_MAX_LENGTH },
        tags: { type: 'array', maxItems: MAX_TAGS, items: { type: 'string', pattern: TAG_PATTERN } },
        channel: { type: 'string', enum: [...TICKET_CHANNELS] },
      },
    },
  },
} as const;
