import { describe, expect, test, beforeAll, afterAll } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readApiDefinition, readFunctionDefinitions } from '../../../local/api/api-definition.js';
import { LocalSystemError } from '../../../local/system/errors.js';
import { localStack } from '../../../local/system/local-stack.js';
import { onlyResourceOfType, readTemplate, resourcesOfType } from '../../../scripts/sam-template.js';

/** The API and functions as the local runtime reads them from the project's template.yaml. */
describe('the local API definition read from template.yaml', () => {
  let stateDir: string;
  let buildDir: string;

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'api-definition-state-'));
    buildDir = mkdtempSync(join(tmpdir(), 'api-definition-build-'));
    for (const [id] of resourcesOfType(readTemplate(), 'AWS::Serverless::Function')) {
      mkdirSync(join(buildDir, id));
      writeFileSync(join(buildDir, id, 'handler.mjs'), 'export const handler = async () => ({ statusCode: 204 });');
    }
  });
  afterAll(() => {
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
  });

  const stack = (parameterOverrides?: Record<string, string>) =>
    localStack({ region: 'us-east-1', stateDir, parameterOverrides });

  test('routes every Api event to its function, each behind the Cognito authorizer', () => {
    const { routes } = readApiDefinition(stack());
    expect(
      routes.map(({ method, resourcePath, functionId }) => `${method} ${resourcePath} ${functionId}`).sort(),
    ).toEqual([
      'GET /tickets ListTicketsFunction',
      'GET /tickets/{id} GetTicketFunction',
      'GET /tickets/{id}/comments ListCommentsFunction',
      'GET /tickets/{id}/comments/{commentId} GetCommentFunction',
      'PATCH /tickets/{id} UpdateTicketFunction',
      'POST /tickets CreateTicketFunction',
      'POST /tickets/{id}/comments AddCommentFunction',
    ]);
    expect(routes.every((route) => route.authorized && route.identityHeader === 'Authorization')).toBe(true);
  });

  test('takes the stage, CORS, throttling and gateway responses from the template', () => {
    const api = readApiDefinition(stack());
    expect(api.stageName).toBe('dev');
    expect(api.cors).toEqual({
      allowOrigin: '*',
      allowMethods: 'GET,POST,PATCH,OPTIONS',
      allowHeaders: 'Authorization,Content-Type,Idempotency-Key,If-Match',
      maxAge: '600',
      allowCredentials: false,
      authorized: false,
    });
    expect(api.throttling).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(api.gatewayResponses.UNAUTHORIZED).toMatchObject({
      statusCode: 401,
      headers: { 'Content-Type': 'application/problem+json' },
    });
    expect(JSON.parse(api.gatewayResponses.UNAUTHORIZED!.template!)).toMatchObject({ status: 401 });
  });

  test('parameter overrides change what depends on them', () => {
    const api = readApiDefinition(
      stack({ Stage: 'prod', AllowedOrigins: 'https://a.example,https://b.example', ApiThrottlingBurstLimit: '3' }),
    );
    expect(api.stageName).toBe('prod');
    expect(api.cors?.allowOrigin).toBe('https://a.example');
    expect(api.gatewayResponses.UNAUTHORIZED?.headers['Access-Control-Allow-Origin']).toBe('https://a.example');
    expect(api.throttling).toEqual({ rateLimit: 50, burstLimit: 3 });
  });

  test('gives each function its template environment with local values and its built handler', () => {
    const functions = readFunctionDefinitions(stack(), buildDir);
    const create = functions.find((definition) => definition.logicalId === 'CreateTicketFunction')!;
    expect(create).toMatchObject({
      handlerFile: join(buildDir, 'CreateTicketFunction', 'handler.mjs'),
      handlerExport: 'handler',
      timeoutSeconds: 10,
      memorySize: 512,
    });
    expect(create.environment).toMatchObject({
      // A resource's local physical name is its logical id.
      TABLE_NAME: onlyResourceOfType(readTemplate(), 'AWS::DynamoDB::Table')[0],
      ALLOWED_ORIGINS: '*',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      // Stack traces through the shipped source maps, as in Lambda (function-worker.mjs applies it).
      NODE_OPTIONS: '--enable-source-maps',
    });
    // Where the cursor secret is (its local name, as `!Ref` gives it), never its value; only where it is used.
    expect(create.environment.CURSOR_SECRET_ARN).toBe('CursorSigningSecret');
    const again = readFunctionDefinitions(stack(), buildDir).find(
      (definition) => definition.logicalId === 'GetTicketFunction',
    );
    expect(again?.environment).not.toHaveProperty('CURSOR_SECRET_ARN');
    expect(again?.timeoutSeconds).toBe(6);
  });

  test('fails, naming the function, when its handler has not been built', () => {
    const emptyBuild = mkdtempSync(join(tmpdir(), 'api-definition-empty-'));
    try {
      expect(() => readFunctionDefinitions(stack(), emptyBuild)).toThrow(/CreateTicketFunction: no built handler/);
    } finally {
      rmSync(emptyBuild, { recursive: true, force: true });
    }
  });
});

describe('parameter values, as CloudFormation checks them', () => {
  let stateDir: string;
  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-stack-parameters-'));
  });
  afterAll(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });
  const stack = (parameterOverrides: Record<string, string>) => () =>
    localStack({ region: 'us-east-1', stateDir, parameterOverrides });

  test('a value the declaration allows is taken', () => {
    expect(stack({ ServiceLevelTargets: 'urgent=30m/2h', Stage: 'prod' })).not.toThrow();
  });

  test.each([
    [
      { ServiceLevelTargets: 'urgent=30m' },
      /ServiceLevelTargets="urgent=30m" does not match the template's AllowedPattern/,
    ],
    [{ Stage: 'qa' }, /Stage="qa" is not one of dev, staging, prod/],
    [{ NoSuchParameter: 'x' }, /no parameter NoSuchParameter/],
  ])('%o is refused before anything starts', (overrides, message) => {
    expect(stack(overrides)).toThrow(LocalSystemError);
    expect(stack(overrides)).toThrow(message);
  });
});
