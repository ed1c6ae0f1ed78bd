import { httpHandler, jsonResponse } from '@aws-support-system/shared/http';
import { ticketService } from '@aws-support-system/shared/services';
import validateRequest from './request-validator.js';

const tickets = ticketService();

/** GET /tickets — a customer's own tickets, or for agents every ticket or a status's queue (triage order, or by due time). */
export const handler = httpHandler(
  async ({ event, caller }) => jsonResponse(200, await tickets.list(caller, event.queryStringParameters)),
  { validateRequest, input: 'queryStringParameters' },
);
