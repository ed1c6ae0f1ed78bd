/**
 * A local AWS Secrets Manager for the support system on one machine:
 * GetSecretValue only, in the JSON 1.1 protocol the AWS SDK v3 speaks (POST /,
 * `X-Amz-Target: secretsmanager.GetSecretValue`), so the unchanged
 * SecretsManagerClient (and Powertools Parameters on it) works against it
 * through AWS_ENDPOINT_URL_SECRETS_MANAGER. It serves the secrets the
 * template has Secrets Manager generate, each from its file under the state
 * directory (local/system/local-stack.ts makes them), read on every call: a
 * value changed in its file is served at once, as a rotated secret is.
 *
 * A secret is named by its name (the logical id, which is what `!Ref` gives
 * locally) or by its ARN, full or partial, as Secrets Manager accepts.
 * Errors are Secrets Manager's: ResourceNotFoundException for a secret or a
 * version it does not have, InvalidParameterException for a call without a
 * SecretId.
 *
 * It can be told to fail, to see how the functions answer without their
 * secret: `POST /__admin/faults {"mode": "throttle" | "unavailable",
 * "remaining": N}` answers the next N calls (all, without `remaining`) with a
 * ThrottlingException or an InternalServiceError; `DELETE /__admin/faults`
 * ends it.
 *
 * It listens on 127.0.0.1 only.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { AwsServiceError, startAwsJsonServer, type AwsJsonServer } from '../http/aws-json-server.js';
import { FaultSwitch } from '../http/fault-switch.js';

export const GET_SECRET_VALUE_TARGET = 'secretsmanager.GetSecretValue';
const MAX_REQUEST_BODY_BYTES = 64 * 1024;
const CURRENT_STAGE = 'AWSCURRENT';

export interface SecretsManagerStandInOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The secrets it holds: each one's name, and the file its value is read from. */
  secretFiles: Readonly<Record<string, string>>;
  region: string;
  accountId: string;
  /** Where unexpected errors are reported; console.error by default. */
  logError?: (message: string, error: unknown) => void;
}

/** Its `endpoint` is the base URL for SecretsManagerClient's `endpoint`, e.g. http://127.0.0.1:4622 */
export type SecretsManagerStandIn = AwsJsonServer;

const FAULT_MODES = ['throttle', 'unavailable'] as const;

const internalServiceError = () =>
  new AwsServiceError('InternalServiceError', 'An error occurred on the server side.', 500);

export function startSecretsManagerStandIn(options: SecretsManagerStandInOptions): Promise<SecretsManagerStandIn> {
  return startAwsJsonServer({
    port: options.port,
    name: 'Secrets Manager stand-in',
    operations: {
      [GET_SECRET_VALUE_TARGET]: (input, fault) => {
        if (fault === 'unavailable') throw internalServiceError();
        return getSecretValue(input, options);
      },
    },
    maxRequestBodyBytes: MAX_REQUEST_BODY_BYTES,
    bodyTooLarge: () => new AwsServiceError('InvalidRequestException', 'Request body is too large.'),
    internalError: internalServiceError,
    faults: new FaultSwitch(FAULT_MODES),
    logError: options.logError,
  });
}

interface GetSecretValueInput {
  SecretId?: unknown;
  VersionId?: unknown;
  VersionStage?: unknown;
}

/** GetSecretValue: the current value of a secret it holds, with the fields Secrets Manager answers. */
function getSecretValue(input: unknown, options: SecretsManagerStandInOptions) {
  const { SecretId, VersionId, VersionStage } = (input ?? {}) as GetSecretValueInput;
  if (typeof SecretId !== 'string' || SecretId === '') {
    throw new AwsServiceError('InvalidParameterException', 'You must provide a SecretId.');
  }
  const name = secretNameOf(SecretId, options);
  const file = name === undefined ? undefined : options.secretFiles[name];
  if (name === undefined || file === undefined) {
    throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }
  const value = readFileSync(file, 'utf8').trim();
  const versionId = versionIdOf(value);
  if (VersionStage !== undefined && VersionStage !== CURRENT_STAGE) {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${JSON.stringify(VersionStage)}`,
    );
  }
  if (VersionId !== undefined && VersionId !== versionId) {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${JSON.stringify(VersionId)}`,
    );
  }
  return {
    ARN: secretArn(name, options),
    Name: name,
    VersionId: versionId,
    SecretString: value,
    VersionStages: [CURRENT_STAGE],
    // The SDK reads timestamps as epoch seconds.
    CreatedDate: statSync(file).mtimeMs / 1000,
  };
}

/** A secret's ARN ends with its name, a dash and six characters Secrets Manager picks: here, the same ones each time. */
export function secretArn(name: string, options: Pick<SecretsManagerStandInOptions, 'region' | 'accountId'>): string {
  const suffix = createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${options.region}:${options.accountId}:secret:${name}-${suffix}`;
}

/** The name a SecretId means: a name, a full ARN, or an ARN without its six-character suffix (a partial ARN). */
function secretNameOf(secretId: string, options: SecretsManagerStandInOptions): string | undefined {
  if (!secretId.startsWith('arn:')) return Object.hasOwn(options.secretFiles, secretId) ? secretId : undefined;
  return Object.keys(options.secretFiles).find((name) => {
    const arn = secretArn(name, options);
    return secretId === arn || secretId === arn.slice(0, arn.lastIndexOf('-'));
  });
}

/** A version id (a UUID's shape) that changes exactly when the value does. */
function versionIdOf(value: string): string {
  const hex = createHash('sha256').update(value).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
