import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

/** The secret's id the handlers are given in unit tests (their CURSOR_SECRET_ARN). */
export const TEST_CURSOR_SECRET_ARN = 'CursorSigningSecret';

/**
 * Secrets Manager, mocked, answering the cursor secret: for unit tests of
 * handlers that sign cursors or fingerprint requests without exercising how
 * the secret is read (tests/unit/handlers/cursor-secret.test.ts does that).
 */
export function mockCursorSecret(): void {
  mockClient(SecretsManagerClient)
    .on(GetSecretValueCommand, { SecretId: TEST_CURSOR_SECRET_ARN })
    .resolves({ Name: TEST_CURSOR_SECRET_ARN, SecretString: 'a-test-secret-that-is-long-enough-for-hmac' });
}
