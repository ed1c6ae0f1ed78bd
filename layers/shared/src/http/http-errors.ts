import type { FieldError } from '../domain/errors.js';

/**
 * Errors about the request itself, which only the HTTP edge raises: no
 * verified identity, a body too large, a request its schema rejects. The
 * middy body parser's Unsupported Media Type is mapped by its package
 * (problem-details.ts). The tickets' own errors are in domain/errors.ts.
 */
export type HttpErrorKind = 'invalid_input' | 'unauthenticated' | 'payload_too_large' | 'unsupported_media_type';

export abstract class HttpError extends Error {
  abstract readonly kind: HttpErrorKind;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends HttpError {
  readonly kind = 'unauthenticated';
}

export class PayloadTooLargeError extends HttpError {
  readonly kind = 'payload_too_large';
}

/** The event does not match the route's request schema; `errors` locate each failure in the event (`/body/subject`). */
export class RequestValidationError extends HttpError {
  readonly kind = 'invalid_input';

  constructor(readonly errors: FieldError[]) {
    super('The request is not valid.');
  }
}
