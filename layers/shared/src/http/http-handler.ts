import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { config } from '../config.js';
import type { Caller } from '../domain/ticket.js';
import { logger } from '../logger.js';
import { callerFrom } from './caller.js';
import { PayloadTooLargeError, RequestValidationError } from './http-errors.js';
import { problemDetailsErrorHandler, type InputLocation } from './problem-details.js';
import { fieldErrorsOf, type CompiledValidator } from './request-validation.js';
import type { HttpResponse } from './responses.js';

/**
 * Request bodies larger than this are refused with 413 before parsing. The
 * largest valid ticket (20,000 characters of description, each up to six bytes
 * when JSON-escaped, plus subject and tags) stays well below it.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** Time left before the function's timeout at which a request is given up and answered 503. */
const TIMEOUT_MARGIN_MS = 500;

/** The parts of the event a route's schema describes. */
type RequestPart = 'body' | 'headers' | 'pathParameters' | 'queryStringParameters';

/**
 * The event as a route receives it: `T`, what its request schema validated
 * (with its defaults filled in and query values coerced), over what the
 * normalizers guarantee whatever the schema says: lower-cased headers, and
 * path and query parameters as objects (empty when the request has none).
 */
export type RouteEvent<T> = Omit<APIGatewayProxyEvent, RequestPart> & {
  headers: Record<string, string | undefined>;
  pathParameters: object;
  queryStringParameters: object;
} & T;

/** What a route receives: the event, already normalized, parsed and validated, and who is calling. */
export interface RouteInput<T> {
  event: RouteEvent<T>;
  caller: Caller;
}

export interface HttpHandlerOptions<T> {
  /** The route's request schema, compiled (functions/<name>/request-validator.js). */
  validateRequest: CompiledValidator<T>;
  /**
   * Where the route's operation takes its input from, if it has any: a JSON
   * body (POST, PATCH; parsed here) or the query string. A field the
   * operation rejects is reported to the client at that place.
   */
  input?: InputLocation;
}

type Route<T> = (input: RouteInput<T>) => Promise<HttpResponse>;

/** The context once the identity middleware has run: every route has a verified caller. */
interface CallerContext extends Context {
  caller: Caller;
}

/**
 * The one middleware stack every function uses, in one order:
 * logger context → header and event normalizers → identity (401 before any
 * body is looked at) → body size limit → JSON body parser → request
 * validation → route; security headers and CORS on every response, errors
 * included; problem+json error handler last, so that it runs first on error
 * and the header middlewares still decorate its response.
 */
export function httpHandler<T>(route: Route<T>, options: HttpHandlerOptions<T>) {
  const { allowedOrigins } = config();
  const { validateRequest, input } = options;
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext>(
    // After every other middleware's `before`, so the route sees the event exactly as validated.
    async (event: unknown, context: CallerContext) => {
      if (!isRouteEvent(event, validateRequest))
        throw new RequestValidationError(fieldErrorsOf(validateRequest.errors));
      return route({ event, caller: context.caller });
    },
    // Stop a handler held up by a slow dependency in time to answer 503 before Lambda's own timeout.
    { timeoutEarlyInMillis: TIMEOUT_MARGIN_MS },
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(httpEventNormalizer())
    .use(identity());
  if (input === 'body') {
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
    .use(problemDetailsErrorHandler(input));
}

/**
 * Where the validator's guarantee (the schema) meets the normalizers' (the
 * headers, path and query objects every event has by now).
 */
function isRouteEvent<T>(event: unknown, validate: CompiledValidator<T>): event is RouteEvent<T> {
  return (
    validate(event) &&
    isObject(event) &&
    'headers' in event &&
    isObject(event.headers) &&
    'pathParameters' in event &&
    isObject(event.pathParameters) &&
    'queryStringParameters' in event &&
    isObject(event.queryStringParameters)
  );
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

function identity(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext> {
  return {
    before: (request) => {
      request.context.caller = callerFrom(request.event);
      logger.appendKeys({ callerRole: request.context.caller.role });
    },
  };
}

function bodySizeLimit(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext> {
  return {
    before: ({ event }) => {
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
