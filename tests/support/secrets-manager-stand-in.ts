import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DYNAMODB_LOCAL_REGION } from '../../local/dynamodb/dynamodb-local.js';
import {
  startSecretsManagerStandIn,
  type SecretsManagerStandIn,
} from '../../local/secretsmanager/secrets-manager-stand-in.js';
import { LOCAL_ACCOUNT_ID } from '../../local/system/local-stack.js';

export const CURSOR_SECRET_ID = 'CursorSigningSecret';

export interface CursorSecretStandIn {
  standIn: SecretsManagerStandIn;
  /** What a function that reads the cursor secret is given: where the secret is, and where Secrets Manager is. */
  environment: { CURSOR_SECRET_ARN: string; AWS_ENDPOINT_URL_SECRETS_MANAGER: string };
  stop(): Promise<void>;
}

/**
 * The Secrets Manager stand-in serving one cursor secret, for tests that run
 * the functions' handlers in this process (as the local system serves the
 * template's generated secret).
 */
export async function startCursorSecretStandIn(
  value = 'integration-tests-cursor-secret-0123456789',
): Promise<CursorSecretStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'cursor-secret-'));
  const file = join(dir, CURSOR_SECRET_ID);
  writeFileSync(file, value, { mode: 0o600 });
  const standIn = await startSecretsManagerStandIn({
    secretFiles: { [CURSOR_SECRET_ID]: file },
    region: DYNAMODB_LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
  });
  return {
    standIn,
    environment: { CURSOR_SECRET_ARN: CURSOR_SECRET_ID, AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.endpoint },
    stop: async () => {
      await standIn.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
