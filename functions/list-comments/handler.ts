import { httpHandler, jsonResponse } from '@aws-support-system/shared/http';
import { commentService } from '@aws-support-system/shared/services';
import validateRequest from './request-validator.js';

const comments = commentService();

/** GET /tickets/{id}/comments — a ticket's conversation, oldest first; customers never see internal notes. */
export const handler = httpHandler(
  async ({ event, caller }) =>
    jsonResponse(200, await comments.listComments(caller, event.pathParameters.id, event.queryStringParameters)),
  { validateRequest, input: 'queryStringParameters' },
);
