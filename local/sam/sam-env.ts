import { KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LOCAL_TOKEN_KEY_VARIABLE } from '../../layers/shared/src/http/sam-local-identity.js';
import { resourcesOfType } from '../../scripts/sam-template.js';
import { NO_VALUE, resolveString, resolveValue, type LocalStack } from '../api/intrinsics.js';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION } from '../dynamodb/dynamodb-local.js';
import { endpointVariables, type ServiceEndpoints } from '../system/parts.js';
import type { LocalSigningKey } from '../token/signing-key.js';

/*
 * The `--env-vars` file for `sam local start-api` and `sam local invoke`: per
 * function logical id, the template's variables with their local values (the
 * local table, the local bus, the cursor secret's name, which the Secrets
 * Manager stand-in serves) plus where the local services are and the key
 * that verifies local tokens.
 */

export type SamEnvironment = Record<string, Record<string, string>>;

/** The local tokens' public key as PEM (SPKI), for LOCAL_TOKEN_PUBLIC_KEY. */
export function localPublicKeyPem(key: LocalSigningKey): string {
  return KeyObject.from(key.publicKey).export({ type: 'spki', format: 'pem' }).toString();
}

type Variables = Record<string, unknown>;

function variablesOf(properties: unknown): Variables {
  const environment = (properties as { Environment?: { Variables?: Variables } } | undefined)?.Environment;
  return environment?.Variables ?? {};
}

/** Per function, the variables the template declares for it: Globals' and its own. SAM CLI sets only these. */
export function declaredVariables(stack: LocalStack): Record<string, Variables> {
  const globals = variablesOf(stack.template.Globals?.Function);
  return Object.fromEntries(
    resourcesOfType(stack.template, 'AWS::Serverless::Function').map(([logicalId, resource]) => [
      logicalId,
      { ...globals, ...variablesOf(resource.Properties) },
    ]),
  );
}

/** `endpoints`: where the functions, inside SAM's containers, reach the local services. */
export function samEnvironment(stack: LocalStack, endpoints: ServiceEndpoints, publicKeyPem: string): SamEnvironment {
  const local = {
    ...endpointVariables(endpoints),
    // DynamoDB Local rejects access keys with anything but letters and digits.
    AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: DYNAMODB_LOCAL_REGION,
    [LOCAL_TOKEN_KEY_VARIABLE]: publicKeyPem,
    // sam local serves no console (the template's value would resolve to a placeholder ARN).
    CONSOLE_ORIGIN: '',
  };
  const environment: SamEnvironment = {};
  for (const [logicalId, variables] of Object.entries(declaredVariables(stack))) {
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) {
      const resolved = resolveValue(value, stack);
      if (resolved !== NO_VALUE)
        values[name] = resolveString(resolved, stack, `${logicalId} environment variable ${name}`);
    }
    environment[logicalId] = { ...values, ...local };
  }
  return environment;
}

/**
 * Per function, the names in its entry that the template does not declare:
 * SAM CLI sets only declared variables, so these would not reach the function.
 */
export function undeclaredVariables(stack: LocalStack, environment: SamEnvironment): Record<string, string[]> {
  const declared = declaredVariables(stack);
  // SAM CLI sets the credentials and the region itself (from the shell that runs it), whatever the template says.
  const setBySam = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']);
  const missing: Record<string, string[]> = {};
  for (const [logicalId, variables] of Object.entries(environment)) {
    const names = Object.keys(variables).filter(
      (name) => !setBySam.has(name) && !(name in (declared[logicalId] ?? {})),
    );
    if (names.length > 0) missing[logicalId] = names;
  }
  return missing;
}

export function writeSamEnvFile(path: string, environment: SamEnvironment): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Owner-only, as everything under the state directory.
  writeFileSync(path, `${JSON.stringify(environment, null, 2)}\n`, { mode: 0o600 });
}
