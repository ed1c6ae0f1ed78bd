import type { AttributeValue, CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { UnavailableError } from '../domain/errors.js';
import { errorNameOf } from '../error-name.js';

/*
 * SDK failures that are not about a write's conditions (condition-failure.ts
 * reads those): throttling and outages become UnavailableError, anything else
 * goes on untouched.
 *
 * Errors are read by shape, not `instanceof`: an error raised by Node's network
 * stack may come from another realm (as under jest's module sandbox), where
 * `instanceof Error` is false.
 */

/** Throttling and contention clear up within a second or so. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
]);
const SERVICE_DOWN = new Set([
  'InternalServerError',
  // Secrets Manager's name for its own failure.
  'InternalServiceError',
  'ServiceUnavailable',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const NETWORK_DOWN_IN_MESSAGE = new RegExp(`\\b(${[...NETWORK_DOWN].join('|')})\\b`);
const CONTENDED_REASONS = new Set(['TransactionConflict', 'ProvisionedThroughputExceeded', 'ThrottlingError']);

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** Awaits one SDK call, with its failure translated by `throwStoreFailure`. */
export async function translatingErrors<Output>(call: Promise<Output>): Promise<Output> {
  try {
    return await call;
  } catch (error) {
    throwStoreFailure(error);
  }
}

/** Throws UnavailableError for a busy or unreachable store, and any other error as it is. */
export function throwStoreFailure(error: unknown): never {
  const unavailable = unavailability(error);
  if (
    unavailable === 'busy' ||
    cancellationReasons(error)?.some((reason) => CONTENDED_REASONS.has(reason.Code ?? ''))
  ) {
    throw new UnavailableError('The ticket store is busy; retry shortly.', 1, { cause: error });
  }
  if (unavailable === 'down') {
    throw new UnavailableError('The ticket store is unavailable; retry later.', 5, { cause: error });
  }
  throw error;
}

/**
 * Whether an AWS call failed because the service is busy (throttling, which
 * clears up within a second or so) or down (its own failures, timeouts, an
 * unreachable endpoint); undefined for a failure a retry would not mend.
 */
export function unavailability(error: unknown): 'busy' | 'down' | undefined {
  const name = errorNameOf(error);
  if (THROTTLED.has(name)) return 'busy';
  if (SERVICE_DOWN.has(name) || isNetworkFailure(error)) return 'down';
  return undefined;
}

/**
 * Why a write was refused, one reason per transaction item in order (a
 * single-item write that failed its condition gets one reason); undefined for
 * any other failure.
 */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  const name = errorNameOf(error);
  if (name === 'ConditionalCheckFailedException') {
    const { Item } = error as { Item?: Record<string, AttributeValue> };
    return [{ Code: 'ConditionalCheckFailed', Item }];
  }
  if (name === 'TransactionCanceledException') {
    return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  }
  return undefined;
}

export const isTransactionConflict = (error: unknown) =>
  cancellationReasons(error)?.some((reason) => reason.Code === 'TransactionConflict') ?? false;

/**
 * Node reports a failed connection by `code`, sometimes inside an AggregateError
 * (one per address tried). The SDK's retry layer re-wraps an error it does not
 * recognize as one, keeping only its message, which still names the code.
 */
function isNetworkFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, errors, cause } = error as ErrorShape;
  if (typeof code === 'string' && NETWORK_DOWN.has(code)) return true;
  if (typeof message === 'string' && NETWORK_DOWN_IN_MESSAGE.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isNetworkFailure(inner, depth + 1))) return true;
  return isNetworkFailure(cause, depth + 1);
}

/** Attempts of a transaction that collides with a concurrent one, and the pause between them. */
const MAX_CONFLICT_ATTEMPTS = 3;
const CONFLICT_BACKOFF_MS = 50;

/**
 * Sends a transaction built afresh for each attempt. While another transaction
 * on the same items is in flight (a double submit with the same key, a
 * concurrent comment), it waits a little longer each time for that one to
 * commit, then tries again; any other failure, or a conflict that outlasts
 * the attempts, is the caller's to read.
 */
export async function transactAfterConflicts(client: DynamoDBDocumentClient, build: () => TransactWriteCommandInput) {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand(build()));
      return;
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= MAX_CONFLICT_ATTEMPTS) throw error;
      await new Promise((wake) => setTimeout(wake, CONFLICT_BACKOFF_MS * attempt));
    }
  }
}
