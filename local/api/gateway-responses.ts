import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayHeaderValue, GatewayResponseDefinition } from './api-definition.js';

/*
 * The answers API Gateway gives by itself, without calling a function: the
 * template's GatewayResponses where it customises them, API Gateway's own
 * defaults elsewhere. A type the template does not customise falls back to its
 * DEFAULT_4XX or DEFAULT_5XX, as in API Gateway. A header mapped from a
 * request header (`method.request.header.Origin`) takes that header's value,
 * and is left out when the request has none.
 */

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

/** API Gateway's status code and `$context.error.message` for each type. */
const API_GATEWAY_DEFAULTS: Record<GatewayResponseType, { statusCode: number; message: string }> = {
  UNAUTHORIZED: { statusCode: 401, message: 'Unauthorized' },
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 403, message: 'Missing Authentication Token' },
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Too Long' },
  THROTTLED: { statusCode: 429, message: 'Too Many Requests' },
  INTEGRATION_FAILURE: { statusCode: 504, message: 'Internal server error' },
  INTEGRATION_TIMEOUT: { statusCode: 504, message: 'Endpoint request timed out' },
  // Any other refusal (a malformed request, headers over the limit): its own status goes in the context.
  DEFAULT_4XX: { statusCode: 400, message: 'Bad Request' },
  // What a client sees when the Lambda function itself fails (throws, times out, answers malformed).
  DEFAULT_5XX: { statusCode: 502, message: 'Internal server error' },
};

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

export interface GatewayAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The `$context` variables a response template may use. */
export interface GatewayContext {
  requestId: string;
  path: string;
  resourcePath?: string;
  httpMethod: string;
  stage: string;
  /** Overrides the type's default `$context.error.message`. */
  message?: string;
  /**
   * The status of a refusal answered by a catch-all (DEFAULT_4XX), which keeps
   * API Gateway's own code for it; a response the template gives a status wins.
   */
  statusCode?: number;
  /** The request's headers, as Node.js gives them (lower-case names), for headers mapped from them. */
  requestHeaders?: IncomingHttpHeaders;
}

export class GatewayResponses {
  constructor(private readonly definitions: Record<string, GatewayResponseDefinition>) {}

  answer(type: GatewayResponseType, context: GatewayContext): GatewayAnswer {
    const defaults = API_GATEWAY_DEFAULTS[type];
    const fallback = defaults.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const definition = this.definitions[type] ?? this.definitions[fallback];
    const message = context.message ?? defaults.message;
    const variables: Record<string, string> = {
      requestId: context.requestId,
      extendedRequestId: context.requestId,
      path: context.path,
      resourcePath: context.resourcePath ?? '',
      httpMethod: context.httpMethod,
      stage: context.stage,
      'error.message': message,
      'error.messageString': JSON.stringify(message),
      'error.responseType': type,
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    for (const [name, mapping] of Object.entries(definition?.headers ?? {})) {
      const value = headerValue(mapping, context.requestHeaders ?? {});
      if (value !== undefined) headers[name] = value;
    }
    return {
      statusCode: definition?.statusCode ?? context.statusCode ?? defaults.statusCode,
      headers,
      body: renderTemplate(definition?.template ?? DEFAULT_TEMPLATE, variables),
    };
  }
}

function headerValue(mapping: GatewayHeaderValue, requestHeaders: IncomingHttpHeaders): string | undefined {
  if (typeof mapping === 'string') return mapping;
  const value = requestHeaders[mapping.fromRequestHeader.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Substitutes `$context.name` and `${context.name}`; API Gateway renders an unknown variable as nothing. */
export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\$\{context\.([\w.]+)\}|\$context\.([\w]+(?:\.[a-zA-Z]\w*)*)/g, (_match, braced, bare) => {
    return variables[(braced ?? bare) as string] ?? '';
  });
}
