import { httpHandler, jsonResponse } from '@aws-support-system/shared/http';
import { commentService } from '@aws-support-system/shared/services';
import validateRequest from './request-validator.js';

const comments = commentService();

/** GET /tickets/{id}/comments/{commentId} — one comment, as the list shows it; customers never see internal notes. */
export const handler = httpHandler(
  async ({ event, caller }) =>
    jsonResponse(200, await comments.getComment(caller, event.pathParameters.id, event.pathParameters.commentId)),
  { validateRequest },
);
