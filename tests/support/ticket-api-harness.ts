import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiEvent, lambdaContext, type EventOptions } from './api-gateway-event.js';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface TicketHandlers {
  create: LambdaHandler;
  get: LambdaHandler;
  update: LambdaHandler;
  list: LambdaHandler;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a ticket, a page or a problem: each test reads the fields it checks.
  body: any;
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

export async function invoke(handler: LambdaHandler, options: EventOptions): Promise<ApiAnswer> {
  const result = await handler(apiEvent(options), lambdaContext());
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const body: unknown = result.body ? JSON.parse(result.body) : undefined;
  return { status: result.statusCode, headers, body };
}

/** The four routes, with the event shape each expects. */
export function routes(handlers: TicketHandlers) {
  return {
    create: (body: unknown, options: Partial<EventOptions> = {}) =>
      invoke(handlers.create, { method: 'POST', resource: '/tickets', body, ...options }),
    get: (id: string, options: Partial<EventOptions> = {}) =>
      invoke(handlers.get, { method: 'GET', resource: '/tickets/{id}', pathParameters: { id }, ...options }),
    update: (id: string, body: unknown, options: Partial<EventOptions> = {}) =>
      invoke(handlers.update, { method: 'PATCH', resource: '/tickets/{id}', pathParameters: { id }, body, ...options }),
    list: (query: Record<string, string> = {}, options: Partial<EventOptions> = {}) =>
      invoke(handlers.list, { method: 'GET', resource: '/tickets', query, ...options }),
  };
}
