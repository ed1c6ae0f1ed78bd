import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { config } from '../config.js';
import type { Caller } from '../domain/ticket.js';
import { logger } from '../logger.js';
import { businessMetrics, type CreatedTicketFacts } from '../metrics.js';
import { traceInvocations } from '../tracer.js';
import { callerFrom } from './caller.js';
import { allowedOriginFor, CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from './cors.js';
import {
  MalformedBodyError,
  PayloadTooLargeError,
  RequestValidationError,
  UnsupportedMediaTypeError,
} from './http-errors.js';
import { problemDetailsErrorHandler, type InputLocation } from './problem-details.js';
import { fieldErrorsOf, nonDecimalQueryNumbers, type CompiledValidator } from './request-validation.js';
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
 * trace segment → logger context → response metrics → header and event
 * normalizers → identity (401 before any body is looked at) → body size
 * limit → JSON body (media type, then parsing) → request validation (query
 * numbers in plain decimals) → route; security headers
 * and CORS on every response, errors included; problem+json error handler
 * last, so that it runs first on error and the header middlewares still
 * decorate its response. The metrics middleware comes early so that it
 * reads the final response, error responses included.
 */
export function httpHandler<T>(route: Route<T>, options: HttpHandlerOptions<T>) {
  const { allowedOrigins } = config();
  const { validateRequest, input } = options;
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext>(
    // After every other middleware's `before`, so the route sees the event exactly as validated.
    async (event: unknown, context: CallerContext) => {
      // The query as sent: the validator coerces numbers in place.
      const sentQuery = queryOf(event);
      if (!isRouteEvent(event, validateRequest))
        throw new RequestValidationError(fieldErrorsOf(validateRequest.errors));
      const notDecimal = nonDecimalQueryNumbers(sentQuery, event.queryStringParameters);
      if (notDecimal.length > 0) throw new RequestValidationError(notDecimal);
      return route({ event, caller: context.caller });
    },
    // Stop a handler held up by a slow dependency in time to answer 503 before Lambda's own timeout.
    { timeoutEarlyInMillis: TIMEOUT_MARGIN_MS },
  )
    // Never the response in the trace: it carries ticket text.
    .use(traceInvocations())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(responseMetrics())
    .use(httpHeaderNormalizer())
    .use(httpEventNormalizer())
    .use(identity());
  if (input === 'body') {
    stack.use(bodySizeLimit()).use(jsonBody());
  }
  return stack
    .use(httpSecurityHeaders())
    .use(
      httpCors({
        origins: allowedOrigins,
        // The preflight's rule (cors.ts); http-cors sets no header for an empty value.
        getOrigin: (incomingOrigin) => allowedOriginFor(incomingOrigin, allowedOrigins) ?? '',
        headers: CORS_ALLOWED_HEADERS,
        exposeHeaders: CORS_EXPOSED_HEADERS,
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

/** The query parameters of an event as sent, copied before anything coerces them. */
function queryOf(event: unknown): Record<string, unknown> {
  if (!isObject(event) || !('queryStringParameters' in event) || !isObject(event.queryStringParameters)) return {};
  return { ...event.queryStringParameters };
}

function identity(): HttpMiddleware {
  return {
    before: (request) => {
      request.context.caller = callerFrom(request.event);
      logger.appendKeys({ callerRole: request.context.caller.role });
    },
  };
}

function bodySizeLimit(): HttpMiddleware {
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

/** `application/json` or a structured `application/<name>+json` type; compared without regard to case (RFC 9110 §8.3.1). */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/i;

/**
 * The body, parsed as JSON, once its media type says it is JSON in UTF-8:
 * `application/json` (or `application/<name>+json`) in any letter case, with
 * no charset parameter or `charset=utf-8` (any case, quoted or not). Any
 * other type or charset is 415 rather than a guess at what the bytes mean.
 */
function jsonBody(): HttpMiddleware {
  return {
    before: ({ event }) => {
      const [type = '', ...parameters] = (event.headers['content-type'] ?? '').split(';');
      if (!JSON_MEDIA_TYPE.test(type.trim())) throw new UnsupportedMediaTypeError('Send the body as application/json.');
      if (!parameters.every(isUtf8OrNoCharset)) {
        throw new UnsupportedMediaTypeError('Send the body as application/json in UTF-8.');
      }
      const text = event.isBase64Encoded && event.body !== null ? utf8(Buffer.from(event.body, 'base64')) : event.body;
      try {
        // A request without a body (null) reads as JSON null, which the route's schema then refuses.
        Object.assign(event, { body: JSON.parse(text ?? 'null') as unknown });
      } catch {
        throw new MalformedBodyError('The body is not valid JSON.');
      }
    },
  };
}

/**
 * The text of body bytes that must be UTF-8: bytes that are not are 400, not
 * silently replaced by U+FFFD. (API Gateway decodes a text body before the
 * function sees it; a body it passes base64-encoded arrives as bytes.)
 */
function utf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedBodyError('The body is not valid UTF-8.');
  }
}

/** A media type parameter that names no charset, or names UTF-8. */
function isUtf8OrNoCharset(parameter: string): boolean {
  const [name = '', ...value] = parameter.split('=');
  if (name.trim().toLowerCase() !== 'charset') return true;
  return /^(?:utf-8|"utf-8")$/i.test(value.join('=').trim());
}

type HttpMiddleware = middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, CallerContext>;

/**
 * Counts what the route answered: a created ticket or comment (its triage,
 * pending or failed analysis and redactions, read from the answer the API
 * contract describes), an idempotent replay, an update's conflict, and every
 * 4xx by status. The service decided each of these; the answer is where the
 * HTTP edge sees them.
 */
function responseMetrics(): HttpMiddleware {
  const record = ({ event, response }: middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult>) => {
    if (!response) return;
    recordResponse(event.httpMethod, response);
  };
  return { after: record, onError: record };
}

/** The metrics of one answer to a request with `method`. */
function recordResponse(method: string, response: APIGatewayProxyResult): void {
  const { statusCode } = response;
  if (statusCode >= 400 && statusCode < 500) {
    businessMetrics.rejection(statusCode);
    if (method === 'PATCH' && (statusCode === 409 || statusCode === 412)) businessMetrics.updateConflict(statusCode);
    return;
  }
  if (method !== 'POST' || statusCode !== 201) return;
  if (response.headers?.['Idempotent-Replayed'] === 'true') {
    businessMetrics.idempotentReplay();
    return;
  }
  const created = createdOf(response.body);
  if (created === undefined) return;
  if ('priority' in created) businessMetrics.ticketCreated(created);
  else businessMetrics.analysisStored('comment', created.analysis);
}

/** A created ticket (priority, category and analysis) or comment (analysis only), as its 201 answers it. */
function createdOf(body: string): CreatedTicketFacts | Pick<CreatedTicketFacts, 'analysis'> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !('analysis' in parsed) || !isAnalysis(parsed.analysis)) return undefined;
  const { analysis } = parsed;
  if ('priority' in parsed && 'category' in parsed) {
    const { priority, category } = parsed;
    if (typeof priority === 'string' && typeof category === 'string') return { priority, category, analysis };
  }
  return { analysis };
}

function isAnalysis(value: unknown): value is CreatedTicketFacts['analysis'] {
  return (
    isObject(value) &&
    'status' in value &&
    typeof value.status === 'string' &&
    'language' in value &&
    (typeof value.language === 'string' || value.language === null) &&
    'redactions' in value &&
    Array.isArray(value.redactions) &&
    value.redactions.every(
      (redaction: unknown) =>
        isObject(redaction) &&
        'type' in redaction &&
        typeof redaction.type === 'string' &&
        'count' in redaction &&
        typeof redaction.count === 'number',
    )
  );
}
