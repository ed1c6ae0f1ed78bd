import { etagOf, httpHandler, jsonResponse, locationOf } from '@aws-support-system/shared/http';
import { ticketService } from '@aws-support-system/shared/services';
import validateRequest from './request-validator.js';

const tickets = ticketService();

/** POST /tickets — analyze and store a new ticket; an Idempotency-Key makes retries safe. */
export const handler = httpHandler(
  async ({ event, caller }) => {
    const { ticket, replayed } = await tickets.create(caller, event.body, event.headers['idempotency-key']);
    return jsonResponse(201, ticket, {
      Location: locationOf(event, ticket.id),
      ETag: etagOf(ticket.version),
      ...(replayed && { 'Idempotent-Replayed': 'true' }),
    });
  },
  { validateRequest, input: 'body' },
);
