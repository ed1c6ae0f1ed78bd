import type { APIGatewayProxyEvent } from 'aws-lambda';
import { apiGatewayRequestTime } from './date-formats.js';

/*
 * The event API Gateway's Lambda proxy integration (REST API, payload format
 * 1.0) hands a function, built from one HTTP request. Field by field as API
 * Gateway fills them, so a function cannot tell the local API from the real one.
 */

export interface IncomingRequest {
  method: string;
  /** The path as sent, still percent-encoded, without the query string. */
  rawPath: string;
  /** Everything after `?`, or '' when there is none. */
  rawQuery: string;
  /** Node's `rawHeaders`: names (as sent) and values, alternating, in order. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  localPort: number;
}

export interface EventContext {
  resourcePath: string;
  pathParameters: Record<string, string> | null;
  stage: string;
  apiId: string;
  requestId: string;
  /** Verified claims, as the Cognito authorizer passes them; null for a route without an authorizer. */
  claims: Record<string, string> | null;
  receivedAt: Date;
}

export function buildProxyEvent(request: IncomingRequest, context: EventContext): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = eventHeaders(request);
  const { single, multi } = queryParameters(request.rawQuery);
  const path = request.rawPath;
  return {
    resource: context.resourcePath,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: context.pathParameters,
    stageVariables: null,
    // Without BinaryMediaTypes in the template, API Gateway passes every body as text.
    body: request.body.length > 0 ? request.body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: context.apiId,
      authorizer: context.claims ? { claims: context.claims } : null,
      domainName: headers.Host ?? headers.host ?? `127.0.0.1:${request.localPort}`,
      domainPrefix: '127',
      extendedRequestId: context.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headerValue(request.rawHeaders, 'user-agent') ?? null,
        userArn: null,
      },
      // The path the client called, as API Gateway reports it: on AWS's default
      // endpoint that includes the stage (/dev/tickets); here the URL has none.
      path,
      protocol: 'HTTP/1.1',
      requestId: context.requestId,
      requestTime: apiGatewayRequestTime(context.receivedAt),
      requestTimeEpoch: context.receivedAt.getTime(),
      resourceId: context.resourcePath,
      resourcePath: context.resourcePath,
      stage: context.stage,
    },
  };
}

/**
 * `headers` holds the last value of each header, `multiValueHeaders` all of
 * them, names as the client sent them. API Gateway adds the X-Forwarded-* headers.
 */
function eventHeaders(request: IncomingRequest): Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'> {
  let multiValueHeaders = groupedByName(headerPairs(request.rawHeaders));
  const forwardedFor = headerValue(request.rawHeaders, 'x-forwarded-for');
  multiValueHeaders = withHeader(
    multiValueHeaders,
    'X-Forwarded-For',
    forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp,
  );
  multiValueHeaders = withHeader(multiValueHeaders, 'X-Forwarded-Port', String(request.localPort));
  multiValueHeaders = withHeader(multiValueHeaders, 'X-Forwarded-Proto', 'http');
  return { headers: lastValues(multiValueHeaders), multiValueHeaders };
}

/** Node's rawHeaders (name, value, name, value, …) as pairs. */
function headerPairs(rawHeaders: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const [name, value] = rawHeaders.slice(index, index + 2);
    if (name !== undefined && value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

/** The headers with `name` (in any case) set to this one value, last. */
function withHeader(headers: Record<string, string[]>, name: string, value: string): Record<string, string[]> {
  const others = Object.entries(headers).filter(([existing]) => existing.toLowerCase() !== name.toLowerCase());
  return { ...Object.fromEntries(others), [name]: [value] };
}

function headerValue(rawHeaders: string[], lowerCaseName: string): string | undefined {
  return headerPairs(rawHeaders).findLast(([name]) => name.toLowerCase() === lowerCaseName)?.[1];
}

/**
 * The values of each name, in order. Built from entries, never by assignment:
 * a client's `__proto__` or `constructor` is a name like any other.
 */
function groupedByName(pairs: Iterable<[string, string]>): Record<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  return Object.fromEntries(grouped);
}

/** The last value of each name: API Gateway's single-value maps. */
function lastValues(multi: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(multi).flatMap(([name, values]) => {
      const last = values.at(-1);
      return last === undefined ? [] : [[name, last]];
    }),
  );
}

/** Null, not `{}`, when the URL has no query string: API Gateway's shape. The last value wins in the single-value map. */
function queryParameters(rawQuery: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const multi = groupedByName(new URLSearchParams(rawQuery));
  if (Object.keys(multi).length === 0) return { single: null, multi: null };
  return { single: lastValues(multi), multi };
}
