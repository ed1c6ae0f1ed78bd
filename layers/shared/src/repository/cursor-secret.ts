import { loadOnce } from '../load-once.js';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, readCursorSecretId } from '../config.js';
import { UnavailableError } from '../domain/errors.js';
import { tracer } from '../tracer.js';
import { unavailability } from './sdk-errors.js';

/*
 * The secret that signs list cursors and keys idempotency fingerprints, read
 * from Secrets Manager (CURSOR_SECRET_ARN) the first time an operation needs
 * it, then kept in memory for MAX_AGE_SECONDS: a rotated value is picked up by
 * running functions within that time, without a redeploy. Only the functions
 * that list or take idempotent writes are given the variable and the grant.
 *
 * This module is loaded by a dynamic import (ticket-service-factory.ts), so a
 * function that never needs the secret never creates the Secrets Manager
 * client. The client is made as ../aws-clients.ts makes the others: captured by
 * the tracer, hard timeouts, endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER
 * (the local stand-in on a developer machine).
 */

/** How long a value read from Secrets Manager is used before it is read again. */
export const MAX_AGE_SECONDS = 300;
/** An HMAC-SHA-256 key shorter than this is too weak to sign with. */
export const MIN_LENGTH = 32;

/** Secrets Manager answers in milliseconds; an attempt that takes a second is a sick dependency. */
const ATTEMPTS = 2;
const ATTEMPT_TIMEOUT_MS = 1_000;

const loadProvider = loadOnce(async () => new SecretsProvider({ awsSdkV3Client: await createSecretsManagerClient() }));

/**
 * The current value: from memory while it is younger than MAX_AGE_SECONDS,
 * else from Secrets Manager. A failed read is not remembered, so the next
 * call tries again: UnavailableError (503) when Secrets Manager is busy or
 * unreachable; a refused or missing secret, or a value too short, is a
 * deployment mistake and fails as one.
 */
export async function readCursorSecret(): Promise<string> {
  const secretId = readCursorSecretId();
  const secrets = await loadProvider();
  let value: unknown;
  try {
    value = await secrets.get(secretId, { maxAge: MAX_AGE_SECONDS });
  } catch (error) {
    // Powertools wraps the SDK's error; its cause is what went wrong.
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    const unavailable = unavailability(cause);
    if (unavailable) {
      const retryAfterSeconds = unavailable === 'busy' ? 1 : 5;
      throw new UnavailableError(
        'The service cannot read its signing key right now; retry shortly.',
        retryAfterSeconds,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  if (typeof value !== 'string' || value.length < MIN_LENGTH) {
    throw new ConfigError(`The secret CURSOR_SECRET_ARN names must be a string of at least ${MIN_LENGTH} characters.`);
  }
  return value;
}

async function createSecretsManagerClient(): Promise<SecretsManagerClient> {
  return (await tracer()).captureAWSv3Client(
    new SecretsManagerClient({
      maxAttempts: ATTEMPTS,
      requestHandler: { connectionTimeout: 500, requestTimeout: ATTEMPT_TIMEOUT_MS, throwOnRequestTimeout: true },
    }),
  );
}
