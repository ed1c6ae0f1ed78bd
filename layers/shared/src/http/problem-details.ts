import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  DomainError,
  InvalidInputError,
  UnavailableError,
  type DomainErrorKind,
  type FieldError,
} from '../domain/errors.js';
import { logger } from '../logger.js';
import { HttpError, RequestValidationError, type HttpErrorKind } from './http-errors.js';
import type { Problem } from './problem-schema.js';

/**
 * Turns every error into an RFC 9457 problem+json response. This is the only
 * place that maps errors to status codes: domain and HTTP errors by kind,
 * middy's timeout by its package, and anything else to a 500
 * that reveals nothing.
 */

export type { Problem } from './problem-schema.js';

const PROBLEM_TYPE_BASE = 'urn:aws-support-system:problem:';

type ProblemKind = DomainErrorKind | HttpErrorKind;

/**
 * Where a route's operation takes its input from. The operation locates a bad
 * field within its input (`/subject`); the client is told where in the
 * request it is (`/body/subject`).
 */
export type InputLocation = 'body' | 'queryStringParameters';

const BY_KIND: Record<ProblemKind, { status: number; title: string; slug: string }> = {
  invalid_input: { status: 400, title: 'Bad Request', slug: 'invalid-input' },
  unauthenticated: { status: 401, title: 'Unauthorized', slug: 'unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden', slug: 'forbidden' },
  not_found: { status: 404, title: 'Not Found', slug: 'not-found' },
  conflict: { status: 409, title: 'Conflict', slug: 'conflict' },
  precondition_failed: { status: 412, title: 'Precondition Failed', slug: 'precondition-failed' },
  payload_too_large: { status: 413, title: 'Content Too Large', slug: 'payload-too-large' },
  unsupported_media_type: { status: 415, title: 'Unsupported Media Type', slug: 'unsupported-media-type' },
  idempotency_mismatch: { status: 422, title: 'Unprocessable Content', slug: 'idempotency-key-reused' },
  unavailable: { status: 503, title: 'Service Unavailable', slug: 'unavailable' },
};

interface ProblemAndHeaders {
  problem: Problem;
  headers: Record<string, string>;
}

export function problemFor(error: unknown, input?: InputLocation): ProblemAndHeaders {
  if (error instanceof DomainError) return fromDomainError(error, input);
  if (error instanceof RequestValidationError)
    return { problem: problem(error.kind, error.message, error.errors), headers: {} };
  if (error instanceof HttpError) return { problem: problem(error.kind, error.message), headers: {} };
  const source = middyPackageOf(error);
  if (source === '@middy/core' && error instanceof Error && error.name === 'TimeoutError') {
    // middy stops the handler just before Lambda would kill it: a dependency was too slow.
    return fromDomainError(new UnavailableError('The service took too long to answer; retry shortly.', 2));
  }
  return {
    problem: {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The request could not be completed. It has been logged; quote the requestId when reporting it.',
    },
    headers: {},
  };
}

function fromDomainError(error: DomainError, input?: InputLocation): ProblemAndHeaders {
  const located = input === undefined ? '' : `/${input}`;
  const errors =
    error instanceof InvalidInputError && error.errors.length > 0
      ? error.errors.map(({ path, message }) => ({ path: located + path, message }))
      : undefined;
  const headers: Record<string, string> = {};
  if (error instanceof UnavailableError) headers['Retry-After'] = String(error.retryAfterSeconds);
  return { problem: problem(error.kind, error.message, errors), headers };
}

function problem(kind: ProblemKind, detail: string, errors?: FieldError[]): Problem {
  const { status, title, slug } = BY_KIND[kind];
  return { type: PROBLEM_TYPE_BASE + slug, title, status, detail, ...(errors && { errors }) };
}

/** The middy package that raised `error`: middy's errors name it in their cause. */
function middyPackageOf(failure: unknown): string | undefined {
  if (!(failure instanceof Error) || typeof failure.cause !== 'object' || failure.cause === null) return undefined;
  return 'package' in failure.cause && typeof failure.cause.package === 'string' ? failure.cause.package : undefined;
}

function causeName(error: Error | null | undefined): string | undefined {
  return error?.cause instanceof Error ? error.cause.name : undefined;
}

/** `input`: where the route's operation takes its input from, if it has any. */
export function problemDetailsErrorHandler(
  input?: InputLocation,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const { problem: body, headers } = problemFor(request.error, input);
      body.requestId = request.context.awsRequestId;
      // The error's name and its cause's, never the error itself: SDK errors can
      // carry item images (a ticket's text) in their cancellation reasons.
      const failure = { status: body.status, error: request.error?.name, cause: causeName(request.error) };
      if (body.status === 500) {
        // A bug: its stack is needed to fix it.
        logger.error('Request failed', { ...failure, stack: request.error?.stack });
      } else if (body.status >= 500) {
        logger.warn('Request failed', failure);
      } else {
        logger.info('Request rejected', failure);
      }
      request.response = {
        ...request.response,
        statusCode: body.status,
        headers: {
          ...request.response?.headers,
          ...headers,
          'Content-Type': 'application/problem+json',
          'Cache-Control': 'no-store',
        },
        body: JSON.stringify(body),
      };
    },
  };
}
