/**
 * The shared layer's whole public surface, for the layer's build check and
 * for tools. Functions import the entry point of each concern they use
 * instead (package.json `exports`: `@aws-support-system/shared/http`,
 * `/services`, `/analysis-completion`, `/events`, `/cors`), so that each
 * loads only what it runs.
 */
export * from './domain/ticket.js';
export * from './domain/errors.js';
export * from './domain/comment-schema.js';
export {
  CURSOR_MAX_LENGTH,
  listCommentsSchema,
  listTicketsSchema,
  newCommentSchema,
  newTicketSchema,
  ticketChangesSchema,
  ticketIdSchema,
} from './domain/ticket-inputs.js';
export type {
  ListCommentsInput,
  ListTicketsInput,
  NewCommentInput,
  NewTicketInput,
  TicketChanges,
} from './domain/ticket-inputs.js';
export { TicketService } from './domain/ticket-service.js';
export { CommentService } from './domain/comment-service.js';
export type { AddedCommentResult } from './domain/comment-service.js';
export type { CreatedTicket } from './domain/ticket-service.js';
export { commentService, ticketService } from './ticket-service-factory.js';
export { analysisCompletion, ticketStreamHandler } from './analysis-completion-factory.js';
export { config, readConfig, ConfigError } from './config.js';
export type { Config } from './config.js';
export { logger } from './logger.js';
/** Compile the bundled triage rules and model; the layer's build calls them so that a malformed file fails the build. */
export { checkTriageRules } from './analysis/triage-rules.js';
export { triageModel } from './analysis/triage-model.js';
export * from './http-api.js';
export { corsPreflightHandler } from './http/cors.js';
export { ticketEventsHandler } from './event-publisher-factory.js';
