import { etagOf, httpHandler, jsonResponse, ticketService, versionsFromIfMatch } from '@aws-support-system/shared';
import validateRequest from './request-validator.js';

const tickets = ticketService();

/** PATCH /tickets/{id} — change status, priority, assignee, category or tags; If-Match guards lost updates. */
export const handler = httpHandler(
  async ({ event, caller }) => {
    const ticket = await tickets.update(
      caller,
      event.pathParameters.id,
      event.body,
      versionsFromIfMatch(event.headers['if-match']),
    );
    return jsonResponse(200, ticket, { ETag: etagOf(ticket.version) });
  },
  { validateRequest, input: 'body' },
);
