/**
 * The AWS JSON 1.1 protocol as the AWS SDK v3 speaks it to the stand-ins:
 * POST / with the operation named in `X-Amz-Target` and its input as JSON,
 * answered with JSON, or with an error the SDK decodes (`__type` and
 * `message`, and the x-amzn-ErrorType header), on 127.0.0.1 only
 * (loopback-server.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_FAULTS_PATH, type FaultSwitch } from './fault-switch.js';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from './loopback-server.js';
import { refusedFromWebPage } from './not-for-web-pages.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { sendJson } from './send-json.js';

const AMZ_JSON = 'application/x-amz-json-1.1';

/** An error the service answers with: its exception's name (`__type`), its message and HTTP status. */
export class AwsServiceError<Type extends string = string> extends Error {
  constructor(
    readonly type: Type,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** `instanceof`, without the type argument `any` it infers. */
function isAwsServiceError(error: unknown): error is AwsServiceError {
  return error instanceof AwsServiceError;
}

/** A JSON 1.1 answer, with a request id as AWS gives each. */
export function sendAwsJson(
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJson(res, statusCode, body, { 'content-type': AMZ_JSON, 'x-amzn-requestid': randomUUID(), ...headers });
}

/** The SDK picks the exception from `__type` (or the x-amzn-ErrorType header) and reads `message`. */
export function sendAwsError(res: ServerResponse, error: AwsServiceError): void {
  sendAwsJson(
    res,
    error.statusCode,
    { __type: error.type, message: error.message },
    { 'x-amzn-errortype': error.type },
  );
}

/** The fault every service has: the call is refused as over its rate. */
const THROTTLE = 'throttle';

/** One operation: the call's input (parsed JSON) and the fault it meets, if any, to its output. */
export type AwsOperation<Mode extends string> = (
  input: unknown,
  fault: Exclude<Mode, typeof THROTTLE> | null,
) => unknown;

export interface AwsJsonServerOptions<Mode extends string> {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The service, as unexpected errors are reported: e.g. `EventBridge stand-in`. */
  name: string;
  /** Each operation by its `X-Amz-Target`; it throws an AwsServiceError for the service's own errors. */
  operations: Readonly<Record<string, AwsOperation<Mode>>>;
  /** Larger request bodies are refused unread, with `bodyTooLarge`. */
  maxRequestBodyBytes: number;
  bodyTooLarge: () => AwsServiceError;
  /** What an unexpected error (reported to `logError`) is answered with. */
  internalError: () => AwsServiceError;
  /** Served at ADMIN_FAULTS_PATH; a `throttle` fault is a ThrottlingException, any other is the operation's to answer. */
  faults: FaultSwitch<Mode>;
  /** Where unexpected errors are reported; console.error by default. */
  logError?: (message: string, error: unknown) => void;
}

export interface AwsJsonServer {
  /** Base URL for an SDK client's `endpoint`, e.g. http://127.0.0.1:4621 */
  endpoint: string;
  port: number;
  /** Closes every connection and stops listening. Idempotent. */
  stop(): Promise<void>;
}

export async function startAwsJsonServer<Mode extends string>(
  options: AwsJsonServerOptions<Mode>,
): Promise<AwsJsonServer> {
  const logError =
    options.logError ??
    ((message, error) => {
      console.error(message, error);
    });
  const server = createServer((req, res) => {
    void handleRequest(req, res, options).catch((error: unknown) => {
      logError(`${options.name}: unexpected error`, error);
      sendAwsError(res, options.internalError());
    });
  });
  await listenOnLoopback(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK_HOST}:${port}`,
    port,
    stop: () => (stopping ??= closeServer(server)),
  };
}

async function handleRequest<Mode extends string>(
  req: IncomingMessage,
  res: ServerResponse,
  options: AwsJsonServerOptions<Mode>,
): Promise<void> {
  if (refusedFromWebPage(req, res)) return;
  if (new URL(req.url ?? '/', `http://${LOOPBACK_HOST}`).pathname === ADMIN_FAULTS_PATH) {
    await options.faults.handle(req, res);
    return;
  }
  try {
    let body: Buffer;
    try {
      body = await readBody(req, { maxBytes: options.maxRequestBodyBytes });
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      throw options.bodyTooLarge();
    }
    const target = req.headers['x-amz-target'];
    const operation =
      req.method === 'POST' && typeof target === 'string' && Object.hasOwn(options.operations, target)
        ? options.operations[target]
        : undefined;
    if (!operation) {
      throw new AwsServiceError('UnknownOperationException', `Unknown operation: ${String(target ?? req.method)}`);
    }
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsServiceError('SerializationException', 'The request body is not valid JSON.');
    }
    const fault = options.faults.take();
    if (fault === THROTTLE) throw new AwsServiceError('ThrottlingException', 'Rate exceeded.');
    sendAwsJson(res, 200, operation(input, fault as Exclude<Mode, typeof THROTTLE> | null));
  } catch (error) {
    if (!isAwsServiceError(error)) throw error;
    sendAwsError(res, error);
  }
}
