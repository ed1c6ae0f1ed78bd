import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DomainError, UnavailableError, type DomainErrorKind, type FieldError } from '../domain/errors.js';
import { logger } from '../logger.js';

/**
 * Turns every error into an RFC 9457 problem+json response. This is the only
 * place that maps errors to status codes: domain errors by kind, the middy
 * body parser's and validator's errors by their package, and anything else to
 * a 500 that reveals nothing.
 */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  requestId?: string;
}

const PROBLEM_TYPE_BASE = 'urn:aws-support-system:problem:';

const BY_KIND: Record<DomainErrorKind, { status: number; title: string; slug: string }> = {
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

interface MiddyHttpError extends Error {
  statusCode?: number;
  expose?: boolean;
  cause?: { package?: string; data?: unknown };
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

interface ProblemAndHeaders {
  problem: Problem;
  headers: Record<string, string>;
}

/** A response body well under Lambda's 6 MB limit, however many fields a hostile body gets wrong. */
const MAX_FIELD_ERRORS = 20;

export function problemFor(error: unknown): ProblemAndHeaders {
  if (error instanceof DomainError) return fromDomainError(error);
  const httpError = error as MiddyHttpError;
  const source = httpError?.cause?.package;
  if (source === '@middy/core' && httpError.name === 'TimeoutError') {
    // middy stops the handler just before Lambda would kill it: a dependency was too slow.
    return fromDomainError(new UnavailableError('The service took too long to answer; retry shortly.', 2));
  }
  if (source === '@middy/validator') {
    return {
      problem: problem('invalid_input', 'The request is not valid.', fieldErrors(httpError.cause?.data)),
      headers: {},
    };
  }
  if (source === '@middy/http-json-body-parser') {
    return httpError.message === 'Unsupported Media Type'
      ? { problem: problem('unsupported_media_type', 'Send the body as application/json.'), headers: {} }
      : { problem: problem('invalid_input', 'The body is not valid JSON.'), headers: {} };
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

function fromDomainError(error: DomainError): ProblemAndHeaders {
  const errors = 'errors' in error && Array.isArray(error.errors) && error.errors.length > 0 ? error.errors : undefined;
  const headers: Record<string, string> = {};
  if ('retryAfterSeconds' in error && typeof error.retryAfterSeconds === 'number') {
    headers['Retry-After'] = String(error.retryAfterSeconds);
  }
  return { problem: problem(error.kind, error.message, errors), headers };
}

function problem(kind: DomainErrorKind, detail: string, errors?: FieldError[]): Problem {
  const { status, title, slug } = BY_KIND[kind];
  return { type: PROBLEM_TYPE_BASE + slug, title, status, detail, ...(errors && { errors }) };
}

function fieldErrors(data: unknown): FieldError[] {
  if (!Array.isArray(data)) return [];
  return (data as AjvError[]).slice(0, MAX_FIELD_ERRORS).map((error) => {
    const missing = error.params?.missingProperty;
    const extra = error.params?.additionalProperty;
    const base = error.instancePath ?? '';
    if (typeof missing === 'string') return { path: `${base}/${missing}`, message: 'is required' };
    if (typeof extra === 'string') return { path: `${base}/${extra}`, message: 'is not allowed' };
    return { path: base, message: error.message ?? 'is not valid' };
  });
}

function causeName(error: Error | null | undefined): string | undefined {
  const cause = (error as { cause?: unknown } | null | undefined)?.cause;
  return cause instanceof Error ? cause.name : undefined;
}

export function problemDetailsErrorHandler(): middy.MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  Context
> {
  return {
    onError: async (request) => {
      const { problem: body, headers } = problemFor(request.error);
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
