import {
  etagOf,
  httpHandler,
  jsonResponse,
  ticketService,
  versionsFromIfMatch,
  type TicketChanges,
} from '@aws-support-system/shared';
import validateRequest from './request-validator.js';

const tickets = ticketService();

/** PATCH /tickets/{id} — change status, priority, assignee, category or tags; If-Match guards lost updates. */
export const handler = httpHandler<TicketChanges>(
  async ({ event, caller }) => {
    const ticket = await tickets.update(
      caller,
      event.pathParameters.id as string,
      event.body,
      versionsFromIfMatch(event.headers['if-match']),
    );
    return jsonResponse(200, ticket, { ETag: etagOf(ticket.version) });
  },
  { validateRequest, jsonBody: true },
);
