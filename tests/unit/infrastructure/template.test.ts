import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseFilterPattern, passesFilters } from '../../../local/event-source/event-filter.js';
import { NO_VALUE, resolveValue, type LocalStack } from '../../../local/api/intrinsics.js';
import { MAX_BODY_BYTES } from '../../../layers/shared/src/http/http-handler.js';
import { readPreflightMethods } from '../../../layers/shared/src/config.js';
import { corsPreflightHandler } from '../../../layers/shared/src/http/cors.js';
import { METRIC_NAMES } from '../../../layers/shared/src/metrics.js';
import { esbuildOptions } from '../../../scripts/build.js';
import {
  PROJECT_ROOT,
  esbuildFunctions,
  esbuildTargetOf,
  makefileLayers,
  onlyResourceOfType,
  readTemplate,
  resourcesOfType,
  type Resource,
} from '../../../scripts/sam-template.js';

/**
 * What a reviewer of template.yaml relies on: every route behind Cognito,
 * least-privilege IAM scoped to the one table, logs that expire, the build
 * wiring SAM needs, and sample events that match the routes.
 */

const template = readTemplate();
const resources = template.Resources;
const functions = resourcesOfType(template, 'AWS::Serverless::Function');
const [TABLE_ID, table] = onlyResourceOfType(template, 'AWS::DynamoDB::Table');
const [LAYER_ID, layerResource] = onlyResourceOfType(template, 'AWS::Serverless::LayerVersion');

type Props = Record<string, unknown>;
const propsOf = (resource: Resource | undefined): Props => resource?.Properties ?? {};
const ref = (logicalId: string) => ({ Ref: logicalId });

/** `value` as CloudFormation would resolve it with these parameters (defaults elsewhere). */
const resolvedWith = (value: unknown, parameterOverrides: Record<string, string> = {}): unknown =>
  resolveValue(value, {
    template,
    stackName: 'test',
    region: 'eu-west-1',
    accountId: '123456789012',
    parameterOverrides,
  });

interface ApiEvent {
  Type: string;
  Properties: { RestApiId?: unknown; Path: string; Method: string; Auth?: { Authorizer?: string } };
}
const apiEventsOf = (resource: Resource): ApiEvent[] =>
  Object.values((propsOf(resource).Events ?? {}) as Record<string, ApiEvent>).filter((event) => event.Type === 'Api');

const ROUTES = [
  { functionId: 'CreateTicketFunction', method: 'post', path: '/tickets', event: 'create-ticket' },
  { functionId: 'GetTicketFunction', method: 'get', path: '/tickets/{id}', event: 'get-ticket' },
  { functionId: 'UpdateTicketFunction', method: 'patch', path: '/tickets/{id}', event: 'update-ticket' },
  { functionId: 'ListTicketsFunction', method: 'get', path: '/tickets', event: 'list-tickets' },
  { functionId: 'AddCommentFunction', method: 'post', path: '/tickets/{id}/comments', event: 'add-comment' },
  { functionId: 'ListCommentsFunction', method: 'get', path: '/tickets/{id}/comments', event: 'list-comments' },
  {
    functionId: 'GetCommentFunction',
    method: 'get',
    path: '/tickets/{id}/comments/{commentId}',
    event: 'get-comment',
  },
];

const STREAM_FUNCTIONS = ['AnalyzeTicketFunction', 'PublishEventsFunction'];

/** Answers OPTIONS (the CORS preflight) on every path of the API. */
const PREFLIGHT_FUNCTION = 'CorsPreflightFunction';

/** Every alarm notifies AlarmTopicArn when it is given, else the stack's own topic. */
const ALARM_ACTIONS = [{ 'Fn::If': ['HasAlarmTopic', { Ref: 'AlarmTopicArn' }, { Ref: 'AlarmTopic' }] }];

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('the template reader', () => {
  test("resolves each function's entry point to an existing source file", () => {
    const built = esbuildFunctions(template);
    expect(built.map((fn) => fn.logicalId).sort()).toEqual(
      [...ROUTES.map((route) => route.functionId), ...STREAM_FUNCTIONS, PREFLIGHT_FUNCTION].sort(),
    );
    for (const fn of built) {
      expect(fn.entryPoints).toHaveLength(1);
      for (const entry of fn.entryPoints) {
        expect({ fn: fn.logicalId, entry, exists: existsSync(entry) }).toEqual({
          fn: fn.logicalId,
          entry,
          exists: true,
        });
      }
      // Handler `handler.handler` must name the module esbuild emits from `handler.ts`.
      expect(fn.handler.split('.')[0]).toBe(basename(fn.entryPoints[0]!).replace(/\.ts$/, ''));
    }
  });

  test('passes the BuildProperties to esbuild as SAM does', () => {
    const create = esbuildFunctions(template).find((fn) => fn.logicalId === 'CreateTicketFunction')!;
    const options = esbuildOptions(create, '/tmp/out');
    expect(options).toMatchObject({
      bundle: true,
      platform: 'node',
      format: 'esm',
      minify: false,
      sourcemap: true,
      target: 'node22',
      outExtension: { '.js': '.mjs' },
      external: ['@aws-support-system/shared', '@aws-sdk/*'],
      absWorkingDir: join(PROJECT_ROOT, 'functions', 'create-ticket'),
    });
    // Defines `require` for CommonJS code the bundle may contain.
    expect(options.banner?.js).toMatch(/const require = \w+\(import\.meta\.url\)/);
  });

  test('the functions and the layer are bundled for the Node.js of their Lambda runtime', () => {
    const runtimeTarget = esbuildTargetOf(template.Globals?.Function?.Runtime);
    expect(runtimeTarget).toBe('node22');
    for (const fn of esbuildFunctions(template)) {
      expect({ fn: fn.logicalId, target: esbuildOptions(fn, '/tmp/out').target }).toEqual({
        fn: fn.logicalId,
        target: runtimeTarget,
      });
      // A function without a Target of its own is bundled for its runtime too (not SAM's es2020).
      const withoutTarget = { ...fn.buildProperties, Target: undefined };
      expect(esbuildOptions({ ...fn, buildProperties: withoutTarget }, '/tmp/out').target).toBe(runtimeTarget);
    }
    const makefiles = makefileLayers(template).map((layer) => readFileSync(join(layer.contentDir, 'Makefile'), 'utf8'));
    expect(makefiles.map((makefile) => makefile.match(/--target=\S+/g))).toEqual([[`--target=${runtimeTarget}`]]);
  });
});

describe('API and authorization', () => {
  const api = resources.TicketsApi!;

  test('the API requires the Cognito authorizer by default, preflights excepted', () => {
    expect(api.Type).toBe('AWS::Serverless::Api');
    const auth = propsOf(api).Auth as Props;
    expect(auth.DefaultAuthorizer).toBe('CognitoAuthorizer');
    // No SAM Cors mock (it could answer one origin only): the preflight function's events opt out instead.
    expect(propsOf(api).Cors).toBeUndefined();
    expect(auth.AddDefaultAuthorizerToCorsPreflight).toBeUndefined();
    expect((auth.Authorizers as Props).CognitoAuthorizer).toMatchObject({
      UserPoolArn: { 'Fn::GetAtt': ['TicketsUserPool', 'Arn'] },
    });
    expect(propsOf(api).StageName).toEqual(ref('Stage'));
  });

  test('exactly the seven routes exist, each on TicketsApi and none opting out of the authorizer', () => {
    const routes = functions
      .filter(([functionId]) => functionId !== PREFLIGHT_FUNCTION)
      .flatMap(([functionId, resource]) =>
        apiEventsOf(resource).map((event) => {
          expect(event.Properties.RestApiId).toEqual(ref('TicketsApi'));
          expect(event.Properties.Auth?.Authorizer).toBeUndefined();
          return { functionId, method: event.Properties.Method.toLowerCase(), path: event.Properties.Path };
        }),
      );
    const expected = ROUTES.map(({ functionId, method, path }) => ({ functionId, method, path }));
    expect(routes).toEqual(expect.arrayContaining(expected));
    expect(routes).toHaveLength(expected.length);
    // No function is reachable through an implicit API either; the stream functions have no API event at all.
    for (const [functionId, resource] of functions) {
      const events = Object.values((propsOf(resource).Events ?? {}) as Record<string, { Type: string }>);
      const expectedType = STREAM_FUNCTIONS.includes(functionId) ? 'DynamoDB' : 'Api';
      expect({ functionId, types: events.map((event) => event.Type) }).toEqual({
        functionId,
        types: events.map(() => expectedType),
      });
    }
  });

  test('OPTIONS on every path is the preflight function, without the authorizer, told the methods of each path', () => {
    const preflight = resources[PREFLIGHT_FUNCTION]!;
    const events = apiEventsOf(preflight);
    const paths = [...new Set(ROUTES.map((route) => route.path))].sort();
    expect(events.map((event) => event.Properties.Path).sort()).toEqual(paths);
    for (const event of events) {
      expect(event.Properties).toEqual({
        RestApiId: ref('TicketsApi'),
        Path: event.Properties.Path,
        Method: 'options',
        Auth: { Authorizer: 'NONE' },
      });
    }
    // PREFLIGHT_METHODS (Access-Control-Allow-Methods per path) is every method the template routes there.
    const methodsOf = (path: string) =>
      functions
        .flatMap(([, resource]) => apiEventsOf(resource))
        .filter((event) => event.Properties.Path === path)
        .map((event) => event.Properties.Method.toUpperCase())
        .sort()
        .join(',');
    const variables = (propsOf(preflight).Environment as { Variables: Props }).Variables;
    const configured = readPreflightMethods({ PREFLIGHT_METHODS: String(variables.PREFLIGHT_METHODS) });
    expect(Object.fromEntries(configured)).toEqual(Object.fromEntries(paths.map((path) => [path, methodsOf(path)])));
    expect(configured.get('/tickets/{id}')).toBe('GET,OPTIONS,PATCH');
  });

  test('AllowedOrigins takes *, a list of origins or nothing (the console alone), never * in prod', () => {
    const parameter = template.Parameters?.AllowedOrigins as Props;
    expect(parameter.Default).toBe('*');
    const pattern = new RegExp(String(parameter.AllowedPattern));
    for (const allowed of ['*', '', 'https://app.example.com', 'https://a.example,http://localhost:5173']) {
      expect({ allowed, valid: pattern.test(allowed) }).toEqual({ allowed, valid: true });
    }
    // A space, a path, a quote (it would break the gateway responses' static value) or * in a list.
    for (const refused of [
      ',',
      ',https://a.example',
      'https://a.example, https://b.example',
      'https://a.example/',
      "https://a'.example",
      '*,https://a.example',
      'https://*.example.com',
      'a.example',
    ]) {
      expect({ refused, valid: pattern.test(refused) }).toEqual({ refused, valid: false });
    }
    const rule = template.Rules?.ProdNamesItsOrigins as Props;
    expect(rule.RuleCondition).toEqual({ 'Fn::Equals': [ref('Stage'), 'prod'] });
    expect(rule.Assertions).toEqual([
      {
        Assert: { 'Fn::Not': [{ 'Fn::Equals': [ref('AllowedOrigins'), '*'] }] },
        AssertDescription: expect.stringContaining('not *') as unknown,
      },
    ]);
  });

  test.each([
    ['prod', 'https://a.example,https://b.example:8443', false],
    ['prod', '', false],
    ['prod', 'http://a.example', true],
    ['prod', 'https://a.example,http://localhost:5173', true],
    ['prod', 'http://localhost:5173,https://a.example', true],
    ['dev', 'http://localhost:5173', false],
    ['staging', 'https://a.example,http://b.example', false],
  ])(
    'Stage=%s with AllowedOrigins=%s: an http origin in prod fails the deploy (%s)',
    (stage, allowedOrigins, refused) => {
      const stack: LocalStack = {
        template,
        stackName: 'test',
        region: 'eu-west-1',
        accountId: '123456789012',
        parameterOverrides: { Stage: stage, AllowedOrigins: allowedOrigins },
      };
      expect(resolveValue({ 'Fn::If': ['ProdHasHttpOrigin', true, false] }, stack)).toBe(refused);
      // Only in prod with an http origin: a wait condition nothing signals, which times out and fails the deploy.
      expect(template.Resources.ProdRefusesHttpOrigins).toEqual({
        Type: 'AWS::CloudFormation::WaitCondition',
        Condition: 'ProdHasHttpOrigin',
        Properties: { Handle: ref('ProdRefusesHttpOriginsHandle'), Count: 1, Timeout: '1' },
      });
      expect(template.Resources.ProdRefusesHttpOriginsHandle).toEqual({
        Type: 'AWS::CloudFormation::WaitConditionHandle',
        Condition: 'ProdHasHttpOrigin',
      });
      const references = JSON.stringify(template).split('"ProdRefusesHttpOriginsHandle"').length - 1;
      // Its own key and the wait condition's Ref: nothing else can signal it.
      expect(references).toBe(2);
    },
  );

  // Unless any origin is allowed, the console's origin is allowed besides the listed ones (none, one or more).
  test.each([
    ['*', false],
    ['', true],
    ['https://a.example', true],
    ['https://a.example,https://b.example', true],
    ['https://a.example,https://b.example,https://c.example', true],
  ])('with AllowedOrigins=%s, ListsAllowedOrigins is %s', (allowedOrigins, several) => {
    const stack: LocalStack = {
      template,
      stackName: 'test',
      region: 'eu-west-1',
      accountId: '123456789012',
      parameterOverrides: { AllowedOrigins: allowedOrigins },
    };
    expect(resolveValue({ 'Fn::If': ['ListsAllowedOrigins', true, false] }, stack)).toBe(several);
  });

  test("API Gateway's own errors are problem+json with truthful status codes", () => {
    const responses = propsOf(api).GatewayResponses as Record<string, Props>;
    const expectedStatus: Record<string, number> = {
      UNAUTHORIZED: 401,
      ACCESS_DENIED: 403,
      MISSING_AUTHENTICATION_TOKEN: 404,
      THROTTLED: 429,
      REQUEST_TOO_LARGE: 413,
    };
    for (const [type, status] of Object.entries(expectedStatus)) {
      expect({ type, status: responses[type]?.StatusCode }).toEqual({ type, status });
    }
    for (const [type, response] of Object.entries(responses)) {
      const headers = (response.ResponseParameters as { Headers: Record<string, unknown> }).Headers;
      expect({ type, contentType: headers['Content-Type'] }).toEqual({
        type,
        contentType: "'application/problem+json'",
      });
      const body = JSON.parse(
        String((response.ResponseTemplates as Record<string, string>)['application/json']).replace(
          /\$context\.error\.messageString/g,
          '"message"',
        ),
      ) as Props;
      expect(Object.keys(body)).toEqual(expect.arrayContaining(['type', 'title', 'detail']));
      // A body states the status only where the response fixes it; catch-alls keep API Gateway's own.
      expect({ type, status: body.status }).toEqual({ type, status: response.StatusCode });
    }
    expect(responses.DEFAULT_4XX?.StatusCode).toBeUndefined();
    expect(responses.DEFAULT_5XX?.StatusCode).toBeUndefined();
    // Each says * when any origin is allowed, else echoes the request's: the console's and the listed ones are
    // several, and no static value can name one of several.
    for (const [type, response] of Object.entries(responses)) {
      const headers = (response.ResponseParameters as { Headers: Record<string, unknown> }).Headers;
      expect({ type, origin: headers['Access-Control-Allow-Origin'], vary: headers.Vary }).toEqual({
        type,
        origin: { 'Fn::If': ['ListsAllowedOrigins', 'method.request.header.Origin', "'*'"] },
        vary: "'Origin'",
      });
    }
    // A page's script can read Retry-After only when the answer exposes it.
    for (const [type, response] of Object.entries(responses)) {
      const headers = (response.ResponseParameters as { Headers: Record<string, unknown> }).Headers;
      const exposed = headers['Access-Control-Expose-Headers'];
      expect({ type, exposed }).toEqual({ type, exposed: 'Retry-After' in headers ? "'Retry-After'" : undefined });
    }
    const throttled = responses.THROTTLED!.ResponseParameters as { Headers: Record<string, unknown> };
    expect(throttled.Headers['Retry-After']).toMatch(/^'\d+'$/);
  });

  test("the throttling parameters describe API Gateway's per-method limits, set for every method", () => {
    const [settings, ...others] = propsOf(api).MethodSettings as Props[];
    expect(others).toEqual([]);
    // */* in MethodSettings gives each method its own bucket: the descriptions must say so, not "the stage".
    expect(settings).toMatchObject({ ResourcePath: '/*', HttpMethod: '*' });
    for (const name of ['ApiThrottlingRateLimit', 'ApiThrottlingBurstLimit']) {
      const description = String(template.Parameters?.[name]?.Description);
      expect({ name, perMethod: description.includes('each API method') }).toEqual({ name, perMethod: true });
      expect({ name, perStage: description.includes('the stage accepts') }).toEqual({ name, perStage: false });
    }
  });

  test("the stage's execution logs go to a log group of API Gateway's name for it, which expires", () => {
    const executionLogs = resourcesOfType(template, 'AWS::Logs::LogGroup').filter(([, group]) =>
      JSON.stringify(propsOf(group).LogGroupName).includes('API-Gateway-Execution-Logs_'),
    );
    expect(executionLogs.map(([id]) => id)).toEqual(['TicketsApiExecutionLogGroup']);
    // Its key is the one every log group has (see encryption at rest).
    const { KmsKeyId: key, ...properties } = propsOf(executionLogs[0]![1]);
    expect(properties).toEqual({
      LogGroupName: { 'Fn::Sub': 'API-Gateway-Execution-Logs_${TicketsApi}/${Stage}' },
      RetentionInDays: ref('LogRetentionInDays'),
    });
    expect(key).toEqual(propsOf(resources.TicketsApiAccessLogGroup).KmsKeyId);
    const [settings] = propsOf(api).MethodSettings as Props[];
    expect(settings?.LoggingLevel).toBe('ERROR');
  });

  test('the stage is throttled and writes access logs to a log group that expires', () => {
    const [settings] = propsOf(api).MethodSettings as Props[];
    expect(settings).toMatchObject({
      ResourcePath: '/*',
      HttpMethod: '*',
      ThrottlingRateLimit: ref('ApiThrottlingRateLimit'),
      ThrottlingBurstLimit: ref('ApiThrottlingBurstLimit'),
      DataTraceEnabled: false,
    });
    const accessLogs = propsOf(api).AccessLogSetting as Props;
    expect(accessLogs.DestinationArn).toEqual({ 'Fn::GetAtt': ['TicketsApiAccessLogGroup', 'Arn'] });
    expect(propsOf(resources.TicketsApiAccessLogGroup).RetentionInDays).toEqual(ref('LogRetentionInDays'));
    expect(() => JSON.parse(String(accessLogs.Format)) as unknown).not.toThrow();
  });

  test("API Gateway's account-wide logging role is set only when ManageApiGatewayAccount is 'true'", () => {
    expect(template.Parameters?.ManageApiGatewayAccount).toMatchObject({
      Type: 'String',
      Default: 'false',
      AllowedValues: ['true', 'false'],
    });
    expect(template.Conditions?.ManagesApiGatewayAccount).toEqual({
      'Fn::Equals': [ref('ManageApiGatewayAccount'), 'true'],
    });
    const accountSettings = resourcesOfType(template, 'AWS::ApiGateway::Account');
    expect(accountSettings.map(([id]) => id)).toEqual(['ApiGatewayAccount']);
    for (const id of ['ApiGatewayAccount', 'ApiGatewayCloudWatchRole']) {
      expect({ id, condition: resources[id]?.Condition }).toEqual({ id, condition: 'ManagesApiGatewayAccount' });
    }
    expect(propsOf(resources.ApiGatewayAccount).CloudWatchRoleArn).toEqual({
      'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'],
    });
    // The role outlives the stack, so the account setting never names a deleted role.
    expect(resources.ApiGatewayCloudWatchRole?.DeletionPolicy).toBe('Retain');
    // The API waits for the setting when the stack makes it, through a handle that always exists.
    expect(api.DependsOn).toBe('ApiGatewayAccountReady');
    const ready = resources.ApiGatewayAccountReady!;
    expect(ready.Type).toBe('AWS::CloudFormation::WaitConditionHandle');
    expect(ready.Condition).toBeUndefined();
    expect(ready.Metadata).toEqual({
      ApiGatewayAccount: { 'Fn::If': ['ManagesApiGatewayAccount', ref('ApiGatewayAccount'), 'none'] },
    });
    // Nothing else may name the conditional resources unconditionally.
    const others = Object.entries(resources).filter(
      ([id]) => !['ApiGatewayAccount', 'ApiGatewayCloudWatchRole', 'ApiGatewayAccountReady'].includes(id),
    );
    expect(JSON.stringify(others)).not.toMatch(/"ApiGatewayAccount"|"ApiGatewayCloudWatchRole"/);
  });

  test('the user pool signs in by email, requires strong passwords and has an agents group', () => {
    const pool = propsOf(resources.TicketsUserPool);
    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(resolvedWith(pool.MfaConfiguration)).toBe('OPTIONAL');
    expect(pool.DeletionProtection).toEqual({ 'Fn::If': ['IsProd', 'ACTIVE', 'INACTIVE'] });
    const passwords = (pool.Policies as { PasswordPolicy: Props }).PasswordPolicy;
    expect(Number(resolvedWith(passwords.MinimumLength))).toBeGreaterThanOrEqual(12);
    const client = propsOf(resources.TicketsUserPoolClient);
    expect(client.GenerateSecret).toBe(false);
    // The admin flow signs in with IAM credentials only (the tests against a deployed stack), and never in
    // prod; no public password flow anywhere.
    expect(client.ExplicitAuthFlows).toEqual({
      'Fn::If': [
        'IsProd',
        ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      ],
    });
    expect(propsOf(resources.AgentsGroup)).toMatchObject({ GroupName: 'agents', UserPoolId: ref('TicketsUserPool') });
  });

  test('RequireMfa=true requires an authenticator app of every user; by default MFA stays optional', () => {
    const pool = propsOf(resources.TicketsUserPool);
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(template.Parameters?.RequireMfa).toMatchObject({ Default: 'false', AllowedValues: ['true', 'false'] });
    expect(resolvedWith(pool.MfaConfiguration, { RequireMfa: 'true' })).toBe('ON');
    expect(resolvedWith(pool.MfaConfiguration, { RequireMfa: 'false' })).toBe('OPTIONAL');
  });

  test('the password policy is set by parameters: at least 12 characters of four classes by default', () => {
    const passwords = (propsOf(resources.TicketsUserPool).Policies as { PasswordPolicy: Props }).PasswordPolicy;
    const classes = ['RequireLowercase', 'RequireUppercase', 'RequireNumbers', 'RequireSymbols'];
    // Parameters reach a template as strings, as CloudFormation passes them.
    expect(resolvedWith(passwords)).toMatchObject({
      MinimumLength: '12',
      ...Object.fromEntries(classes.map((name) => [name, true])),
    });
    expect(
      resolvedWith(passwords, { PasswordMinimumLength: '16', PasswordRequireCharacterClasses: 'false' }),
    ).toMatchObject({
      MinimumLength: '16',
      ...Object.fromEntries(classes.map((name) => [name, false])),
    });
    // Cognito's own floor is 6; this template never goes under 8.
    expect(template.Parameters?.PasswordMinimumLength).toMatchObject({ MinValue: 8, MaxValue: 99 });
  });

  test('nobody makes themselves an agent: no custom attributes, the client writes e-mail only, sign-up can be closed', () => {
    const pool = propsOf(resources.TicketsUserPool);
    // Only the e-mail is declared, so no attribute could be read as a role.
    expect((pool.Schema as { Name: string }[]).map((attribute) => attribute.Name)).toEqual(['email']);
    expect(propsOf(resources.TicketsUserPoolClient).WriteAttributes).toEqual(['email']);
    const signUp = (pool.AdminCreateUserConfig as Props).AllowAdminCreateUserOnly;
    expect(resolvedWith(signUp)).toBe(false);
    expect(resolvedWith(signUp, { AllowSelfSignUp: 'false' })).toBe(true);
    // Group membership is changed only by the administrator APIs; no resource grants them to a caller.
    const templateText = JSON.stringify(resources);
    expect(templateText).not.toContain('cognito-idp:AdminAddUserToGroup');
    expect(templateText).not.toContain('cognito-idp:*');
  });

  test('advanced security is off by default; AUDIT or ENFORCED put the pool on the Plus plan it needs', () => {
    const pool = propsOf(resources.TicketsUserPool);
    expect(template.Parameters?.AdvancedSecurityMode).toMatchObject({
      Default: 'OFF',
      AllowedValues: ['OFF', 'AUDIT', 'ENFORCED'],
    });
    expect(resolvedWith(pool.UserPoolAddOns)).toEqual({ AdvancedSecurityMode: 'OFF' });
    expect(resolvedWith(pool.UserPoolTier)).toBe(NO_VALUE);
    for (const mode of ['AUDIT', 'ENFORCED']) {
      expect(resolvedWith(pool.UserPoolAddOns, { AdvancedSecurityMode: mode })).toEqual({ AdvancedSecurityMode: mode });
      expect(resolvedWith(pool.UserPoolTier, { AdvancedSecurityMode: mode })).toBe('PLUS');
    }
  });

  test('deleting the stack or replacing the user pool keeps it, with its client and groups', () => {
    const identity = [
      ...resourcesOfType(template, 'AWS::Cognito::UserPool'),
      ...resourcesOfType(template, 'AWS::Cognito::UserPoolClient'),
      ...resourcesOfType(template, 'AWS::Cognito::UserPoolGroup'),
    ];
    expect(identity.map(([id]) => id).sort()).toEqual([
      'AgentsGroup',
      'ConsoleUserPoolClient',
      'TicketsUserPool',
      'TicketsUserPoolClient',
    ]);
    for (const [id, resource] of identity) {
      expect({ id, deletion: resource.DeletionPolicy, replacement: resource.UpdateReplacePolicy }).toEqual({
        id,
        deletion: 'Retain',
        replacement: 'Retain',
      });
    }
  });
});

describe('the web application firewall', () => {
  const acl = resources.TicketsApiWebAcl;
  const association = resources.TicketsApiWebAclAssociation;
  interface WafRule {
    Name: string;
    Priority: number;
    Action?: { Block?: { CustomResponse?: { ResponseCode: number; CustomResponseBodyKey: string } } };
    OverrideAction?: unknown;
    Statement: Props;
    VisibilityConfig: { CloudWatchMetricsEnabled: boolean };
  }
  const rules = (propsOf(acl).Rules ?? []) as WafRule[];
  const rule = (name: string): WafRule => {
    const found = rules.find((candidate) => candidate.Name === name);
    if (!found) throw new Error(`The web ACL has no rule ${name}.`);
    return found;
  };

  test("exists with its association to the API's stage, unless EnableWaf is 'false'", () => {
    expect(acl?.Type).toBe('AWS::WAFv2::WebACL');
    expect(association?.Type).toBe('AWS::WAFv2::WebACLAssociation');
    expect([acl?.Condition, association?.Condition]).toEqual(['HasWaf', 'HasWaf']);
    expect(template.Parameters?.EnableWaf).toMatchObject({ Default: 'true', AllowedValues: ['true', 'false'] });
    expect(resolvedWith({ 'Fn::If': ['HasWaf', true, false] })).toBe(true);
    expect(resolvedWith({ 'Fn::If': ['HasWaf', true, false] }, { EnableWaf: 'false' })).toBe(false);
    expect(propsOf(acl)).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    // ${TicketsApi.Stage} is SAM's reference to the stage it generates, so the association waits for it.
    expect(propsOf(association)).toEqual({
      ResourceArn: {
        'Fn::Sub':
          'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${TicketsApi}/stages/${TicketsApi.Stage}',
      },
      WebACLArn: { 'Fn::GetAtt': ['TicketsApiWebAcl', 'Arn'] },
    });
  });

  test('runs the three AWS managed rule groups; the rules that judge a ticket by its words only count', () => {
    const managed = rules
      .filter((candidate) => 'ManagedRuleGroupStatement' in candidate.Statement)
      .map((candidate) => candidate.Statement.ManagedRuleGroupStatement as Props);
    expect(managed.map((group) => [group.VendorName, group.Name]).sort()).toEqual([
      ['AWS', 'AWSManagedRulesAmazonIpReputationList'],
      ['AWS', 'AWSManagedRulesCommonRuleSet'],
      ['AWS', 'AWSManagedRulesKnownBadInputsRuleSet'],
    ]);
    const counted = (name: string) =>
      ((managed.find((group) => group.Name === name)?.RuleActionOverrides ?? []) as Props[]).map((override) => {
        expect(override.ActionToUse).toEqual({ Count: {} });
        return override.Name;
      });
    // A ticket may be ~100 KB (the common set blocks every body over 8 KB), and its text may quote markup,
    // paths, internal URLs or an exploit it reports: every rule that reads the body counts, none blocks.
    expect(counted('AWSManagedRulesCommonRuleSet').sort()).toEqual([
      'CrossSiteScripting_BODY',
      'EC2MetaDataSSRF_BODY',
      'GenericLFI_BODY',
      'GenericRFI_BODY',
      'NoUserAgent_HEADER',
      'SizeRestrictions_BODY',
    ]);
    expect(counted('AWSManagedRulesKnownBadInputsRuleSet').sort()).toEqual([
      'JavaDeserializationRCE_BODY',
      'Log4JRCE_BODY',
    ]);
    for (const group of rules.filter((candidate) => 'ManagedRuleGroupStatement' in candidate.Statement)) {
      expect({ name: group.Name, override: group.OverrideAction }).toEqual({
        name: group.Name,
        override: { None: {} },
      });
    }
  });

  test('limits each client IP to WafRateLimitPerIp requests in 5 minutes, answering 429 as a problem', () => {
    const rate = rule('RatePerIp');
    expect(rate.Statement.RateBasedStatement).toEqual({
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
      Limit: ref('WafRateLimitPerIp'),
    });
    expect(rate.Action?.Block?.CustomResponse?.ResponseCode).toBe(429);
    expect(problemBody(rate)).toMatchObject({ status: 429, type: 'urn:aws-support-system:problem:throttled' });
  });

  test("blocks a Content-Length of 1,000,000 bytes or more with 413, above the functions' own limit and below Lambda's", () => {
    const size = rule('BodyTooLarge');
    // Evaluated before any other rule, so an oversized body is a 413 whatever else matches.
    expect(size.Priority).toBe(Math.min(...rules.map((candidate) => candidate.Priority)));
    const match = size.Statement.RegexMatchStatement as {
      FieldToMatch: { SingleHeader: { Name: string } };
      RegexString: string;
    };
    expect(match.FieldToMatch).toEqual({ SingleHeader: { Name: 'content-length' } });
    const tooLarge = new RegExp(match.RegexString);
    const lambdaPayloadLimit = 6 * 1024 * 1024;
    const apiGatewayLimit = 10 * 1024 * 1024;
    for (const length of [0, 1, 999_999, MAX_BODY_BYTES, MAX_BODY_BYTES + 1]) {
      expect({ length, blocked: tooLarge.test(String(length)) }).toEqual({ length, blocked: false });
    }
    for (const length of [1_000_000, lambdaPayloadLimit, lambdaPayloadLimit + 1, apiGatewayLimit]) {
      expect({ length, blocked: tooLarge.test(String(length)) }).toEqual({ length, blocked: true });
    }
    // Leading zeros do not hide a large body, nor make a small one large.
    expect(tooLarge.test('0006291457')).toBe(true);
    expect(tooLarge.test('000999999')).toBe(false);
    expect(MAX_BODY_BYTES).toBeLessThan(1_000_000);
    expect(size.Action?.Block?.CustomResponse?.ResponseCode).toBe(413);
    expect(problemBody(size)).toMatchObject({ status: 413, type: 'urn:aws-support-system:problem:payload-too-large' });
  });

  test('every rule and the web ACL publish CloudWatch metrics', () => {
    expect(propsOf(acl).VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true });
    expect(rules.length).toBe(5);
    for (const candidate of rules) {
      expect({ name: candidate.Name, metrics: candidate.VisibilityConfig.CloudWatchMetricsEnabled }).toEqual({
        name: candidate.Name,
        metrics: true,
      });
    }
  });

  /** The console's origin, as the functions' CONSOLE_ORIGIN names it. */
  const consoleOrigin = resolvedWith({ 'Fn::Sub': 'https://${ConsoleDistribution.DomainName}' });
  const responseHeadersOf = (name: string, allowedOrigins: string): Map<string, string> => {
    const response = resolvedWith(rule(name).Action?.Block?.CustomResponse, { AllowedOrigins: allowedOrigins }) as {
      ResponseHeaders?: ({ Name: string; Value: string } | typeof NO_VALUE)[] | typeof NO_VALUE;
    };
    const headers = Array.isArray(response.ResponseHeaders)
      ? response.ResponseHeaders.filter((header) => header !== NO_VALUE)
      : [];
    return new Map(headers.map((header) => [header.Name, header.Value]));
  };

  test.each([
    ['*', '*'],
    // A static header cannot echo one of several origins: it names the console's, which is always allowed
    // (a listed origin's page cannot read these answers).
    ['', 'the console'],
    ['https://app.example', 'the console'],
    ['https://a.example,https://b.example', 'the console'],
  ])("with AllowedOrigins=%j, WAF's own answers allow the origin of %s", (allowedOrigins, allowOrigin) => {
    const expected = allowOrigin === '*' ? '*' : consoleOrigin;
    expect(consoleOrigin).toMatch(/^https:\/\/.*ConsoleDistribution\/DomainName$/);
    for (const name of ['BodyTooLarge', 'RatePerIp']) {
      const allowed = responseHeadersOf(name, allowedOrigins).get('Access-Control-Allow-Origin');
      expect({ name, allowed }).toEqual({ name, allowed: expected });
    }
  });

  test.each(['*', '', 'https://app.example'])(
    'with AllowedOrigins=%j, the 429 says when to retry, in a header the page may read',
    (allowedOrigins) => {
      const headers = responseHeadersOf('RatePerIp', allowedOrigins);
      expect(headers.get('Retry-After')).toBe('60');
      expect(headers.get('Access-Control-Expose-Headers')).toBe('Retry-After');
    },
  );

  test("a managed rule's block is API Gateway's WAF_FILTERED answer, a 403 problem", () => {
    const responses = propsOf(resources.TicketsApi).GatewayResponses as Record<string, Props>;
    expect(responses.WAF_FILTERED?.StatusCode).toBe(403);
  });

  function problemBody(blocking: WafRule): Props {
    const key = blocking.Action?.Block?.CustomResponse?.CustomResponseBodyKey ?? '';
    const body = (propsOf(acl).CustomResponseBodies as Record<string, { ContentType: string; Content: string }>)[key];
    // WAF sets no Content-Type header of a custom response but its body's type: JSON is the closest to problem+json.
    expect(body?.ContentType).toBe('APPLICATION_JSON');
    const problem = JSON.parse(body?.Content ?? '{}') as Props;
    expect(Object.keys(problem)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
    return problem;
  }
});

describe('least privilege', () => {
  const COMPLETION_ACTIONS = [
    'comprehend:BatchDetectDominantLanguage',
    'comprehend:BatchDetectSentiment',
    'comprehend:BatchDetectKeyPhrases',
    'comprehend:DetectPiiEntities',
  ];
  const COMPREHEND_ACTIONS = [
    'comprehend:DetectDominantLanguage',
    'comprehend:DetectSentiment',
    'comprehend:DetectKeyPhrases',
    'comprehend:DetectPiiEntities',
  ];
  /** A comment's analysis asks for no key phrases. */
  const COMMENT_ACTIONS = [
    'comprehend:DetectDominantLanguage',
    'comprehend:DetectSentiment',
    'comprehend:DetectPiiEntities',
  ];
  const policiesOf = (functionId: string) => (propsOf(resources[functionId]).Policies ?? []) as Props[];
  const statementsOf = (functionId: string) =>
    policiesOf(functionId)
      .filter((policy) => 'Statement' in policy)
      .flatMap((policy) => policy.Statement as Props[]);
  const actionsOf = (statement: Props) => [statement.Action].flat() as string[];
  const isTableStatement = (statement: Props) => actionsOf(statement).some((action) => action.startsWith('dynamodb:'));
  const isSecretStatement = (statement: Props) =>
    actionsOf(statement).some((action) => action.startsWith('secretsmanager:') || action.startsWith('kms:'));

  const TABLE_ARN = { 'Fn::GetAtt': [TABLE_ID, 'Arn'] };
  const indexArn = (index: string) => ({ 'Fn::Sub': `\${${TABLE_ID}.Arn}/index/${index}` });
  const LIST_INDEXES = ['byRequester', 'byStatus', 'byCreated', 'byDue'];
  /**
   * What each function's code path sends (layers/shared/src/repository): GetCommand is
   * GetItem, QueryCommand Query, PutCommand PutItem, UpdateCommand UpdateItem, and a
   * TransactWriteCommand the actions of its Put and Update parts.
   */
  const TABLE_ACCESS: Record<string, { actions: string[]; resources: unknown[] }> = {
    CreateTicketFunction: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [TABLE_ARN] },
    GetTicketFunction: { actions: ['dynamodb:Query'], resources: [TABLE_ARN] },
    UpdateTicketFunction: {
      actions: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      resources: [TABLE_ARN],
    },
    ListTicketsFunction: { actions: ['dynamodb:Query'], resources: LIST_INDEXES.map(indexArn) },
    AddCommentFunction: {
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      resources: [TABLE_ARN],
    },
    ListCommentsFunction: { actions: ['dynamodb:Query'], resources: [TABLE_ARN] },
    GetCommentFunction: { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [TABLE_ARN] },
    AnalyzeTicketFunction: {
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      resources: [TABLE_ARN],
    },
    // The stream's images are all it reads: no table access beyond the stream SAM grants.
    PublishEventsFunction: { actions: [], resources: [] },
    // Answers from its configuration alone.
    CorsPreflightFunction: { actions: [], resources: [] },
  };

  test('every function has an expected table access', () => {
    expect(functions.map(([functionId]) => functionId).sort()).toEqual(Object.keys(TABLE_ACCESS).sort());
  });

  test('the preflight function has no policies: only the logs and traces SAM grants every function', () => {
    expect(propsOf(resources[PREFLIGHT_FUNCTION]).Policies).toBeUndefined();
    expect(propsOf(resources[PREFLIGHT_FUNCTION]).Role).toBeUndefined();
  });

  test.each(functions.map(([functionId]) => functionId))(
    '%s uses no policy template but its own dead-letter queue',
    (id) => {
      for (const policy of policiesOf(id)) {
        expect(typeof policy).toBe('object');
        if ('Statement' in policy) continue;
        // Only a stream function, and only its own dead-letter queue.
        expect(STREAM_FUNCTIONS).toContain(id);
        const queue = `${id.replace(/Function$/, '')}DeadLetterQueue`;
        expect(policy).toEqual({ SQSSendMessagePolicy: { QueueName: { 'Fn::GetAtt': [queue, 'QueueName'] } } });
      }
      // Never a DynamoDB policy template (they add Scan, batch calls, DescribeTable and index/*) nor a managed policy.
      expect(JSON.stringify(policiesOf(id))).not.toMatch(/DynamoDB\w*Policy|FullAccess|arn:aws:iam::aws:policy/);
    },
  );

  test.each(functions.map(([functionId]) => functionId))(
    '%s may make exactly the table calls its code makes, on exactly what it reads',
    (id) => {
      const statements = statementsOf(id).filter(isTableStatement);
      const actions = [...new Set(statements.flatMap(actionsOf))].sort();
      expect({ id, actions }).toEqual({ id, actions: TABLE_ACCESS[id]!.actions });
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        expect(statement.Condition).toBeUndefined();
        expect({ id, resources: [statement.Resource].flat() }).toEqual({ id, resources: TABLE_ACCESS[id]!.resources });
      }
      const granted = JSON.stringify(statements);
      expect(granted).not.toMatch(/Scan|Batch|DeleteItem|DescribeTable|dynamodb:\*|index\/\*/);
    },
  );

  test('the table access above covers every call the repository can send, and the indexes the list plan reads', () => {
    const repositoryDir = join(PROJECT_ROOT, 'layers/shared/src/repository');
    const sources = readdirSync(repositoryDir)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(join(repositoryDir, file), 'utf8'))
      .join('\n');
    const commands = new Set([...sources.matchAll(/new (\w+Command)\(/g)].map(([, command]) => command));
    expect([...commands].sort()).toEqual([
      'GetCommand',
      'PutCommand',
      'QueryCommand',
      'TransactWriteCommand',
      'UpdateCommand',
    ]);
    // A transaction's parts are Puts and Updates only: no ConditionCheck or Delete to grant.
    const parts = new Set([...sources.matchAll(/\{ (Put|Update|Delete|ConditionCheck): /g)].map(([, part]) => part));
    expect([...parts].sort()).toEqual(['Put', 'Update']);
    // Lists run on the four indexes only; the table keeps the same ones.
    const listPlan = readFileSync(join(repositoryDir, 'list-plan.ts'), 'utf8');
    const planned = new Set([...listPlan.matchAll(/INDEXES\.(\w+)/g)].map(([, index]) => index));
    expect([...planned].sort()).toEqual([...LIST_INDEXES].sort());
    const tableIndexes = (propsOf(table).GlobalSecondaryIndexes as { IndexName: string }[]).map(
      (index) => index.IndexName,
    );
    expect(tableIndexes.sort()).toEqual([...LIST_INDEXES].sort());
  });

  test("only the publishing function may put events, and only on the stack's bus", () => {
    expect(statementsOf('PublishEventsFunction')).toEqual([
      {
        Sid: 'PublishTicketEvents',
        Effect: 'Allow',
        Action: ['events:PutEvents'],
        Resource: { 'Fn::GetAtt': ['TicketEventBus', 'Arn'] },
      },
    ]);
    for (const [functionId] of functions) {
      if (functionId === 'PublishEventsFunction') continue;
      expect({ functionId, events: JSON.stringify(statementsOf(functionId)).includes('events:') }).toEqual({
        functionId,
        events: false,
      });
    }
  });

  /**
   * The service operations that read the cursor secret: a list signs the
   * cursor it hands out and checks the one it is given, and a create or a
   * comment with an Idempotency-Key keys its fingerprint with it
   * (ticket-service.ts, comment-service.ts). Reading, updating, getting a
   * comment and the stream functions never do.
   */
  const SECRET_OPERATIONS = ['create', 'list', 'addComment', 'listComments'];
  /** The service operations a function's handler calls (`tickets.list(`, `comments.addComment(`). */
  const operationsOf = (functionId: string): string[] => {
    const entries = esbuildFunctions(template).find((fn) => fn.logicalId === functionId)?.entryPoints ?? [];
    const handler = entries.map((entry) => readFileSync(entry, 'utf8')).join('\n');
    return [...handler.matchAll(/\b(?:tickets|comments)\s*\.\s*(\w+)\(/g)].map(([, operation]) => operation!);
  };
  const usesCursorSecret = (functionId: string) =>
    operationsOf(functionId).some((operation) => SECRET_OPERATIONS.includes(operation));

  test('the handlers call the service operations the secret check above knows of', () => {
    const known = ['create', 'get', 'update', 'list', 'addComment', 'listComments', 'getComment'];
    for (const [functionId] of functions) {
      for (const operation of operationsOf(functionId))
        expect({ functionId, operation }).toEqual({
          functionId,
          operation: known.find((name) => name === operation),
        });
    }
    const users = functions.map(([functionId]) => functionId).filter(usesCursorSecret);
    expect(users.sort()).toEqual(
      ['AddCommentFunction', 'CreateTicketFunction', 'ListCommentsFunction', 'ListTicketsFunction'].sort(),
    );
  });

  test.each(functions.map(([functionId]) => functionId))(
    '%s is told where the cursor secret is, and may read exactly it, if and only if its code reads it',
    (id) => {
      const own = (propsOf(resources[id]).Environment as { Variables?: Props } | undefined)?.Variables ?? {};
      const grants = statementsOf(id).filter(isSecretStatement);
      if (!usesCursorSecret(id)) {
        expect({ id, variable: own.CURSOR_SECRET_ARN, grants }).toEqual({ id, variable: undefined, grants: [] });
        return;
      }
      expect({ id, variable: own.CURSOR_SECRET_ARN }).toEqual({ id, variable: ref('CursorSigningSecret') });
      // GetSecretValue on that one secret, nothing else: its AWS-managed key needs no kms grant.
      expect({ id, grants }).toEqual({
        id,
        grants: [
          {
            Sid: 'ReadCursorSecret',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue'],
            Resource: ref('CursorSigningSecret'),
          },
        ],
      });
      expect(propsOf(resources.CursorSigningSecret).KmsKeyId).toBeUndefined();
    },
  );

  test('only create, adding a comment and the analysis completion may call Comprehend, each with exactly the actions it uses', () => {
    const expected: Record<string, string[]> = {
      CreateTicketFunction: COMPREHEND_ACTIONS,
      AddCommentFunction: COMMENT_ACTIONS,
      AnalyzeTicketFunction: COMPLETION_ACTIONS,
    };
    for (const [functionId] of functions) {
      // The table's, the bus's and the secret's statements are checked above and below; none is Comprehend's.
      const statements = statementsOf(functionId)
        .filter((statement) => !isTableStatement(statement) && !isSecretStatement(statement))
        .filter((statement) => functionId !== 'PublishEventsFunction' || statement.Sid !== 'PublishTicketEvents');
      const actions = expected[functionId];
      if (!actions) {
        expect({ functionId, statements }).toEqual({ functionId, statements: [] });
        continue;
      }
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect(statement).toMatchObject({ Effect: 'Allow', Resource: '*' });
      expect([...(statement!.Action as string[])].sort()).toEqual([...actions].sort());
    }
  });
});

describe('functions, logs and the layer', () => {
  test.each(functions.map(([functionId]) => functionId))('%s logs to its own log group with a retention', (id) => {
    const logging = propsOf(resources[id]).LoggingConfig as Props;
    const logGroupId = (logging.LogGroup as { Ref: string }).Ref;
    const logGroup = resources[logGroupId];
    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(propsOf(logGroup).RetentionInDays).toEqual(ref('LogRetentionInDays'));
    // Lambda drops records below ApplicationLogLevel, so it must not be stricter than the logger's level.
    const globalVariables = ((template.Globals?.Function as Props).Environment as { Variables: Props }).Variables;
    expect(logging.ApplicationLogLevel).toEqual(globalVariables.POWERTOOLS_LOG_LEVEL);
    const others = functions.filter(([other]) => other !== id);
    for (const [, other] of others) {
      expect((propsOf(other).LoggingConfig as Props).LogGroup).not.toEqual(ref(logGroupId));
    }
  });

  test.each(functions.map(([functionId]) => functionId))(
    '%s bundles to ESM and leaves the shared package and the SDK to the layer',
    (id) => {
      const metadata = resources[id]!.Metadata as { BuildMethod: string; BuildProperties: Props };
      expect(metadata.BuildMethod).toBe('esbuild');
      // Unminified (SAM's esbuild workflow has no keep-names option) and with a source map, so
      // logs name the real classes and stack traces point into the TypeScript sources.
      expect(metadata.BuildProperties).toMatchObject({
        Format: 'esm',
        Minify: false,
        Sourcemap: true,
        OutExtension: ['.js=.mjs'],
      });
      expect(metadata.BuildProperties.External).toEqual(
        expect.arrayContaining(['@aws-support-system/shared', '@aws-sdk/*']),
      );
    },
  );

  test('every function runs nodejs22.x on arm64 with the shared layer, tracing and the configuration it reads', () => {
    const globals = template.Globals?.Function as Props;
    expect(globals).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Tracing: 'Active' });
    expect(globals.Layers).toEqual([ref(LAYER_ID)]);
    const variables = (globals.Environment as { Variables: Props }).Variables;
    expect(variables.TABLE_NAME).toEqual(ref(TABLE_ID));
    // The cursor secret's value is in no function's configuration: the functions that need it read it at run time.
    expect(JSON.stringify(template.Globals)).not.toMatch(/CURSOR_SECRET|CursorSigningSecret|\{\{resolve:/);
    expect(resources.CursorSigningSecret?.Type).toBe('AWS::SecretsManager::Secret');
    const secretLength = (propsOf(resources.CursorSigningSecret).GenerateSecretString as Props).PasswordLength;
    expect(secretLength).toBeGreaterThanOrEqual(32);
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    for (const name of [
      'ALLOWED_ORIGINS',
      'CONSOLE_ORIGIN',
      'ANALYSIS_DEADLINE_MS',
      'COMPREHEND_MAX_ATTEMPTS',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_LOG_LEVEL',
    ]) {
      expect(Object.keys(variables)).toContain(name);
    }
    for (const [id, resource] of functions) {
      const own = propsOf(resource);
      expect({ id, layers: own.Layers, runtime: own.Runtime }).toEqual({ id, layers: undefined, runtime: undefined });
    }
    // Analysis alone may take ANALYSIS_DEADLINE_MS; create must outlive it with room to store the ticket.
    expect(Number(propsOf(resources.CreateTicketFunction).Timeout) * 1000).toBeGreaterThan(
      2 * Number(variables.ANALYSIS_DEADLINE_MS),
    );
  });

  test('the shared layer is built by its Makefile into nodejs/node_modules for arm64 and nodejs22.x', () => {
    const [layer] = makefileLayers(template);
    expect(layer?.logicalId).toBe(LAYER_ID);
    const shared = layerResource;
    expect(shared.Metadata).toMatchObject({ BuildMethod: 'makefile', BuildArchitecture: 'arm64' });
    expect(propsOf(shared)).toMatchObject({
      ContentUri: 'layers/shared/',
      CompatibleRuntimes: ['nodejs22.x'],
      CompatibleArchitectures: ['arm64'],
    });
    const makefile = readFileSync(join(layer!.contentDir, 'Makefile'), 'utf8');
    expect(makefile).toMatch(new RegExp(`^build-${LAYER_ID}:`, 'm'));
    expect(makefile).toContain('$(ARTIFACTS_DIR)/nodejs/node_modules/@aws-support-system/shared');
    // Names kept and a source map next to index.mjs, as for the functions.
    expect(makefile).toMatch(/--minify --keep-names/);
    expect(makefile).toMatch(/--sourcemap\b/);
  });
});

describe('completing pending analyses from the stream', () => {
  const fn = propsOf(resources.AnalyzeTicketFunction);
  const [event] = Object.values(fn.Events as Record<string, { Type: string; Properties: Props }>);

  test('the function consumes the table stream, in batches Comprehend can take, reporting failed records', () => {
    expect(event?.Type).toBe('DynamoDB');
    expect(event?.Properties).toMatchObject({
      Stream: { 'Fn::GetAtt': [TABLE_ID, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 25,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['AnalyzeTicketDeadLetterQueue', 'Arn'] } } },
    });
    const properties = event!.Properties;
    expect(Number(properties.MaximumBatchingWindowInSeconds)).toBeGreaterThan(0);
    expect(Number(properties.MaximumBatchingWindowInSeconds)).toBeLessThanOrEqual(10);
    // Lambda retries a stream batch within seconds: a retry count would run out in minutes of an outage, so age bounds the retries.
    expect(properties.MaximumRetryAttempts).toBe(-1);
    // At least an hour of outage is waited out; stream records are kept 24 hours, and a dead-lettered batch must stay readable for a redrive.
    expect(Number(properties.MaximumRecordAgeInSeconds)).toBeGreaterThanOrEqual(3_600);
    expect(Number(properties.MaximumRecordAgeInSeconds)).toBeLessThanOrEqual(43_200);
    // A batch of 25 with retried Comprehend calls fits the function's time.
    expect(Number(fn.Timeout)).toBeGreaterThanOrEqual(30);
  });

  test('only ticket and comment items whose new image has a pending analysis invoke the function', () => {
    const filters = (event!.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    const pendingItems = (sortKey: unknown) => ({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { Keys: { sk: { S: [sortKey] } }, NewImage: { analysis: { M: { status: { S: ['pending'] } } } } },
    });
    expect(filters.map((filter) => JSON.parse(filter.Pattern) as unknown)).toEqual([
      pendingItems('TICKET'),
      pendingItems({ prefix: 'COMMENT#' }),
    ]);
  });

  test('the dead-letter queue is encrypted, keeps messages 14 days and is watched by an alarm', () => {
    const queue = resources.AnalyzeTicketDeadLetterQueue!;
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(resolvedWith(propsOf(queue))).toMatchObject({
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
    });
    const alarm = propsOf(resources.AnalyzeTicketDeadLetterAlarm);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['AnalyzeTicketDeadLetterQueue', 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: ALARM_ACTIONS,
    });
  });

  test("a shard held back by retries raises an alarm on the function's iterator age, well before records go to the dead-letter queue", () => {
    const alarm = propsOf(resources.AnalyzeTicketIteratorAgeAlarm);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: ref('AnalyzeTicketFunction') }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: ALARM_ACTIONS,
    });
    // IteratorAge is in milliseconds; the batching window and a slow batch stay far below it.
    const thresholdSeconds = Number(alarm.Threshold) / 1000;
    expect(thresholdSeconds).toBeGreaterThanOrEqual(300);
    expect(thresholdSeconds).toBeLessThanOrEqual(Number(event!.Properties.MaximumRecordAgeInSeconds) / 4);
  });

  test.each(functions.map(([functionId]) => functionId))('%s has an errors alarm and a throttles alarm', (id) => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => propsOf(alarm));
    for (const metric of ['Errors', 'Throttles']) {
      const found = alarms.filter(
        (alarm) =>
          alarm.MetricName === metric &&
          JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: ref(id) }]),
      );
      expect({ id, metric, alarms: found.length }).toEqual({ id, metric, alarms: 1 });
    }
  });
});

describe('publishing events from the stream', () => {
  const fn = propsOf(resources.PublishEventsFunction);
  const [event] = Object.values(fn.Events as Record<string, { Type: string; Properties: Props }>);
  const filters = () =>
    (event!.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((filter) =>
      parseFilterPattern(filter.Pattern, 'template'),
    );
  const WEBHOOK_RESOURCES = [
    'WebhookConnection',
    'WebhookDestination',
    'WebhookRule',
    'WebhookInvokeRole',
    'WebhookDeadLetterQueue',
    'WebhookDeadLetterQueuePolicy',
    'WebhookDeadLetterAlarm',
  ];

  test('the function reads the table stream in order, reporting the first record not published, retries bounded by age', () => {
    expect(event?.Type).toBe('DynamoDB');
    expect(event?.Properties).toMatchObject({
      Stream: { 'Fn::GetAtt': [TABLE_ID, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: -1,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['PublishEventsDeadLetterQueue', 'Arn'] } } },
    });
    // One batch in flight per shard keeps a ticket's events in order.
    expect(event!.Properties.ParallelizationFactor ?? 1).toBe(1);
    expect(Number(event!.Properties.MaximumRecordAgeInSeconds)).toBeGreaterThanOrEqual(3_600);
    expect(Number(event!.Properties.MaximumRecordAgeInSeconds)).toBeLessThanOrEqual(43_200);
    expect((fn.Environment as { Variables: Props }).Variables.EVENT_BUS_NAME).toEqual(ref('TicketEventBus'));
    expect(resources.TicketEventBus?.Type).toBe('AWS::Events::EventBus');
    expect(template.Outputs?.EventBusName?.Value).toEqual(ref('TicketEventBus'));
    expect(template.Outputs?.EventBusArn?.Value).toEqual({ 'Fn::GetAtt': ['TicketEventBus', 'Arn'] });
  });

  const image = (fields: Record<string, unknown>) => fields;
  const pending = { analysis: { M: { status: { S: 'pending' } } } };
  const complete = { analysis: { M: { status: { S: 'complete' } } } };
  const record = (eventName: string, sk: string, images: { NewImage?: unknown; OldImage?: unknown } = {}) => ({
    eventName,
    dynamodb: { Keys: { pk: { S: 'TICKET#01J' }, sk: { S: sk } }, ...images },
  });
  const byAgent = { by: { M: { id: { S: 'ada' }, role: { S: 'agent' } } } };

  test.each([
    ['a new ticket', record('INSERT', 'TICKET', { NewImage: image(complete) })],
    ['a new public comment', record('INSERT', 'COMMENT#PUBLIC#01J', { NewImage: image(complete) })],
    ['a new internal note', record('INSERT', 'COMMENT#INTERNAL#01J', { NewImage: image(pending) })],
    ['an update by a person', record('INSERT', 'HISTORY#0000000002', { NewImage: image(byAgent) })],
    [
      "a ticket's analysis completed",
      record('MODIFY', 'TICKET', { OldImage: image(pending), NewImage: image(complete) }),
    ],
    [
      "a comment's analysis completed",
      record('MODIFY', 'COMMENT#PUBLIC#01J', { OldImage: image(pending), NewImage: image(complete) }),
    ],
  ])('the filter lets %s through', (_name, streamRecord) => {
    expect(passesFilters(streamRecord, filters())).toBe(true);
  });

  test.each([
    [
      'an update of the ticket item',
      record('MODIFY', 'TICKET', { OldImage: image(complete), NewImage: image(complete) }),
    ],
    ['a ticket still pending', record('MODIFY', 'TICKET', { OldImage: image(pending), NewImage: image(pending) })],
    [
      "a comment's status move",
      record('INSERT', 'HISTORY#0000000003', { NewImage: image({ ...byAgent, commentId: { S: '01J' } }) }),
    ],
    [
      "the analysis's history entry",
      record('INSERT', 'HISTORY#0000000002', {
        NewImage: image({ by: { M: { id: { S: 'analysis' }, role: { S: 'system' } } } }),
      }),
    ],
    [
      'an idempotency record',
      { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'IDEMPOTENCY#a#b' }, sk: { S: 'IDEMPOTENCY' } } } },
    ],
    ["a comment's idempotency record", record('INSERT', 'IDEMPOTENCY#COMMENT#01J')],
    ['a removal', record('REMOVE', 'TICKET', { OldImage: image(complete) })],
  ])('the filter keeps out %s', (_name, streamRecord) => {
    expect(passesFilters(streamRecord, filters())).toBe(false);
  });

  test('the dead-letter queue is encrypted, keeps messages 14 days and is watched by an alarm', () => {
    expect(resolvedWith(propsOf(resources.PublishEventsDeadLetterQueue))).toMatchObject({
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
    });
    expect(propsOf(resources.PublishEventsDeadLetterAlarm)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['PublishEventsDeadLetterQueue', 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: ALARM_ACTIONS,
    });
  });

  test('records the publisher skips are counted from its log line and alarmed on', () => {
    const source = readFileSync(join(PROJECT_ROOT, 'layers/shared/src/events/event-publisher.ts'), 'utf8');
    const filter = propsOf(resources.PublishEventsSkippedRecordsMetric);
    const message = /\$\.message = "([^"]+)"/.exec(String(filter.FilterPattern))?.[1];
    // The pattern matches the line the publisher writes, with the count it writes.
    expect(source).toContain(`logger.error('${message}', { malformed })`);
    expect(filter).toMatchObject({
      LogGroupName: ref('PublishEventsLogGroup'),
      MetricTransformations: [{ MetricName: 'SkippedStreamRecords', MetricValue: '$.malformed' }],
    });
    expect(propsOf(resources.PublishEventsSkippedRecordsAlarm)).toMatchObject({
      MetricName: 'SkippedStreamRecords',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: ALARM_ACTIONS,
    });
  });

  test('the webhook exists only with a WebhookUrl, and its secret is never echoed', () => {
    const parameters = template.Parameters ?? {};
    expect(parameters.WebhookUrl).toMatchObject({ Type: 'String', Default: '' });
    expect(parameters.WebhookSecret).toMatchObject({ Type: 'String', NoEcho: true });
    expect(parameters.WebhookSecretHeaderName).toMatchObject({ Type: 'String' });
    expect(template.Conditions?.HasWebhook).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [ref('WebhookUrl'), ''] }] });
    for (const id of WEBHOOK_RESOURCES)
      expect({ id, condition: resources[id]?.Condition }).toEqual({ id, condition: 'HasWebhook' });
    expect(resources.TicketEventBus?.Condition).toBeUndefined();
    expect(resources.PublishEventsFunction?.Condition).toBeUndefined();
  });

  test('the webhook is an API destination called with the secret header, by a rule on the bus that may only invoke it', () => {
    expect(propsOf(resources.WebhookConnection)).toMatchObject({
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: ref('WebhookSecretHeaderName'),
          ApiKeyValue: { 'Fn::Sub': '${WebhookSecret}' },
        },
      },
    });
    const destination = propsOf(resources.WebhookDestination);
    expect(destination).toMatchObject({
      ConnectionArn: { 'Fn::GetAtt': ['WebhookConnection', 'Arn'] },
      InvocationEndpoint: ref('WebhookUrl'),
      HttpMethod: 'POST',
    });
    expect(Number(destination.InvocationRateLimitPerSecond)).toBeGreaterThan(0);

    const rule = propsOf(resources.WebhookRule);
    expect(rule).toMatchObject({
      EventBusName: ref('TicketEventBus'),
      EventPattern: { source: ['aws-support-system'] },
    });
    const [target, ...others] = rule.Targets as Props[];
    expect(others).toEqual([]);
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': ['WebhookDestination', 'Arn'] },
      RoleArn: { 'Fn::GetAtt': ['WebhookInvokeRole', 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['WebhookDeadLetterQueue', 'Arn'] } },
    });
    expect(Number((target!.RetryPolicy as Props).MaximumEventAgeInSeconds)).toBeGreaterThan(0);

    const role = propsOf(resources.WebhookInvokeRole);
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('events.amazonaws.com');
    const statements = (role.Policies as { PolicyDocument: { Statement: Props[] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'events:InvokeApiDestination',
        Resource: { 'Fn::GetAtt': ['WebhookDestination', 'Arn'] },
      },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  test("the webhook's undelivered events wait in an encrypted queue only the rule may send to, watched by an alarm", () => {
    expect(resolvedWith(propsOf(resources.WebhookDeadLetterQueue))).toMatchObject({
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
    });
    const [statement, ...others] = (
      propsOf(resources.WebhookDeadLetterQueuePolicy).PolicyDocument as { Statement: Props[] }
    ).Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['WebhookRule', 'Arn'] } } },
    });
    expect(propsOf(resources.WebhookDeadLetterAlarm)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['WebhookDeadLetterQueue', 'QueueName'] } }],
      AlarmActions: ALARM_ACTIONS,
    });
  });
});

describe('alarm notifications', () => {
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');

  test.each(alarms.map(([alarmId]) => alarmId))('%s notifies the alarm topic', (alarmId) => {
    expect(propsOf(resources[alarmId]).AlarmActions).toEqual(ALARM_ACTIONS);
  });

  test('there are alarms, and the topic is created exactly when no AlarmTopicArn is given', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(20);
    const conditions = template.Conditions ?? {};
    expect(conditions.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [ref('AlarmTopicArn'), ''] }] });
    expect(conditions.CreatesAlarmTopic).toEqual({ 'Fn::Equals': [ref('AlarmTopicArn'), ''] });
    expect(resources.AlarmTopic).toMatchObject({ Type: 'AWS::SNS::Topic', Condition: 'CreatesAlarmTopic' });
    expect(resources.AlarmTopicKey).toMatchObject({ Type: 'AWS::KMS::Key', Condition: 'CreatesAlarmTopic' });
    expect(template.Parameters?.AlarmTopicArn).toMatchObject({ Type: 'String', Default: '' });
    expect(template.Outputs?.AlarmNotificationTopicArn?.Value).toEqual(ALARM_ACTIONS[0]);
  });

  test('the topic is encrypted with a rotated key that CloudWatch alarms of this account may use', () => {
    expect(propsOf(resources.AlarmTopic).KmsMasterKeyId).toEqual(ref('AlarmTopicKey'));
    const key = propsOf(resources.AlarmTopicKey);
    expect(key.EnableKeyRotation).toBe(true);
    const statements = (key.KeyPolicy as { Statement: Props[] }).Statement;
    const cloudWatch = statements.filter(
      (statement) => (statement.Principal as Props).Service === 'cloudwatch.amazonaws.com',
    );
    expect(cloudWatch).toHaveLength(1);
    expect(cloudWatch[0]).toMatchObject({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
    });
    // No other service may use the key.
    for (const statement of statements) {
      const principal = statement.Principal as Props;
      expect(principal.Service === undefined || principal.Service === 'cloudwatch.amazonaws.com').toBe(true);
    }
  });

  test('AlarmEmail subscribes by e-mail to the stack topic only, and is refused with an external topic', () => {
    expect(template.Parameters?.AlarmEmail).toMatchObject({ Type: 'String', Default: '' });
    const pattern = new RegExp(String(template.Parameters?.AlarmEmail?.AllowedPattern));
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('oncall@example.com')).toBe(true);
    expect(pattern.test('not an address')).toBe(false);
    expect(template.Conditions?.HasAlarmEmail).toEqual({
      'Fn::And': [{ Condition: 'CreatesAlarmTopic' }, { 'Fn::Not': [{ 'Fn::Equals': [ref('AlarmEmail'), ''] }] }],
    });
    expect(resources.AlarmEmailSubscription).toMatchObject({
      Type: 'AWS::SNS::Subscription',
      Condition: 'HasAlarmEmail',
      Properties: { TopicArn: ref('AlarmTopic'), Protocol: 'email', Endpoint: ref('AlarmEmail') },
    });
    const rules = (template as { Rules?: Record<string, Props> }).Rules ?? {};
    expect(rules.AlarmEmailNeedsStackTopic).toMatchObject({
      RuleCondition: { 'Fn::Not': [{ 'Fn::Equals': [ref('AlarmTopicArn'), ''] }] },
      Assertions: [{ Assert: { 'Fn::Equals': [ref('AlarmEmail'), ''] } }],
    });
  });
});

describe('monitoring: metrics, traces, alarms and the dashboard', () => {
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  const API_DIMENSIONS = [
    { Name: 'ApiName', Value: { 'Fn::Sub': '${AWS::StackName}-tickets' } },
    { Name: 'Stage', Value: ref('Stage') },
  ];

  test("the API's dimensions name the API the stack creates", () => {
    expect(propsOf(resources.TicketsApi).Name).toEqual(API_DIMENSIONS[0]?.Value);
    expect(propsOf(resources.TicketsApi).StageName).toEqual(ref('Stage'));
  });

  test("the functions write business metrics to the stack's namespace and trace to X-Ray, without a setting that turns tracing off", () => {
    const globals = template.Globals?.Function as Props;
    const variables = (globals.Environment as { Variables: Props }).Variables;
    expect(variables.POWERTOOLS_METRICS_NAMESPACE).toEqual(ref('AWS::StackName'));
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe('support-tickets');
    expect(globals.Tracing).toBe('Active');
    expect(propsOf(resources.TicketsApi).TracingEnabled).toBe(true);
    // Powertools traces in Lambda by default; only the local runtime sets it to false.
    for (const [, fn] of functions) {
      const own: Props = (propsOf(fn).Environment as { Variables?: Props } | undefined)?.Variables ?? {};
      expect(own.POWERTOOLS_TRACE_ENABLED).toBeUndefined();
    }
    expect(variables.POWERTOOLS_TRACE_ENABLED).toBeUndefined();
  });

  test("no deployed function can take the sam local token path: its key is empty, SAM CLI's flag unset, neither a parameter", () => {
    const globals = ((template.Globals?.Function as Props).Environment as { Variables: Props }).Variables;
    expect(globals.LOCAL_TOKEN_PUBLIC_KEY).toBe('');
    expect(globals).not.toHaveProperty('AWS_SAM_LOCAL');
    for (const [, fn] of functions) {
      const own: Props = (propsOf(fn).Environment as { Variables?: Props } | undefined)?.Variables ?? {};
      expect(own).not.toHaveProperty('LOCAL_TOKEN_PUBLIC_KEY');
      expect(own).not.toHaveProperty('AWS_SAM_LOCAL');
    }
    // The endpoints sam local fills in are empty in AWS: the SDK then uses the service's own.
    for (const service of ['DYNAMODB', 'COMPREHEND', 'EVENTBRIDGE', 'SECRETS_MANAGER'])
      expect(globals[`AWS_ENDPOINT_URL_${service}`]).toBe('');
  });

  test("the API's 5XX rate alarm divides its 5XX errors by its requests, once there are enough of them", () => {
    const alarm = propsOf(resources.ApiServerErrorRateAlarm);
    interface Query {
      Id: string;
      Expression?: string;
      ReturnData: boolean;
      MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown }; Stat: string };
    }
    const queries = alarm.Metrics as Query[];
    const byId = Object.fromEntries(queries.map((query) => [query.Id, query]));
    expect(byId.errors?.MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: API_DIMENSIONS },
      Stat: 'Sum',
    });
    expect(byId.requests?.MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: API_DIMENSIONS },
      Stat: 'Sum',
    });
    expect(queries.filter((query) => query.ReturnData).map((query) => query.Id)).toEqual(['rate']);
    expect(byId.rate?.Expression).toBe('IF(FILL(requests, 0) >= 20, 100 * FILL(errors, 0) / requests, 0)');
    expect(alarm).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  test("the API's p99 latency alarm watches the stage for 15 minutes", () => {
    expect(propsOf(resources.ApiLatencyP99Alarm)).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: API_DIMENSIONS,
      ExtendedStatistic: 'p99',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 5000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  describe('the dashboard', () => {
    const [DASHBOARD_ID, dashboard] = onlyResourceOfType(template, 'AWS::CloudWatch::Dashboard');
    const source = (propsOf(dashboard).DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const references = [...source.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1] ?? '');
    /** The body as CloudWatch gets it, with each reference standing for itself. */
    const body = JSON.parse(source.replace(/\$\{([^}]+)\}/g, '<$1>')) as {
      widgets: { type: string; properties: { alarms?: string[]; metrics?: unknown[][] } }[];
    };
    const metrics = body.widgets.flatMap((widget) => widget.properties.metrics ?? []);
    const awsMetrics = metrics.filter((metric) => typeof metric[0] === 'string') as (string | object)[][];
    const expressions = metrics.flatMap((metric) =>
      metric.length === 1 ? [(metric[0] as { expression: string }).expression] : [],
    );

    test('is named after the stack and its URL is an output', () => {
      expect(propsOf(dashboard).DashboardName).toEqual({ 'Fn::Sub': '${AWS::StackName}-operations' });
      expect(JSON.stringify(template.Outputs?.DashboardUrl?.Value)).toContain(`\${${DASHBOARD_ID}}`);
    });

    test('references only resources, attributes, parameters and pseudo parameters that exist', () => {
      expect(references.length).toBeGreaterThan(0);
      for (const reference of references) {
        const [name = '', attribute] = reference.split('.');
        if (name.startsWith('AWS::')) expect(['AWS::StackName', 'AWS::Region']).toContain(name);
        else if (attribute === undefined)
          expect({ [name]: name in resources || name in (template.Parameters ?? {}) }).toEqual({ [name]: true });
        else {
          expect({ [reference]: resources[name]?.Type }).toEqual({
            [reference]: attribute === 'Arn' ? 'AWS::CloudWatch::Alarm' : 'AWS::SQS::Queue',
          });
        }
      }
    });

    test('shows every alarm that always exists, and only alarms', () => {
      const shown = body.widgets.flatMap((widget) => widget.properties.alarms ?? []);
      const unconditional = alarms.filter(([, alarm]) => alarm.Condition === undefined).map(([id]) => `<${id}.Arn>`);
      expect(shown.sort()).toEqual(unconditional.sort());
    });

    test("shows the API, each function's errors, throttles and duration, the stream's age, the table and each index, and the dead-letter queues", () => {
      const shown = (namespace: string, name: string) =>
        awsMetrics.filter((metric) => metric[0] === namespace && metric[1] === name);
      for (const name of ['Count', '4XXError', '5XXError', 'Latency']) {
        expect(shown('AWS/ApiGateway', name).length).toBeGreaterThan(0);
        for (const metric of shown('AWS/ApiGateway', name))
          expect(metric.slice(2, 6)).toEqual(['ApiName', '<AWS::StackName>-tickets', 'Stage', '<Stage>']);
      }
      for (const name of ['Errors', 'Throttles', 'Duration']) {
        expect(
          shown('AWS/Lambda', name)
            .map((metric) => metric[3])
            .sort(),
        ).toEqual(functions.map(([id]) => `<${id}>`).sort());
      }
      expect(
        shown('AWS/Lambda', 'IteratorAge')
          .map((metric) => metric[3])
          .sort(),
      ).toEqual(STREAM_FUNCTIONS.map((id) => `<${id}>`).sort());
      const indexes = (propsOf(table).GlobalSecondaryIndexes as { IndexName: string }[]).map(
        (index) => index.IndexName,
      );
      for (const name of [
        'ReadThrottleEvents',
        'WriteThrottleEvents',
        'ConsumedReadCapacityUnits',
        'ConsumedWriteCapacityUnits',
      ]) {
        const watched = shown('AWS/DynamoDB', name).map((metric) =>
          metric[2] === 'TableName' ? metric[5] : undefined,
        );
        expect(shown('AWS/DynamoDB', name).every((metric) => metric[3] === `<${TABLE_ID}>`)).toBe(true);
        expect(watched.sort()).toEqual([undefined, ...indexes].sort());
      }
      expect(
        shown('AWS/SQS', 'ApproximateNumberOfMessagesVisible')
          .map((metric) => metric[3])
          .sort(),
      ).toEqual(['<AnalyzeTicketDeadLetterQueue.QueueName>', '<PublishEventsDeadLetterQueue.QueueName>'].sort());
    });

    test('shows every business metric the layer writes, in the namespace the functions write to, and no other', () => {
      const searched = expressions.flatMap((expression) => {
        const match = /^SEARCH\('\{"<AWS::StackName>",([^}]+)\} MetricName="(\w+)"', 'Sum', 300\)$/.exec(expression);
        return match ? [{ dimensions: match[1] ?? '', name: match[2] ?? '' }] : [];
      });
      expect(new Set(searched.map(({ name }) => name))).toEqual(new Set(Object.values(METRIC_NAMES)));
      for (const { dimensions } of searched) expect(dimensions.split(',')[0]).toBe('service');
      expect(
        searched
          .filter(({ name }) => name === METRIC_NAMES.ticketsCreated)
          .map(({ dimensions }) => dimensions)
          .sort(),
      ).toEqual(['service,Category', 'service,Language', 'service,Priority']);
      // Every expression is a SEARCH of the business metrics or arithmetic on the API's figures.
      expect(expressions.length).toBe(searched.length + 1);
    });
  });
});

describe('the tickets table', () => {
  const indexes = (propsOf(table).GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => index.IndexName);
  interface MetricQuery {
    Id: string;
    Expression?: string;
    MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] } };
  }
  const throttleAlarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
    .map(([, alarm]) => (propsOf(alarm).Metrics ?? []) as MetricQuery[])
    .filter((metrics) => metrics.some((query) => query.MetricStat?.Metric.Namespace === 'AWS/DynamoDB'));
  /** The index each throttle alarm watches (undefined: the base table), with the throttle metrics it sums. */
  const watched = throttleAlarms.map((metrics) => {
    const stats = metrics.flatMap((query) => (query.MetricStat ? [query.MetricStat.Metric] : []));
    const indexNames = new Set(
      stats.map(
        (metric) => metric.Dimensions.find((dimension) => dimension.Name === 'GlobalSecondaryIndexName')?.Value,
      ),
    );
    expect(indexNames.size).toBe(1);
    for (const metric of stats) {
      expect(metric.Dimensions).toContainEqual({ Name: 'TableName', Value: ref(TABLE_ID) });
    }
    const summed = metrics.find((query) => query.Expression)?.Expression;
    return {
      index: [...indexNames][0],
      metrics: stats.map((metric) => metric.MetricName).sort(),
      sumsAll: metrics.filter((query) => query.MetricStat).every((query) => summed?.includes(query.Id) === true),
    };
  });

  test('has the four indexes the list queries read', () => {
    expect(indexes).toEqual(['byRequester', 'byStatus', 'byCreated', 'byDue']);
  });

  test('read and write throttling is alarmed on for the table and for each of its indexes', () => {
    const expected = [undefined, ...indexes].map((index) => ({
      index,
      metrics: ['ReadThrottleEvents', 'WriteThrottleEvents'],
      sumsAll: true,
    }));
    expect(watched).toEqual(expect.arrayContaining(expected));
    expect(watched).toHaveLength(expected.length);
  });

  test('is on-demand, encrypted, recoverable, protected and streams both images', () => {
    expect(table.DeletionPolicy).toBe('Retain');
    expect(propsOf(table)).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    // Its physical name is left to CloudFormation, so stacks never collide.
    expect(propsOf(table).TableName).toBeUndefined();
  });

  test('is exposed as an output, with the API endpoint and the user pool ids', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(
      [
        'AlarmNotificationTopicArn',
        'ApiEndpoint',
        'ConsoleAuthDomain',
        'ConsoleBucketName',
        'ConsoleDistributionId',
        'ConsoleUrl',
        'ConsoleUserPoolClientId',
        'DashboardUrl',
        'EventBusArn',
        'EventBusName',
        'TableName',
        'UserPoolClientId',
        'UserPoolId',
      ].sort(),
    );
    expect(template.Outputs?.TableName?.Value).toEqual(ref(TABLE_ID));
  });
});

describe('encryption at rest', () => {
  const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
  const queues = resourcesOfType(template, 'AWS::SQS::Queue');
  const GIVEN_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const STACK_KEY = resolvedWith({ 'Fn::GetAtt': ['DataKey', 'Arn'] });
  const keyOf = (parameterOverrides: Record<string, string>) => ({
    table: resolvedWith(propsOf(table).SSESpecification, parameterOverrides),
    logGroups: logGroups.map(([id, group]) => [id, resolvedWith(propsOf(group).KmsKeyId, parameterOverrides)]),
    queues: queues.map(([id, queue]) => [
      id,
      resolvedWith(
        { managed: propsOf(queue).SqsManagedSseEnabled, key: propsOf(queue).KmsMasterKeyId },
        parameterOverrides,
      ),
    ]),
  });

  test('by default the table, every log group and every queue use AWS-managed keys', () => {
    expect(logGroups.length).toBeGreaterThanOrEqual(12);
    expect(queues.map(([id]) => id).sort()).toEqual([
      'AnalyzeTicketDeadLetterQueue',
      'PublishEventsDeadLetterQueue',
      'WebhookDeadLetterQueue',
    ]);
    expect(keyOf({})).toEqual({
      table: { SSEEnabled: true, SSEType: NO_VALUE, KMSMasterKeyId: NO_VALUE },
      logGroups: logGroups.map(([id]) => [id, NO_VALUE]),
      queues: queues.map(([id]) => [id, { managed: true, key: NO_VALUE }]),
    });
    expect(resolvedWith({ 'Fn::If': ['CreatesDataKey', true, false] })).toBe(false);
  });

  test.each([
    ['CreateDataKey=true', { CreateDataKey: 'true' }, STACK_KEY],
    ['DataKeyArn', { DataKeyArn: GIVEN_KEY }, GIVEN_KEY],
  ])('with %s the table, every log group and every queue use that customer-managed key', (_, overrides, key) => {
    expect(keyOf(overrides)).toEqual({
      table: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: key },
      logGroups: logGroups.map(([id]) => [id, key]),
      queues: queues.map(([id]) => [id, { managed: NO_VALUE, key }]),
    });
  });

  test('DataKey exists only with CreateDataKey, rotates, outlives the stack, and is refused alongside DataKeyArn', () => {
    const key = resources.DataKey;
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', Condition: 'CreatesDataKey', DeletionPolicy: 'Retain' });
    expect(propsOf(key).EnableKeyRotation).toBe(true);
    expect(template.Parameters?.CreateDataKey).toMatchObject({ Default: 'false' });
    expect(template.Parameters?.DataKeyArn).toMatchObject({ Default: '' });
    const pattern = new RegExp((template.Parameters?.DataKeyArn as { AllowedPattern: string }).AllowedPattern);
    expect(pattern.test(GIVEN_KEY)).toBe(true);
    expect(pattern.test('alias/aws/dynamodb')).toBe(false);
    expect(template.Rules?.OneDataKey).toEqual({
      RuleCondition: { 'Fn::Not': [{ 'Fn::Equals': [ref('DataKeyArn'), ''] }] },
      Assertions: [expect.objectContaining({ Assert: { 'Fn::Equals': [ref('CreateDataKey'), 'false'] } }) as unknown],
    });
  });

  test("DataKey's policy lets CloudWatch Logs of this region, EventBridge and this account through DynamoDB and SQS use it", () => {
    const statements = (propsOf(resources.DataKey).KeyPolicy as { Statement: Props[] }).Statement;
    const bySid: Record<string, Props> = Object.fromEntries(
      statements.map((statement) => [String(statement.Sid), statement]),
    );
    expect(Object.keys(bySid).sort()).toEqual([
      'AccountAdministersKey',
      'AccountUsesKeyThroughDynamoDbAndSqs',
      'EventBridgeSendsToDeadLetterQueue',
      'LogsOfThisAccount',
    ]);
    expect(bySid.LogsOfThisAccount?.Principal).toEqual({ Service: { 'Fn::Sub': 'logs.${AWS::Region}.amazonaws.com' } });
    expect(JSON.stringify(bySid.LogsOfThisAccount?.Condition)).toContain('kms:EncryptionContext:aws:logs:arn');
    // Anyone only of this account, and only through the two services.
    expect(bySid.AccountUsesKeyThroughDynamoDbAndSqs?.Condition).toEqual({
      StringEquals: {
        'kms:CallerAccount': ref('AWS::AccountId'),
        'kms:ViaService': [
          { 'Fn::Sub': 'dynamodb.${AWS::Region}.amazonaws.com' },
          { 'Fn::Sub': 'sqs.${AWS::Region}.amazonaws.com' },
        ],
      },
    });
    expect(bySid.EventBridgeSendsToDeadLetterQueue).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
    });
  });
});

describe('the agent console', () => {
  const bucket = resources.ConsoleBucket;
  const policy = resources.ConsoleBucketPolicy;
  const distribution = resources.ConsoleDistribution;
  const accessControl = resources.ConsoleOriginAccessControl;
  const client = resources.ConsoleUserPoolClient;
  const headers = resources.ConsoleSecurityHeaders;
  const DISTRIBUTION_ORIGIN = { 'Fn::Sub': 'https://${ConsoleDistribution.DomainName}' };
  const config = () => (propsOf(distribution).DistributionConfig ?? {}) as Props;
  interface Statement {
    Sid: string;
    Effect: string;
    Principal: unknown;
    Action: string | string[];
    Resource: unknown;
    Condition?: Record<string, Record<string, unknown>>;
  }
  const statements = () => (propsOf(policy).PolicyDocument as { Statement: Statement[] }).Statement;

  test('its files are in a private, encrypted bucket, deleted with the stack', () => {
    expect(bucket?.Type).toBe('AWS::S3::Bucket');
    expect(propsOf(bucket)).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    // Named by CloudFormation (<stack>-consolebucket-<suffix>): the pipeline's roles are scoped to that pattern.
    expect(propsOf(bucket).BucketName).toBeUndefined();
    // Built again from the repository by deploy:console: nothing to keep.
    expect({ deletion: bucket?.DeletionPolicy, replacement: bucket?.UpdateReplacePolicy }).toEqual({
      deletion: 'Delete',
      replacement: 'Delete',
    });
    // No website hosting, no public ACLs: only the distribution reads it.
    expect(propsOf(bucket).WebsiteConfiguration).toBeUndefined();
    expect(propsOf(bucket).AccessControl).toBeUndefined();
  });

  test("only the console's distribution may read it, through its origin access control, and only over TLS", () => {
    expect(propsOf(policy).Bucket).toEqual(ref('ConsoleBucket'));
    const allows = statements().filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'ConsoleDistributionReads',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Sub': '${ConsoleBucket.Arn}/*' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Sub': 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${ConsoleDistribution}',
            },
          },
        },
      },
    ]);
    expect(statements().find((statement) => statement.Sid === 'DenyInsecureTransport')).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [{ 'Fn::GetAtt': ['ConsoleBucket', 'Arn'] }, { 'Fn::Sub': '${ConsoleBucket.Arn}/*' }],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(propsOf(accessControl).OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    // The bucket's REST endpoint with the access control, no origin access identity and no website endpoint.
    expect(config().Origins).toEqual([
      {
        Id: 'console-bucket',
        DomainName: { 'Fn::GetAtt': ['ConsoleBucket', 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': ['ConsoleOriginAccessControl', 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      },
    ]);
  });

  test('the distribution serves GET and HEAD over https only, compressed and cached, with the security headers', () => {
    expect(config()).toMatchObject({
      Enabled: true,
      HttpVersion: 'http2and3',
      PriceClass: 'PriceClass_100',
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: {
        TargetOriginId: 'console-bucket',
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        CachedMethods: ['GET', 'HEAD'],
        Compress: true,
        // Managed-CachingOptimized.
        CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        ResponseHeadersPolicyId: ref('ConsoleSecurityHeaders'),
      },
    });
    // A missing file is a 404 with deploy:console's short page, not S3's AccessDenied document.
    expect(config().CustomErrorResponses).toEqual(
      [403, 404].map((code) => ({
        ErrorCode: code,
        ResponseCode: 404,
        ResponsePagePath: '/404.html',
        ErrorCachingMinTTL: 10,
      })),
    );
    // Tagged with its stack: the pipeline's deploy role may invalidate only this stack's distribution.
    expect(propsOf(distribution).Tags).toEqual([{ Key: 'aws-support-system:stack', Value: ref('AWS::StackName') }]);
  });

  test('its Content-Security-Policy lets the page load only its own files and call only the API and the hosted UI', () => {
    const config = (propsOf(headers).ResponseHeadersPolicyConfig ?? {}) as {
      SecurityHeadersConfig: Record<string, Props>;
      CustomHeadersConfig: { Items: { Header: string; Value: string; Override: boolean }[] };
    };
    const csp = config.SecurityHeadersConfig.ContentSecurityPolicy as {
      Override: boolean;
      ContentSecurityPolicy: unknown;
    };
    expect(csp.Override).toBe(true);
    const text = String(resolvedWith(csp.ContentSecurityPolicy));
    const directives = Object.fromEntries(
      text.split(';').map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'manifest-src': ["'self'"],
      'connect-src': [
        "'self'",
        'https://*.execute-api.eu-west-1.amazonaws.com',
        'https://test-ConsoleAuthDomain.auth.eu-west-1.amazoncognito.com',
      ],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
      'require-trusted-types-for': ["'script'"],
      'trusted-types': ["'none'"],
      'upgrade-insecure-requests': [],
    });
    // No inline script or style, and no eval, anywhere.
    expect(text).not.toMatch(/unsafe-|nonce-|sha256-/);
    expect(config.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { Override: true, AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { Override: true, FrameOption: 'DENY' },
      ReferrerPolicy: { Override: true, ReferrerPolicy: 'no-referrer' },
    });
    expect(config.CustomHeadersConfig.Items).toEqual([
      { Header: 'Permissions-Policy', Value: 'camera=(), microphone=(), geolocation=()', Override: true },
      { Header: 'Cross-Origin-Opener-Policy', Value: 'same-origin', Override: true },
    ]);
  });

  test("every function allows the console's origin (CONSOLE_ORIGIN), the distribution's https origin", () => {
    const variables = ((template.Globals?.Function as Props).Environment as { Variables: Props }).Variables;
    expect(variables.CONSOLE_ORIGIN).toEqual(DISTRIBUTION_ORIGIN);
    for (const [id, resource] of functions) {
      const own = (propsOf(resource).Environment as { Variables?: Props } | undefined)?.Variables ?? {};
      expect({ id, overridden: 'CONSOLE_ORIGIN' in own }).toEqual({ id, overridden: false });
    }
  });

  test('its app client signs in through the hosted UI with the authorization code and PKCE, back to the console', () => {
    expect(client?.Type).toBe('AWS::Cognito::UserPoolClient');
    expect(propsOf(client)).toEqual({
      UserPoolId: ref('TicketsUserPool'),
      ClientName: { 'Fn::Sub': '${AWS::StackName}-console' },
      // A browser keeps no secret: the console proves the code is its own with PKCE instead.
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [{ 'Fn::Sub': 'https://${ConsoleDistribution.DomainName}/' }],
      LogoutURLs: [{ 'Fn::Sub': 'https://${ConsoleDistribution.DomainName}/' }],
      // No SRP or password flow (the hosted UI signs in): only the refresh flow Cognito requires of every client.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      WriteAttributes: ['email'],
      AccessTokenValidity: 1,
      IdTokenValidity: 1,
      RefreshTokenValidity: 1,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
    });
    expect(propsOf(resources.ConsoleAuthDomain)).toMatchObject({
      UserPoolId: ref('TicketsUserPool'),
      ManagedLoginVersion: 1,
    });
    // The hosted UI's prefix may not hold "aws", "amazon" or "cognito", which the stack name does: tickets, the
    // stage and the first group of the stack's unique id.
    expect(propsOf(resources.ConsoleAuthDomain).Domain).toEqual({
      'Fn::Join': [
        '-',
        [
          'tickets',
          ref('Stage'),
          {
            'Fn::Select': [
              0,
              { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', ref('AWS::StackId')] }] }] },
            ],
          },
        ],
      ],
    });
  });

  test('its outputs are what npm run deploy:console reads', () => {
    const outputs = template.Outputs ?? {};
    expect({
      ConsoleUrl: outputs.ConsoleUrl?.Value,
      ConsoleBucketName: outputs.ConsoleBucketName?.Value,
      ConsoleDistributionId: outputs.ConsoleDistributionId?.Value,
      ConsoleAuthDomain: outputs.ConsoleAuthDomain?.Value,
      ConsoleUserPoolClientId: outputs.ConsoleUserPoolClientId?.Value,
    }).toEqual({
      ConsoleUrl: DISTRIBUTION_ORIGIN,
      ConsoleBucketName: ref('ConsoleBucket'),
      ConsoleDistributionId: ref('ConsoleDistribution'),
      ConsoleAuthDomain: { 'Fn::Sub': 'https://${ConsoleAuthDomain}.auth.${AWS::Region}.amazoncognito.com' },
      ConsoleUserPoolClientId: ref('ConsoleUserPoolClient'),
    });
  });
});

describe('sample events for sam local invoke', () => {
  const eventsDir = join(PROJECT_ROOT, 'events');

  test('there is one per route and one per stream function, and no other', () => {
    expect(readdirSync(eventsDir).sort()).toEqual(
      [
        ...ROUTES.map((route) => `${route.event}.json`),
        'cors-preflight.json',
        'analyze-ticket.json',
        'publish-events.json',
      ].sort(),
    );
  });

  test("the analyze-ticket event is a stream record the mapping's filter lets through", () => {
    const event = JSON.parse(readFileSync(join(eventsDir, 'analyze-ticket.json'), 'utf8')) as {
      Records: { eventSource: string; dynamodb: { SequenceNumber: string } }[];
    };
    const [{ Events }] = [
      propsOf(resources.AnalyzeTicketFunction) as { Events: Record<string, { Properties: Props }> },
    ];
    const { Filters } = Object.values(Events)[0]!.Properties.FilterCriteria as { Filters: { Pattern: string }[] };
    // A ticket and a comment, each with its analysis pending.
    expect(event.Records).toHaveLength(2);
    for (const record of event.Records) {
      expect(record.eventSource).toBe('aws:dynamodb');
      expect(
        passesFilters(
          record,
          Filters.map((filter) => parseFilterPattern(filter.Pattern, 'template')),
        ),
      ).toBe(true);
    }
  });

  test("the publish-events event is a batch of stream records the mapping's filter lets through", () => {
    const event = JSON.parse(readFileSync(join(eventsDir, 'publish-events.json'), 'utf8')) as {
      Records: { eventSource: string }[];
    };
    const { Events } = propsOf(resources.PublishEventsFunction) as { Events: Record<string, { Properties: Props }> };
    const { Filters } = Object.values(Events)[0]!.Properties.FilterCriteria as { Filters: { Pattern: string }[] };
    expect(event.Records.length).toBeGreaterThan(1);
    for (const record of event.Records) {
      expect(record.eventSource).toBe('aws:dynamodb');
      expect(
        passesFilters(
          record,
          Filters.map((filter) => parseFilterPattern(filter.Pattern, 'template')),
        ),
      ).toBe(true);
    }
  });

  test("the cors-preflight event is a browser's OPTIONS without a token, which the preflight function answers", async () => {
    const event = JSON.parse(readFileSync(join(eventsDir, 'cors-preflight.json'), 'utf8')) as {
      resource: string;
      httpMethod: string;
      headers: Record<string, string>;
      requestContext: Record<string, unknown>;
    };
    expect(event.httpMethod).toBe('OPTIONS');
    expect(event.headers).not.toHaveProperty('Authorization');
    // The preflight's events have no authorizer, so API Gateway passes no claims.
    expect(event.requestContext).not.toHaveProperty('authorizer');

    const { PREFLIGHT_METHODS } = (
      propsOf(resources[PREFLIGHT_FUNCTION]) as { Environment: { Variables: Record<string, string> } }
    ).Environment.Variables;
    const origin = event.headers.Origin ?? '';
    const answer = await corsPreflightHandler({
      ALLOWED_ORIGINS: `https://other.example,${origin}`,
      PREFLIGHT_METHODS,
    })(event);
    expect(answer.statusCode).toBe(204);
    expect(answer.headers).toMatchObject({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': readPreflightMethods({ PREFLIGHT_METHODS }).get(event.resource),
    });
    expect(String(answer.headers?.['Access-Control-Allow-Methods'])).toContain(
      event.headers['Access-Control-Request-Method'],
    );
  });

  test.each(ROUTES)('the $event event is a REST proxy event for $method $path', ({ event: name, method, path }) => {
    const event = JSON.parse(readFileSync(join(eventsDir, `${name}.json`), 'utf8')) as {
      resource: string;
      path: string;
      httpMethod: string;
      headers: Record<string, string>;
      multiValueHeaders: Record<string, string[]>;
      pathParameters: Record<string, string> | null;
      queryStringParameters: Record<string, string> | null;
      multiValueQueryStringParameters: Record<string, string[]> | null;
      body: string | null;
      requestContext: {
        resourcePath: string;
        httpMethod: string;
        stage: string;
        requestId: string;
        authorizer: { claims: Record<string, unknown> };
      };
    };
    expect(event.resource).toBe(path);
    expect(event.requestContext.resourcePath).toBe(path);
    expect(event.httpMethod).toBe(method.toUpperCase());
    expect(event.requestContext.httpMethod).toBe(method.toUpperCase());
    expect(['dev', 'staging', 'prod']).toContain(event.requestContext.stage);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // The concrete path is the resource with its path parameters filled in, ids being ULIDs.
    const filled = path.replace(/\{(\w+)\}/g, (_match, key: string) => event.pathParameters?.[key] ?? '');
    expect(event.path).toBe(filled);
    for (const id of Object.values(event.pathParameters ?? {})) expect(id).toMatch(ULID);

    // API Gateway REST passes every claim as a string.
    const claims = event.requestContext.authorizer.claims;
    expect(typeof claims.sub).toBe('string');
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');

    expect(event.headers.Authorization).toMatch(/^Bearer \S+\.\S+\.\S+$/);
    for (const [header, value] of Object.entries(event.headers))
      expect(event.multiValueHeaders[header]).toEqual([value]);
    for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
      expect(event.multiValueQueryStringParameters?.[key]).toEqual([value]);
    }

    if (method === 'post' || method === 'patch') {
      expect(event.headers['Content-Type']).toBe('application/json');
      expect(typeof JSON.parse(event.body ?? '')).toBe('object');
    } else {
      expect(event.body).toBeNull();
    }
  });
});
