import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export interface EventOptions {
  method: 'GET' | 'POST' | 'PATCH';
  /** The route's resource path, e.g. `/tickets/{id}`. */
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A string is sent as is; bytes base64-encoded, as API Gateway passes a binary body; anything else is JSON-encoded with a JSON content type. */
  body?: unknown;
  /** Verified claims as API Gateway's Cognito authorizer passes them; null = no authorizer context. */
  claims?: Record<string, string> | null;
}

export const customer = (sub: string): Record<string, string> => ({
  sub,
  email: `${sub}@example.com`,
  email_verified: 'true',
});
export const agent = (sub: string): Record<string, string> => ({ ...customer(sub), 'cognito:groups': 'agents' });

/** An API Gateway REST (v1) proxy event, shaped as API Gateway delivers it. */
export function apiEvent(options: EventOptions): APIGatewayProxyEvent {
  const path = options.resource.replace(/\{(\w+)\}/g, (_match, name: string) => options.pathParameters?.[name] ?? '');
  const headers: Record<string, string> = { Host: 'api.example.com', ...options.headers };
  let body: string | null = null;
  const base64 = Buffer.isBuffer(options.body);
  if (typeof options.body === 'string') body = options.body;
  else if (Buffer.isBuffer(options.body)) body = options.body.toString('base64');
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const requestId = randomUUID();
  return {
    resource: options.resource,
    path,
    httpMethod: options.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([name, value]) => [name, [value]]))
      : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: base64,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      authorizer: options.claims === null ? null : { claims: options.claims ?? customer('alice') },
      httpMethod: options.method,
      identity: { sourceIp: '127.0.0.1', userAgent: 'jest' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/test${path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'resource',
      resourcePath: options.resource,
      stage: 'test',
    },
  };
}

/** Lambda's legacy callbacks: the Context type still lists them; the handlers under test never call them. */
const LEGACY_CALLBACKS = { done: () => undefined, fail: () => undefined, succeed: () => undefined };

export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    ...LEGACY_CALLBACKS,
  };
}
