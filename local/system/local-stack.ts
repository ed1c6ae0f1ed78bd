import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readTemplate, resourcesOfType, TEMPLATE_PATH, type Template } from '../../scripts/sam-template.js';
import { readOrCreateFile } from '../token/create-once.js';
import type { LocalStack } from '../api/intrinsics.js';
import { LocalSystemError } from './errors.js';

/*
 * The template as deployed to this machine: the "stack" whose physical
 * resources are DynamoDB Local's table and the secrets generated under the
 * state directory (served by the Secrets Manager stand-in). What `!Ref` means
 * locally is decided here.
 */

export const LOCAL_STACK_NAME = 'aws-support-system-local';
export const LOCAL_ACCOUNT_ID = '123456789012';

export interface LocalStackOptions {
  region: string;
  stateDir: string;
  parameterOverrides?: Record<string, string>;
  templatePath?: string;
}

export function localStack(options: LocalStackOptions): LocalStack {
  const template = readTemplate(options.templatePath ?? TEMPLATE_PATH);
  assertParameterValues(template.Parameters ?? {}, options.parameterOverrides ?? {});
  // A resource's local physical name is its logical id: the table is "TicketsTable".
  const physicalIds = Object.fromEntries(Object.keys(template.Resources).map((logicalId) => [logicalId, logicalId]));
  return {
    template,
    stackName: LOCAL_STACK_NAME,
    region: options.region,
    accountId: LOCAL_ACCOUNT_ID,
    parameterOverrides: options.parameterOverrides,
    physicalIds,
  };
}

/**
 * The secrets the template has Secrets Manager generate (GenerateSecretString),
 * by name (the logical id, as `!Ref` gives it locally), each with the file
 * under the state directory that holds its value: generated there once and
 * kept, so values signed with it (list cursors) stay valid across restarts,
 * as they do across deployments. The Secrets Manager stand-in serves them.
 */
export function generatedSecretFiles(stateDir: string, template: Template): Record<string, string> {
  return Object.fromEntries(
    resourcesOfType(template, 'AWS::SecretsManager::Secret').map(([logicalId]) => {
      const path = join(stateDir, 'secrets', logicalId);
      readOrCreateFile(path, () => randomBytes(48).toString('base64url'));
      return [logicalId, path];
    }),
  );
}

interface ParameterDeclaration {
  Type?: string;
  AllowedPattern?: string;
  AllowedValues?: unknown[];
}

/** As CloudFormation refuses a deployment: an unknown parameter, or a value its declaration does not allow. */
function assertParameterValues(declared: Record<string, unknown>, overrides: Record<string, string>): void {
  for (const [name, value] of Object.entries(overrides)) {
    const declaration = declared[name] as ParameterDeclaration | undefined;
    if (!declaration) throw new LocalSystemError(`The template has no parameter ${name}.`);
    const { AllowedPattern: pattern, AllowedValues: values } = declaration;
    if (pattern !== undefined && !new RegExp(`^(?:${pattern})$`).test(value)) {
      throw new LocalSystemError(
        `Parameter ${name}="${value}" does not match the template's AllowedPattern ${pattern}.`,
      );
    }
    if (values !== undefined && !values.map(String).includes(value)) {
      throw new LocalSystemError(`Parameter ${name}="${value}" is not one of ${values.map(String).join(', ')}.`);
    }
    if (declaration.Type === 'Number') assertNumberParameter(name, value);
  }
}

/**
 * A Number parameter's value must be a number: anything else would reach the
 * emulation as NaN (a throttle that never refuses). Its MinValue and MaxValue
 * are not enforced here, so tests may spend a throttle with a rate below 1.
 */
function assertNumberParameter(name: string, value: string): void {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) throw new LocalSystemError(`Parameter ${name}="${value}" is not a number.`);
}
