import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { requestFingerprint } from '../../../layers/shared/src/domain/request-fingerprint.js';
import { fixedSecret } from '../../support/secret-source.js';

describe('the fingerprint kept beside an Idempotency-Key', () => {
  const request = ['My card PIN is 4921', 'public'];

  test('is the same for the same request, so a retry is recognized', async () => {
    expect(await requestFingerprint(fixedSecret('secret'), 'add-comment')(request)).toBe(
      await requestFingerprint(fixedSecret('secret'), 'add-comment')([...request]),
    );
  });

  test('differs with the request, the secret and the kind of request', async () => {
    const fingerprint = await requestFingerprint(fixedSecret('secret'), 'add-comment')(request);
    expect(await requestFingerprint(fixedSecret('secret'), 'add-comment')(['My card PIN is 4922', 'public'])).not.toBe(
      fingerprint,
    );
    expect(await requestFingerprint(fixedSecret('another secret'), 'add-comment')(request)).not.toBe(fingerprint);
    expect(await requestFingerprint(fixedSecret('secret'), 'create-ticket')(request)).not.toBe(fingerprint);
  });

  test('cannot be searched for a redacted secret without the deployment secret', async () => {
    // A plain digest of the request would give the PIN away to anyone trying the 10,000 values.
    const stored = await requestFingerprint(fixedSecret('secret'), 'add-comment')(request);
    const found = Array.from({ length: 10_000 }, (_, pin) => String(pin).padStart(4, '0')).find(
      (pin) =>
        createHash('sha256')
          .update(JSON.stringify([`My card PIN is ${pin}`, 'public']))
          .digest('hex') === stored,
    );
    expect(found).toBeUndefined();
  });

  test('reads the secret only when a fingerprint is taken', async () => {
    let reads = 0;
    const fingerprint = requestFingerprint(() => {
      reads += 1;
      return Promise.resolve('secret');
    }, 'add-comment');
    expect(reads).toBe(0);
    await fingerprint(request);
    expect(reads).toBe(1);
  });
});
