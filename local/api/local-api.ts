import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { PROJECT_ROOT } from '../../scripts/sam-template.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import type { ApiDefinition } from './api-definition.js';
import type { LocalCognitoAuthorizer } from './cognito-authorizer.js';
import { GatewayResponses, type GatewayAnswer, type GatewayResponseType } from './gateway-responses.js';
import type { InvocationOutcome } from './lambda-runtime/function-runtime.js';
import { buildProxyEvent, type IncomingRequest } from './proxy-event.js';
import {
  answerFromProxyResult,
  compressIfAccepted,
  MalformedProxyResponseError,
  type HttpAnswer,
} from './proxy-response.js';
import { addressInUseError } from '../system/errors.js';
import { RouteTable } from './route-table.js';
import { TokenBucket } from './token-bucket.js';

/*
 * The local API Gateway: one HTTP server on loopback that does, in API
 * Gateway's order, what the deployed REST API does for each request — stage
 * throttle, payload limit, routing, Cognito authorizer — then invokes the
 * route's function (OPTIONS: the CORS preflight function) with a proxy event
 * and writes its answer back.
 * Every answer API Gateway would give by itself comes from the template's
 * GatewayResponses. Besides the template's routes, it serves the API's OpenAPI
 * description at /openapi.json, without a token, for clients and tools.
 */

/** API Gateway REST APIs refuse payloads over 10 MB. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's quota on the request line and header values together: 10,240 bytes. */
export const MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;
/**
 * Node's own limit on a request's head, well above API Gateway's so that the
 * quota above decides; a head over even this is refused by Node's parser,
 * and answered by clientErrorAnswer.
 */
const NODE_MAX_HEADER_BYTES = 64 * 1024;
/** Where the OpenAPI description is served. */
export const OPENAPI_ROUTE = '/openapi.json';
/** API Gateway's integration timeout: 29 seconds. */
const INTEGRATION_TIMEOUT_MS = 29_000;

/** What the API needs of a function: FunctionRuntime runs the built one. */
export interface FunctionInvoker {
  /** `cancelled` fires when the answer was given without the function (the integration timed out). */
  invoke(event: unknown, cancelled?: AbortSignal): Promise<InvocationOutcome>;
}

export interface LocalApiOptions {
  /** 0 lets the OS pick a free port. */
  port: number;
  api: ApiDefinition;
  /** By logical id. */
  functions: ReadonlyMap<string, FunctionInvoker>;
  authorizer: LocalCognitoAuthorizer;
  /** One line per request (method, path, status, function, milliseconds); nothing when null. */
  accessLog?: Writable | null;
  /** Stage throttling as the template configures it; off when false. */
  throttling?: boolean;
  /** The OpenAPI document served at /openapi.json, read on each request; the repository's openapi.json by default. */
  openApiDocument?: string;
}

export interface LocalApi {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const handler = new RequestHandler(options);
  const server = createServer({ maxHeaderSize: NODE_MAX_HEADER_BYTES }, (request, response) => {
    handler.handle(request, response).catch((error: unknown) => {
      // Only a bug in the local API itself gets here; answer as API Gateway would on an internal fault.
      console.error('local API: request failed:', error);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end('{"message":"Internal server error"}');
    });
  });
  // Requests Node cannot parse: answered as API Gateway answers what it refuses, not with Node's bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    handler.refuseUnparsed(error, socket);
  });
  const port = await listen(server, options.port);
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolveClosed) => {
        server.close(() => {
          resolveClosed();
        });
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListening, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? addressInUseError(`The local API could not start: ${LOOPBACK}:${port} is already in use.`, error)
          : error,
      );
    });
    server.listen(port, LOOPBACK, () => {
      resolveListening((server.address() as AddressInfo).port);
    });
  });
}

interface RequestState {
  requestId: string;
  receivedAt: Date;
  method: string;
  rawPath: string;
  /** For gateway response headers mapped from request headers (the Origin, with several allowed origins). */
  requestHeaders: IncomingHttpHeaders;
  resourcePath?: string;
  functionId?: string;
}

class RequestHandler {
  readonly #routes: RouteTable;
  readonly #gatewayResponses: GatewayResponses;
  readonly #throttle: TokenBucket | null;

  constructor(private readonly options: LocalApiOptions) {
    this.#routes = new RouteTable(options.api.routes);
    this.#gatewayResponses = new GatewayResponses(options.api.gatewayResponses);
    this.#throttle =
      options.throttling !== false && options.api.throttling ? new TokenBucket(options.api.throttling) : null;
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const state: RequestState = {
      requestId: randomUUID(),
      receivedAt: new Date(),
      method: request.method ?? 'GET',
      rawPath: queryStart >= 0 ? url.slice(0, queryStart) : url,
      requestHeaders: request.headers,
    };
    const answer = await this.#answer(request, state, queryStart >= 0 ? url.slice(queryStart + 1) : '');
    const compressed = compressIfAccepted(
      answer,
      request.headers['accept-encoding'],
      this.options.api.minimumCompressionSize,
    );
    this.#write(response, compressed, state);
  }

  async #answer(request: IncomingMessage, state: RequestState, rawQuery: string): Promise<HttpAnswer> {
    if (this.#throttle && !this.#throttle.tryTake()) return this.#gateway('THROTTLED', state);

    const body = await readPayload(request);
    if (body === null) return this.#gateway('REQUEST_TOO_LARGE', state);
    if (requestLineAndHeaderBytes(request) > MAX_REQUEST_LINE_AND_HEADER_BYTES) {
      return this.#gateway('DEFAULT_4XX', state, HEADERS_TOO_LARGE.message, HEADERS_TOO_LARGE.statusCode);
    }

    if (state.method === 'GET' && state.rawPath === OPENAPI_ROUTE) {
      return (await this.#openApiAnswer()) ?? this.#gateway('MISSING_AUTHENTICATION_TOKEN', state);
    }

    const resolution = this.#routes.resolve(state.method, state.rawPath);
    if (resolution.kind === 'no-route') return this.#gateway('MISSING_AUTHENTICATION_TOKEN', state);

    const { route, pathParameters } = resolution;
    state.resourcePath = route.resourcePath;
    state.functionId = route.functionId;
    let claims: Record<string, string> | null = null;
    if (route.authorized) {
      const authorization = await this.options.authorizer.authorize(headerOf(request, route.identityHeader));
      if (!authorization.authorized) return this.#gateway('UNAUTHORIZED', state, authorization.message);
      claims = authorization.claims;
    }

    const incoming: IncomingRequest = {
      method: state.method,
      rawPath: state.rawPath,
      rawQuery,
      rawHeaders: request.rawHeaders,
      body,
      sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? LOOPBACK,
      localPort: request.socket.localPort ?? 0,
    };
    const event = buildProxyEvent(incoming, {
      resourcePath: route.resourcePath,
      pathParameters,
      stage: this.options.api.stageName,
      apiId: 'local',
      requestId: state.requestId,
      claims,
      receivedAt: state.receivedAt,
    });
    return this.#invoke(route.functionId, event, state);
  }

  async #invoke(functionId: string, event: unknown, state: RequestState): Promise<HttpAnswer> {
    const runtime = this.options.functions.get(functionId);
    if (!runtime) return this.#gateway('INTEGRATION_FAILURE', state);
    let timer: NodeJS.Timeout | undefined;
    // A request still waiting for an environment when the integration times out is never run: its caller
    // was answered 503 and may retry. One already running runs on, as a Lambda invocation does.
    const answered = new AbortController();
    const integrationTimeout = new Promise<'timeout'>((resolveTimeout) => {
      timer = setTimeout(() => {
        answered.abort();
        resolveTimeout('timeout');
      }, INTEGRATION_TIMEOUT_MS);
    });
    const outcome = await Promise.race([runtime.invoke(event, answered.signal), integrationTimeout]).finally(() => {
      clearTimeout(timer);
    });
    if (outcome === 'timeout') return this.#gateway('INTEGRATION_TIMEOUT', state);
    if (outcome.kind !== 'result') {
      const reason =
        outcome.kind === 'timeout'
          ? `timed out after ${outcome.timeoutSeconds} s`
          : `${outcome.errorType}: ${outcome.errorMessage}`;
      this.options.accessLog?.write(`${functionId} failed: ${reason}\n`);
      return this.#gateway('DEFAULT_5XX', state);
    }
    try {
      return answerFromProxyResult(outcome.result);
    } catch (error) {
      if (!(error instanceof MalformedProxyResponseError)) throw error;
      this.options.accessLog?.write(`${functionId}: ${error.message}\n`);
      return this.#gateway('DEFAULT_5XX', state);
    }
  }

  /** The OpenAPI document, or null when there is none to serve. */
  async #openApiAnswer(): Promise<HttpAnswer | null> {
    let document: Buffer;
    try {
      document = await readFile(this.options.openApiDocument ?? DEFAULT_OPENAPI_DOCUMENT);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    // Browser-based tools (Swagger UI, Redocly) fetch it across origins; it is public, served without a token.
    const headers: Record<string, string[]> = {
      'Content-Type': ['application/json'],
      'Access-Control-Allow-Origin': ['*'],
    };
    return { statusCode: 200, headers, body: document };
  }

  /**
   * Answers a request Node's parser refused (a head over its limit, a
   * malformed request line or header) with the API's catch-all refusal, then
   * closes the connection, which can carry nothing more.
   */
  refuseUnparsed(error: NodeJS.ErrnoException, socket: Duplex): void {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal = error.code === 'HPE_HEADER_OVERFLOW' ? HEADERS_TOO_LARGE : MALFORMED_REQUEST;
    const requestId = randomUUID();
    const answer = this.#gatewayResponses.answer('DEFAULT_4XX', {
      requestId,
      path: '',
      httpMethod: '',
      stage: this.options.api.stageName,
      message: refusal.message,
      statusCode: refusal.statusCode,
    });
    const body = Buffer.from(answer.body, 'utf8');
    const headers = { ...answer.headers, 'x-amzn-RequestId': requestId, 'Content-Length': String(body.length) };
    const head = [
      `HTTP/1.1 ${String(answer.statusCode)} ${refusal.message}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
    this.options.accessLog?.write(`(unparsed request) ${String(answer.statusCode)}: ${error.code ?? error.message}\n`);
  }

  #gateway(type: GatewayResponseType, state: RequestState, message?: string, statusCode?: number): HttpAnswer {
    const answer: GatewayAnswer = this.#gatewayResponses.answer(type, {
      requestId: state.requestId,
      path: state.rawPath,
      resourcePath: state.resourcePath,
      httpMethod: state.method,
      stage: this.options.api.stageName,
      message,
      statusCode,
      requestHeaders: state.requestHeaders,
    });
    return {
      statusCode: answer.statusCode,
      headers: Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, [value]])),
      body: Buffer.from(answer.body, 'utf8'),
    };
  }

  #write(response: ServerResponse, answer: HttpAnswer, state: RequestState): void {
    const headers: Record<string, string[]> = { ...answer.headers, 'x-amzn-RequestId': [state.requestId] };
    headers['Content-Length'] = [String(answer.body.length)];
    response.writeHead(
      answer.statusCode,
      Object.entries(headers).flatMap(([name, values]) => values.flatMap((value) => [name, value])),
    );
    response.end(state.method === 'HEAD' ? undefined : answer.body);
    const elapsed = Date.now() - state.receivedAt.getTime();
    const target = state.functionId ? ` → ${state.functionId}` : '';
    this.options.accessLog?.write(`${state.method} ${state.rawPath} ${answer.statusCode}${target} ${elapsed} ms\n`);
  }
}

/** Request heads API Gateway refuses before routing, with the status and words it uses. */
const HEADERS_TOO_LARGE = { statusCode: 431, message: 'Request Header Fields Too Large' };
const MALFORMED_REQUEST = { statusCode: 400, message: 'Bad Request' };

/** What API Gateway's 10,240-byte quota counts: the request line and every header's value. */
function requestLineAndHeaderBytes(request: IncomingMessage): number {
  const requestLine = `${request.method ?? ''} ${request.url ?? ''} HTTP/${request.httpVersion}`;
  const values = request.rawHeaders.filter((_, index) => index % 2 === 1);
  return [requestLine, ...values].reduce((total, text) => total + Buffer.byteLength(text, 'utf8'), 0);
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.at(-1) : value;
}

const DEFAULT_OPENAPI_DOCUMENT = join(PROJECT_ROOT, 'openapi.json');

/** The body, or null when it is over API Gateway's limit (the client is answered 413 once it has sent it all). */
async function readPayload(request: IncomingMessage): Promise<Buffer | null> {
  try {
    return await readBody(request, { maxBytes: MAX_PAYLOAD_BYTES, drainOversized: true });
  } catch (error) {
    if (error instanceof BodyTooLargeError) return null;
    throw error;
  }
}
