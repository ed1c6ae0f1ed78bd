/**
 * What the scripts that work on a deployed stack share (npm run cloud:users,
 * npm run deploy:console): which stack samconfig.toml deploys, its outputs
 * and parameters through DescribeStacks, and AWS errors said in words the
 * person running the command can act on.
 */
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { PROJECT_ROOT } from './sam-template.js';

/** Thrown for what the person running the command must fix: printed without a stack trace. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** What an AWS error means to the person running the command. */
export function explained(action: string, error: unknown): Error {
  const { name, message } = error as Error;
  if (name === 'CredentialsProviderError') {
    return new CommandError(
      `${action}: no AWS credentials found (${message}). Set AWS_PROFILE or AWS_ACCESS_KEY_ID and ` +
        'AWS_SECRET_ACCESS_KEY, or in CI assume the deployment role (OIDC) before this step.',
    );
  }
  if (message === 'Region is missing') {
    return new CommandError(`${action}: no AWS region: set AWS_REGION or pass --region.`);
  }
  return new CommandError(`${action} failed: ${name}: ${message}`, { cause: error });
}

/** The client's region (--region, else AWS_REGION or the profile's). */
async function regionOf(client: CloudFormationClient): Promise<string> {
  try {
    return await client.config.region();
  } catch (error) {
    throw explained('Reading the AWS region', error);
  }
}

/**
 * The deployed stack, by DescribeStacks in `requestedRegion` (else the SDK's),
 * with the region it was read in; `hint` says how to name another stack when
 * it does not exist.
 */
export async function describeDeployedStack(
  stack: string,
  requestedRegion: string | undefined,
  hint: string,
): Promise<{ region: string; stack: Stack }> {
  const client = new CloudFormationClient({ region: requestedRegion });
  const region = await regionOf(client);
  let stacks: Stack[] | undefined;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: stack })));
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && (error as Error).message.includes('does not exist')) {
      throw new CommandError(`Stack ${stack} does not exist in ${region}: ${hint}.`);
    }
    throw explained(`DescribeStacks ${stack}`, error);
  }
  const found = stacks?.[0];
  if (!found) throw new CommandError(`Stack ${stack} does not exist in ${region}.`);
  return { region, stack: found };
}

/** The stack's outputs named by `keys`, each present and not empty. */
export function outputsOf<const Key extends string>(stack: Stack, keys: readonly Key[]): Record<Key, string> {
  const values = new Map((stack.Outputs ?? []).map(({ OutputKey, OutputValue }) => [OutputKey, OutputValue]));
  const missing = keys.filter((key) => !values.get(key));
  if (missing.length > 0) {
    throw new CommandError(
      `Stack ${stack.StackName ?? ''} has no output ${missing.join(', ')}: deploy this version of template.yaml to it first.`,
    );
  }
  return Object.fromEntries(keys.map((key) => [key, values.get(key) ?? ''])) as Record<Key, string>;
}

/** The stack's parameter values; NoEcho ones come back masked and are left out. */
export function parametersOf(stack: Stack): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const { ParameterKey: key, ParameterValue: value, ResolvedValue: resolved } of stack.Parameters ?? []) {
    const shown = resolved ?? value;
    if (key && shown !== undefined && shown !== '****') parameters[key] = shown;
  }
  return parameters;
}

/** Where `sam deploy --config-env <environment>` deploys: its stack and, when the section names one, region. */
export interface DeployTarget {
  stack: string;
  region?: string;
}

/**
 * The stack (and region) samconfig.toml's environment deploys, as SAM reads
 * them: the deploy section's parameters over the global section's.
 */
export function samconfigDeployTarget(
  environment: string,
  samconfigPath: string = join(PROJECT_ROOT, 'samconfig.toml'),
): DeployTarget {
  let config: Record<string, unknown>;
  try {
    config = parse(readFileSync(samconfigPath, 'utf8'));
  } catch (error) {
    throw new CommandError(`Reading ${samconfigPath} failed: ${(error as Error).message}`, { cause: error });
  }
  const section = config[environment] as
    Record<string, { parameters?: Record<string, unknown> } | undefined> | undefined;
  const parameters = { ...section?.global?.parameters, ...section?.deploy?.parameters };
  const { stack_name: stack, region } = parameters;
  if (typeof stack !== 'string' || stack === '') {
    throw new CommandError(
      `samconfig.toml names no stack for the environment "${environment}" ([${environment}.global.parameters] or ` +
        `[${environment}.deploy.parameters] stack_name): pass --stack or another --config-env.`,
    );
  }
  return typeof region === 'string' && region !== '' ? { stack, region } : { stack };
}
