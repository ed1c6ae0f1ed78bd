import {
  etagOf,
  explainIfMatchFailure,
  httpHandler,
  jsonResponse,
  versionsFromIfMatch,
} from '@aws-support-system/shared/http';
import { ticketService } from '@aws-support-system/shared/services';
import validateRequest from './request-validator.js';

const tickets = ticketService();

/** PATCH /tickets/{id} — change status, priority, assignee, category or tags; If-Match guards lost updates. */
export const handler = httpHandler(
  async ({ event, caller }) => {
    const ifMatch = event.headers['if-match'];
    // The ticket is read as the caller sees it before If-Match is checked: a 404 comes before a 412.
    const ticket = await tickets
      .update(caller, event.pathParameters.id, event.body, versionsFromIfMatch(ifMatch))
      .catch((error: unknown) => {
        throw explainIfMatchFailure(error, ifMatch);
      });
    return jsonResponse(200, ticket, { ETag: etagOf(ticket.version) });
  },
  { validateRequest, input: 'body' },
);
