import { etagOf, httpHandler, jsonResponse } from '@aws-support-system/shared/http';
import { ticketService } from '@aws-support-system/shared/services';
import validateRequest from './request-validator.js';

const tickets = ticketService();

/** GET /tickets/{id} — the ticket with its history, to its requester or an agent. */
export const handler = httpHandler(
  async ({ event, caller }) => {
    const ticket = await tickets.get(caller, event.pathParameters.id);
    return jsonResponse(200, ticket, { ETag: etagOf(ticket.version) });
  },
  { validateRequest },
);
