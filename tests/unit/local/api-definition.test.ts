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

  test('routes every Api event to its function, each behind the Cognito authorizer but the preflights', () => {
    const { routes } = readApiDefinition(stack());
    const paths = ['/tickets', '/tickets/{id}', '/tickets/{id}/comments', '/tickets/{id}/comments/{commentId}'];
    expect(
      routes.map(({ method, resourcePath, functionId }) => `${method} ${resourcePath} ${functionId}`).sort(),
    ).toEqual(
      [
        'GET /tickets ListTicketsFunction',
        'GET /tickets/{id} GetTicketFunction',
        'GET /tickets/{id}/comments ListCommentsFunction',
        'GET /tickets/{id}/comments/{commentId} GetCommentFunction',
        'PATCH /tickets/{id} UpdateTicketFunction',
        'POST /tickets CreateTicketFunction',
        'POST /tickets/{id}/comments AddCommentFunction',
        ...paths.map((path) => `OPTIONS ${path} CorsPreflightFunction`),
      ].sort(),
    );
    for (const route of routes) {
      // Browsers send preflights without credentials: `Auth: Authorizer: NONE` on those events.
      const authorized = route.method !== 'OPTIONS';
      expect({ route: `${route.method} ${route.resourcePath}`, authorized: route.authorized }).toEqual({
        route: `${route.method} ${route.resourcePath}`,
        authorized,
      });
      expect(route.identityHeader).toBe('Authorization');
    }
  });

  test('takes the stage, throttling and gateway responses from the template', () => {
    const api = readApiDefinition(stack());
    expect(api.stageName).toBe('dev');
    expect(api).not.toHaveProperty('cors');
    expect(api.throttling).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(api.gatewayResponses.UNAUTHORIZED).toMatchObject({
      statusCode: 401,
      headers: { 'Content-Type': 'application/problem+json', 'Access-Control-Allow-Origin': '*', Vary: 'Origin' },
    });
    expect(JSON.parse(api.gatewayResponses.UNAUTHORIZED!.template!)).toMatchObject({ status: 401 });
  });

  test('parameter overrides change what depends on them', () => {
    const api = readApiDefinition(stack({ Stage: 'prod', ApiThrottlingBurstLimit: '3' }));
    expect(api.stageName).toBe('prod');
    expect(api.throttling).toEqual({ rateLimit: 50, burstLimit: 3 });
  });

  test.each([
    ['*', '*'],
    // Besides the listed origins (none, one or several) the console's is allowed, and no static value can name one
    // of several: the request's Origin is echoed.
    ['', { fromRequestHeader: 'Origin' }],
    ['https://a.example', { fromRequestHeader: 'Origin' }],
    ['https://a.example,https://b.example', { fromRequestHeader: 'Origin' }],
  ])('with AllowedOrigins=%s, every gateway response allows the origin %j', (allowedOrigins, allowOrigin) => {
    const api = readApiDefinition(stack({ AllowedOrigins: allowedOrigins }));
    for (const [type, response] of Object.entries(api.gatewayResponses)) {
      expect({ type, allowOrigin: response.headers['Access-Control-Allow-Origin'] }).toEqual({ type, allowOrigin });
    }
  });

  test('a gateway response header mapped from anything but a static value or a request header is refused', () => {
    const template = readTemplate();
    const api = template.Resources.TicketsApi!;
    const responses = api.Properties!.GatewayResponses as Record<string, { ResponseParameters: { Headers: object } }>;
    const unauthorized = responses.UNAUTHORIZED!;
    const broken = {
      ...template,
      Resources: {
        ...template.Resources,
        TicketsApi: {
          ...api,
          Properties: {
            ...api.Properties,
            GatewayResponses: {
              ...responses,
              UNAUTHORIZED: { ...unauthorized, ResponseParameters: { Headers: { 'X-Id': 'method.request.path.id' } } },
            },
          },
        },
      },
    };
    expect(() => readApiDefinition({ ...stack(), template: broken })).toThrow(
      /GatewayResponses\.UNAUTHORIZED\.X-Id: only static \(quoted\) values and method\.request\.header\.<name>/,
    );
  });

  test("the preflight function is told each path's methods, and no table or secret it would not read", () => {
    const preflight = readFunctionDefinitions(stack(), buildDir).find(
      (definition) => definition.logicalId === 'CorsPreflightFunction',
    )!;
    expect(preflight).toMatchObject({ timeoutSeconds: 3, memorySize: 128 });
    expect(preflight.environment.PREFLIGHT_METHODS).toBe(
      '/tickets=GET,OPTIONS,POST;/tickets/{id}=GET,OPTIONS,PATCH;/tickets/{id}/comments=GET,OPTIONS,POST;/tickets/{id}/comments/{commentId}=GET,OPTIONS',
    );
    expect(preflight.environment.ALLOWED_ORIGINS).toBe('*');
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
    expect(stack({ ApiThrottlingRateLimit: '100000', ApiThrottlingBurstLimit: '100000' })).not.toThrow();
  });

  test.each([
    [
      { ServiceLevelTargets: 'urgent=30m' },
      /ServiceLevelTargets="urgent=30m" does not match the template's AllowedPattern/,
    ],
    [{ Stage: 'qa' }, /Stage="qa" is not one of dev, staging, prod/],
    [{ NoSuchParameter: 'x' }, /no parameter NoSuchParameter/],
    [{ ApiThrottlingRateLimit: 'abc' }, /ApiThrottlingRateLimit="abc" is not a number/],
    [{ ApiThrottlingRateLimit: '' }, /ApiThrottlingRateLimit="" is not a number/],
  ])('%o is refused before anything starts', (overrides, message) => {
    expect(stack(overrides)).toThrow(LocalSystemError);
    expect(stack(overrides)).toThrow(message);
  });
});
