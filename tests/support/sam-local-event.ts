import type { APIGatewayProxyEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

/**
 * A REST API proxy event as `sam local start-api` builds it (samcli's
 * LocalApigwService): the client's headers, a request context with no
 * `authorizer` at all, since the Cognito authorizer is skipped.
 */
export function samLocalEvent(options: {
  method: 'GET' | 'POST';
  path: string;
  resource: string;
  pathParameters?: Record<string, string>;
  token?: string;
  body?: unknown;
  query?: Record<string, string>;
}): APIGatewayProxyEvent {
  const headers: Record<string, string> = {
    Host: '127.0.0.1:3000',
    'User-Agent': 'curl/8.5.0',
    Accept: '*/*',
    'X-Forwarded-Proto': 'http',
    'X-Forwarded-Port': '3000',
  };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  return {
    body: options.body === undefined ? null : JSON.stringify(options.body),
    headers,
    httpMethod: options.method,
    isBase64Encoded: false,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([name, value]) => [name, [value]]))
      : null,
    path: options.path,
    pathParameters: options.pathParameters ?? null,
    queryStringParameters: options.query ?? null,
    requestContext: {
      accountId: '123456789012',
      apiId: '1234567890',
      domainName: '127.0.0.1:3000',
      extendedRequestId: null,
      httpMethod: options.method,
      identity: {
        accountId: null,
        apiKey: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityPoolId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'Custom User Agent String',
        userArn: null,
      },
      path: options.path,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: '27/Nov/2026:21:00:00 +0000',
      requestTimeEpoch: 1_795_820_400,
      resourceId: '123456',
      resourcePath: options.resource,
      stage: 'dev',
    },
    resource: options.resource,
    stageVariables: null,
  } as unknown as APIGatewayProxyEvent;
}
