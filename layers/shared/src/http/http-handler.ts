import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import validator from '@middy/validator';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { config } from '../config.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import type { Caller } from '../domain/ticket.js';
import { logger } from '../logger.js';
import { callerFrom } from './caller.js';
import { problemDetailsErrorHandler } from './problem-details.js';
import type { HttpResponse } from './responses.js';

/**
 * Request bodies larger than this are refused with 413 before parsing. The
 * largest valid ticket (20,000 characters of description, each up to six bytes
 * when JSON-escaped, plus subject and tags) stays well below it.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** Time left before the function's timeout at which a request is given up and answered 503. */
const TIMEOUT_MARGIN_MS = 500;

/** A validator compiled ahead of time from a function's request schema (see scripts/compile-validators.ts). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: unknown;
}

/** What a route receives: the event, already normalised, parsed and validated, and who is calling. */
export interface RouteInput<TBody> {
  event: Omit<APIGatewayProxyEvent, 'body' | 'headers' | 'pathParameters' | 'queryStringParameters'> & {
    body: TBody;
    headers: Record<string, string | undefined>;
    pathParameters: Record<string, string | undefined>;
    queryStringParameters: Record<string, string | undefined>;
  };
  caller: Caller;
}

export interface HttpHandlerOptions {
  validateRequest: CompiledValidator;
  /** Routes with a JSON request body (POST, PATCH). */
  jsonBody?: boolean;
}

type Route<TBody> = (input: RouteInput<TBody>) => Promise<HttpResponse>;

interface CallerContext extends Context {
  caller?: Caller;
}

/**
 * The one middleware stack every function uses, in one order:
 * logger context → header and event normalisers → identity (401 before any
 * body is looked at) → body size limit → JSON body parser → validator →
 * route; security headers and CORS on every response, errors included;
 * problem+json error handler last, so that it runs first on error and the
 * header middlewares still decorate its response.
 */
export function httpHandler<TBody = unknown>(route: Route<TBody>, options: HttpHandlerOptions) {
  const { allowedOrigins } = config();
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext>(
    async (event: APIGatewayProxyEvent, context: CallerContext) =>
      route({ event: event as unknown as RouteInput<TBody>['event'], caller: context.caller as Caller }),
    // Stop a handler held up by a slow dependency in time to answer 503 before Lambda's own timeout.
    { timeoutEarlyInMillis: TIMEOUT_MARGIN_MS },
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(httpEventNormalizer())
    .use(identity());
  if (options.jsonBody) {
    stack.use(bodySizeLimit()).use(httpJsonBodyParser());
  }
  return stack
    .use(httpSecurityHeaders())
    .use(
      httpCors({
        origins: allowedOrigins,
        headers: 'Authorization,Content-Type,Idempotency-Key,If-Match',
        exposeHeaders: 'ETag,Location,Retry-After,Idempotent-Replayed',
      }),
    )
    .use(validator({ eventSchema: options.validateRequest }))
    .use(problemDetailsErrorHandler());
}

function identity(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext> {
  return {
    before: async (request) => {
      request.context.caller = callerFrom(request.event);
      logger.appendKeys({ callerRole: request.context.caller.role });
    },
  };
}

function bodySizeLimit(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext> {
  return {
    before: async ({ event }) => {
      if (typeof event.body !== 'string') return;
      const bytes = event.isBase64Encoded
        ? Math.floor((event.body.length * 3) / 4)
        : Buffer.byteLength(event.body, 'utf8');
      if (bytes > MAX_BODY_BYTES) {
        throw new PayloadTooLargeError(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
      }
    },
  };
}
