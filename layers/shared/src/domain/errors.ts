/**
 * The errors the ticket operations throw. The HTTP stack maps each kind to
 * its status code in one place (http/problem-details.ts), with the errors
 * only the HTTP edge raises (http/http-errors.ts); nothing else builds an
 * error response.
 */

/** What is wrong with one field of an operation's input. */
export interface FieldError {
  /** A JSON Pointer into the operation's input (`/subject`, `/cursor`); the caller knows where that input came from. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type DomainErrorKind =
  | 'invalid_input'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'idempotency_mismatch'
  | 'unavailable';

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

/** Also thrown for another customer's ticket, so its existence is never revealed. */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
}

/** The request conflicts with the ticket's state (e.g. a transition the workflow forbids). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The caller's If-Match names a version that is no longer current. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition_failed';
}

/** An Idempotency-Key was reused with a different request body. */
export class IdempotencyMismatchError extends DomainError {
  readonly kind = 'idempotency_mismatch';
}

/** A dependency is throttling or down; the client may retry after `retryAfterSeconds`. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 2,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
