import { createHmac } from 'node:crypto';
import type { SecretSource } from './secret-source.js';

/**
 * What a request with an Idempotency-Key asked for, kept beside the key to
 * tell a retry from a different request. It is keyed (HMAC-SHA-256 with a
 * deployment secret): the request may hold a secret that redaction keeps out
 * of everything stored, and a plain digest of a short one (a PIN, a CVV, a
 * card number of a known issuer) could be found again by trying every value.
 */
export type RequestFingerprint = (request: readonly unknown[]) => Promise<string>;

/** A fingerprint for one kind of request; `purpose` keeps the kinds' fingerprints apart. */
export function requestFingerprint(secret: SecretSource, purpose: string): RequestFingerprint {
  return async (request) =>
    createHmac('sha256', await secret())
      .update(`idempotency:${purpose}\n`)
      .update(JSON.stringify(request))
      .digest('hex');
}
