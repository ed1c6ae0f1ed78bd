import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { requestFingerprint } from '../../../layers/shared/src/domain/request-fingerprint.js';

describe('the fingerprint kept beside an Idempotency-Key', () => {
  const request = ['My card PIN is 4921', 'public'];

  test('is the same for the same request, so a retry is recognized', () => {
    expect(requestFingerprint('secret', 'add-comment')(request)).toBe(
      requestFingerprint('secret', 'add-comment')([...request]),
    );
  });

  test('differs with the request, the secret and the kind of request', () => {
    const fingerprint = requestFingerprint('secret', 'add-comment')(request);
    expect(requestFingerprint('secret', 'add-comment')(['My card PIN is 4922', 'public'])).not.toBe(fingerprint);
    expect(requestFingerprint('another secret', 'add-comment')(request)).not.toBe(fingerprint);
    expect(requestFingerprint('secret', 'create-ticket')(request)).not.toBe(fingerprint);
  });

  test('cannot be searched for a redacted secret without the deployment secret', () => {
    // A plain digest of the request would give the PIN away to anyone trying the 10,000 values.
    const stored = requestFingerprint('secret', 'add-comment')(request);
    const found = Array.from({ length: 10_000 }, (_, pin) => String(pin).padStart(4, '0')).find(
      (pin) =>
        createHash('sha256')
          .update(JSON.stringify([`My card PIN is ${pin}`, 'public']))
          .digest('hex') === stored,
    );
    expect(found).toBeUndefined();
  });
});
