import type { FieldError } from '../domain/errors.js';

/**
 * Errors about the request itself, which only the HTTP edge raises: no
 * verified identity, a body too large or not JSON in UTF-8, a request its
 * schema rejects. The tickets' own errors are in domain/errors.ts.
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

/** The body is not JSON in UTF-8 by its media type. */
export class UnsupportedMediaTypeError extends HttpError {
  readonly kind = 'unsupported_media_type';
}

/** The body is not JSON, whatever its media type says. */
export class MalformedBodyError extends HttpError {
  readonly kind = 'invalid_input';
}
