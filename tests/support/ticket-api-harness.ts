import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiEvent, lambdaContext, type EventOptions } from './api-gateway-event.js';
import type { CommentBody, CommentPageBody, TicketBody, TicketPageBody, TicketWithHistoryBody } from './api-bodies.js';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface TicketHandlers {
  create: LambdaHandler;
  get: LambdaHandler;
  update: LambdaHandler;
  list: LambdaHandler;
}

/**
 * A function's answer as a client reads it: header names in lower case, the
 * body parsed. `Body` is what the route answers on success; an error
 * answer's body is read through expectProblem.
 */
export interface ApiAnswer<Body = unknown> {
  status: number;
  headers: Record<string, string>;
  body: Body;
}

/**
 * Loads the four function handlers as Lambda would: their modules read the
 * configuration when first imported, so the environment must be set first.
 */
export async function loadHandlers(env: Record<string, string>): Promise<TicketHandlers> {
  Object.assign(process.env, env);
  // One at a time: jest's ESM loader fails on concurrent imports of shared modules.
  const create = await import('../../functions/create-ticket/handler.js');
  const get = await import('../../functions/get-ticket/handler.js');
  const update = await import('../../functions/update-ticket/handler.js');
  const list = await import('../../functions/list-tickets/handler.js');
  // middy's handler type also takes Lambda's legacy callback; the runtime calls it with two arguments.
  const asHandler = (module: { handler: unknown }) => module.handler as LambdaHandler;
  return { create: asHandler(create), get: asHandler(get), update: asHandler(update), list: asHandler(list) };
}

export async function invoke<Body = unknown>(handler: LambdaHandler, options: EventOptions): Promise<ApiAnswer<Body>> {
  const result = await handler(apiEvent(options), lambdaContext());
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const body: unknown = result.body ? JSON.parse(result.body) : undefined;
  return { status: result.statusCode, headers, body: body as Body };
}

/** The four routes, with the event shape each expects and the body each answers on success. */
export function routes(handlers: TicketHandlers) {
  return {
    create: (body: unknown, options: Partial<EventOptions> = {}) =>
      invoke<TicketBody>(handlers.create, { method: 'POST', resource: '/tickets', body, ...options }),
    get: (id: string, options: Partial<EventOptions> = {}) =>
      invoke<TicketWithHistoryBody>(handlers.get, {
        method: 'GET',
        resource: '/tickets/{id}',
        pathParameters: { id },
        ...options,
      }),
    update: (id: string, body: unknown, options: Partial<EventOptions> = {}) =>
      invoke<TicketWithHistoryBody>(handlers.update, {
        method: 'PATCH',
        resource: '/tickets/{id}',
        pathParameters: { id },
        body,
        ...options,
      }),
    list: (query: Record<string, string> = {}, options: Partial<EventOptions> = {}) =>
      invoke<TicketPageBody>(handlers.list, { method: 'GET', resource: '/tickets', query, ...options }),
  };
}

export interface CommentHandlers {
  addComment: LambdaHandler;
  listComments: LambdaHandler;
}

/** Loads the two comment handlers as Lambda would, after setting the environment (as loadHandlers does). */
export async function loadCommentHandlers(env: Record<string, string>): Promise<CommentHandlers> {
  Object.assign(process.env, env);
  const addComment = await import('../../functions/add-comment/handler.js');
  const listComments = await import('../../functions/list-comments/handler.js');
  // middy's handler type also takes Lambda's legacy callback; the runtime calls it with two arguments.
  const asHandler = (module: { handler: unknown }) => module.handler as LambdaHandler;
  return { addComment: asHandler(addComment), listComments: asHandler(listComments) };
}

/** The two comment routes, with the event shape each expects and the body each answers on success. */
export function commentRoutes(handlers: CommentHandlers) {
  const resource = '/tickets/{id}/comments';
  return {
    addComment: (id: string, body: unknown, options: Partial<EventOptions> = {}) =>
      invoke<CommentBody>(handlers.addComment, { method: 'POST', resource, pathParameters: { id }, body, ...options }),
    listComments: (id: string, query: Record<string, string> = {}, options: Partial<EventOptions> = {}) =>
      invoke<CommentPageBody>(handlers.listComments, {
        method: 'GET',
        resource,
        pathParameters: { id },
        query,
        ...options,
      }),
  };
}
