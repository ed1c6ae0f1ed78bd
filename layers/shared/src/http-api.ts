/*
 * The HTTP functions' toolkit (entry point `@aws-support-system/shared/http`):
 * the one middleware stack and what routes answer with.
 */
export { httpHandler, MAX_BODY_BYTES } from './http/http-handler.js';
export type { HttpHandlerOptions, RouteEvent, RouteInput } from './http/http-handler.js';
export type { CompiledValidator, SchemaValidator } from './http/request-validation.js';
export { jsonResponse, etagOf, explainIfMatchFailure, locationOf, versionsFromIfMatch } from './http/responses.js';
export type { HttpResponse } from './http/responses.js';
export { callerFrom, AGENTS_GROUP } from './http/caller.js';
