import { httpHandler, jsonResponse, locationOf } from '@aws-support-system/shared/http';
import { commentService } from '@aws-support-system/shared/services';
import validateRequest from './request-validator.js';

const comments = commentService();

/** POST /tickets/{id}/comments — a reply or an agent's internal note; an Idempotency-Key makes retries safe. */
export const handler = httpHandler(
  async ({ event, caller }) => {
    const { comment, replayed } = await comments.addComment(
      caller,
      event.pathParameters.id,
      event.body,
      event.headers['idempotency-key'],
    );
    return jsonResponse(201, comment, {
      Location: locationOf(event, comment.id),
      ...(replayed && { 'Idempotent-Replayed': 'true' }),
    });
  },
  { validateRequest, input: 'body' },
);
