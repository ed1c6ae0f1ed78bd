import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { resolveString } from '../../../local/api/intrinsics.js';
import { readTemplate } from '../../../scripts/sam-template.js';

/*
 * README's "From laptop to AWS" is run by people copying its blocks: what it
 * reads from the stack and asks of the user pool must exist in the template.
 */

const root = join(import.meta.dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const template = readTemplate();

function section(title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const path = section('From laptop to AWS');

describe("README's path from laptop to AWS", () => {
  test('reads only outputs the stack has', () => {
    const read = [...path.matchAll(/(?:\$\(|^ *)output (\w+)/gm)].map((match) => match[1]);
    expect(read).toEqual(expect.arrayContaining(['ApiEndpoint', 'UserPoolId', 'UserPoolClientId', 'DashboardUrl']));
    expect(Object.keys(template.Outputs ?? {})).toEqual(expect.arrayContaining(read));
  });

  test("uses the stack name samconfig.toml's default section deploys", () => {
    const samconfig = parseToml(readFileSync(join(root, 'samconfig.toml'), 'utf8')) as {
      default: { global: { parameters: { stack_name: string } } };
    };
    expect(path).toContain(`STACK=${samconfig.default.global.parameters.stack_name}\n`);
  });

  test('signs in with an auth flow the app client allows, into the group that makes agents', () => {
    // The path deploys a dev stack: the flows outside prod.
    const client = template.Resources.TicketsUserPoolClient?.Properties as {
      ExplicitAuthFlows: { 'Fn::If': [string, string[], string[]] };
    };
    const [condition, , outsideProd] = client.ExplicitAuthFlows['Fn::If'];
    expect(condition).toBe('IsProd');
    const flow = /--auth-flow (\w+)/.exec(path)?.[1];
    expect(flow).toBeDefined();
    expect(outsideProd).toContain(`ALLOW_${flow ?? ''}`);

    const group = /--group-name (\S+)/.exec(path)?.[1];
    const groups = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Cognito::UserPoolGroup')
      .map((resource) => (resource.Properties as { GroupName: string }).GroupName);
    expect(groups).toContain(group);
  });

  test("the password it asks for is what the pool's policy demands with the stack's default parameters", () => {
    const pool = template.Resources.TicketsUserPool?.Properties as {
      Policies: { PasswordPolicy: { MinimumLength: unknown } };
    };
    const stack = {
      template,
      stackName: 'test',
      region: 'eu-west-1',
      accountId: '123456789012',
      parameterOverrides: {},
    };
    const minimumLength = resolveString(pool.Policies.PasswordPolicy.MinimumLength, stack, 'MinimumLength');
    expect(Number(minimumLength)).toBeGreaterThanOrEqual(8);
    expect(path).toContain(`${minimumLength} characters`);
  });
});
