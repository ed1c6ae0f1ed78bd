/**
 * A local Amazon Comprehend for running the support system on one machine without AWS.
 *
 * It speaks the JSON 1.1 protocol exactly as the AWS SDK v3 sends it
 * (POST /, `X-Amz-Target: Comprehend_20171127.<Operation>`), so the unchanged ComprehendClient
 * works against it through `endpoint` or AWS_ENDPOINT_URL_COMPREHEND. It serves
 * DetectDominantLanguage, DetectSentiment, DetectKeyPhrases and DetectPiiEntities with on-box
 * NLP, enforces Comprehend's size limits and language support, and can be told to throttle,
 * fail, stall or slow down (see faults.ts and admin-routes.ts).
 *
 * It listens on 127.0.0.1 only: ticket text is customer data, and nothing off this machine
 * has any business reaching it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendAwsJson } from '../http/aws-json-server.js';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from '../http/loopback-server.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { refusedFromWebPage } from '../http/not-for-web-pages.js';
import { ADMIN_PREFIX, handleAdminRequest } from './admin-routes.js';
import { loadEnglishNlp } from './english-nlp.js';
import { ComprehendError, comprehendErrors, errorBody } from './errors.js';
import { FaultSwitch, InvalidFaultError, parseFaultSpec, toFault, type Fault, type FaultControl } from './faults.js';
import { HeldRequests } from './held-requests.js';
import { parseJsonOrUndefined } from './http-io.js';
import { isOperationName, type OperationName } from './limits.js';
import { createOperations, type OperationHandler } from './operations.js';
import { RequestStats, type RequestStatsView } from './request-stats.js';

export type { FaultControl, FaultMode, FaultRule } from './faults.js';
export type { RequestStatsSnapshot, RequestStatsView } from './request-stats.js';
export type { OperationName } from './limits.js';

export const TARGET_PREFIX = 'Comprehend_20171127.';
export const FAULT_HEADER = 'x-stand-in-fault';
export const FAULT_ENV = 'COMPREHEND_STAND_IN_FAULT';

/** Above Comprehend's largest document (100 KB) plus JSON escaping; anything larger is refused unread. */
const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export interface ComprehendStandInOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Fault in force from the start, in header syntax; defaults to env COMPREHEND_STAND_IN_FAULT. */
  fault?: string;
  /** Where unexpected handler errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

export interface ComprehendStandIn {
  /** Base URL for ComprehendClient's `endpoint`, e.g. http://127.0.0.1:4620 */
  endpoint: string;
  port: number;
  /** The address the socket is bound to: always 127.0.0.1. */
  address: string;
  faults: FaultControl;
  stats: RequestStatsView;
  /** Releases held requests, closes every connection and stops listening. Idempotent. */
  stop(): Promise<void>;
}

export async function startComprehendStandIn(options: ComprehendStandInOptions = {}): Promise<ComprehendStandIn> {
  const faults = new FaultSwitch(startupFault(options.fault ?? process.env[FAULT_ENV]));
  const stats = new RequestStats();
  const held = new HeldRequests();
  const operations = createOperations(loadEnglishNlp());
  const logError =
    options.logError ??
    ((message, error) => {
      console.error(message, error);
    });
  const inFlight = new Set<Promise<void>>();

  const server = createServer((req, res) => {
    const handling = handleRequest(req, res, { operations, faults, stats, held, logError }).finally(() =>
      inFlight.delete(handling),
    );
    inFlight.add(handling);
  });

  await listenOnLoopback(server, options.port ?? 0);
  const { address, port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      held.releaseAll();
      // Let released requests write their answers before their connections are closed.
      await Promise.allSettled([...inFlight]);
      await closeServer(server);
    })();
    return stopping;
  };

  return { endpoint: `http://${LOOPBACK_HOST}:${port}`, port, address, faults, stats, stop };
}

function startupFault(spec: string | undefined) {
  if (spec === undefined) return undefined;
  try {
    return parseFaultSpec(spec);
  } catch (error) {
    throw new Error(`Invalid ${FAULT_ENV} / fault option: ${(error as Error).message}`, { cause: error });
  }
}

interface Context {
  operations: Record<OperationName, OperationHandler>;
  faults: FaultSwitch;
  stats: RequestStats;
  held: HeldRequests;
  logError: (message: string, error: unknown) => void;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  if (refusedFromWebPage(req, res)) return;
  try {
    const path = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}`).pathname;
    if (path.startsWith(ADMIN_PREFIX)) {
      await handleAdminRequest(req, res, path, context.faults, context.stats);
    } else {
      await handleComprehendRequest(req, res, context);
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendComprehendError(
        res,
        comprehendErrors.textSizeLimitExceeded(MAX_REQUEST_BODY_BYTES + 1, MAX_REQUEST_BODY_BYTES),
        {
          connection: 'close',
        },
      );
    } else if (error instanceof ComprehendError) {
      sendComprehendError(res, error);
    } else {
      context.logError('Comprehend stand-in: unexpected error', error);
      sendComprehendError(res, comprehendErrors.internal());
    }
  }
}

async function handleComprehendRequest(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const body = await readBody(req, { maxBytes: MAX_REQUEST_BODY_BYTES });
  if (req.method !== 'POST') throw comprehendErrors.unknownOperation(`${req.method} ${req.url}`);
  const operation = operationFromTarget(req.headers['x-amz-target']);
  context.stats.recordRequest(operation);

  const fault = headerFault(req) ?? context.faults.take(operation);
  if (fault) {
    context.stats.recordFault(operation);
    const proceed = await applyFault(fault, res, context.held);
    if (!proceed) return;
  }

  const parsed = parseJsonOrUndefined(body);
  if (!parsed) throw comprehendErrors.serialization('The request body is not valid JSON');
  const output = context.operations[operation](parsed.value);
  sendAwsJson(res, 200, output);
}

function operationFromTarget(target: string | string[] | undefined): OperationName {
  const value = Array.isArray(target) ? target[0] : target;
  if (!value?.startsWith(TARGET_PREFIX)) throw comprehendErrors.unknownOperation(value ?? '(no X-Amz-Target)');
  const name = value.slice(TARGET_PREFIX.length);
  if (!isOperationName(name)) throw comprehendErrors.unknownOperation(value);
  return name;
}

function headerFault(req: IncomingMessage): Fault | undefined {
  const value = req.headers[FAULT_HEADER];
  if (typeof value !== 'string') return undefined;
  try {
    return toFault(parseFaultSpec(value));
  } catch (error) {
    if (error instanceof InvalidFaultError) throw comprehendErrors.invalidRequest(`${FAULT_HEADER}: ${error.message}`);
    throw error;
  }
}

/** Throws the injected error, or waits; resolves whether the request should still be answered. */
async function applyFault(fault: Fault, res: ServerResponse, held: HeldRequests): Promise<boolean> {
  switch (fault.kind) {
    case 'throttle':
      throw comprehendErrors.throttling();
    case 'error':
      throw comprehendErrors.internal();
    case 'timeout': {
      // Never answered on its own: the client's timeout is what is being tested.
      const outcome = await held.hold(res);
      if (outcome === 'released') throw comprehendErrors.internal('The stand-in stopped while holding this request');
      return false;
    }
    case 'delay':
      return (await held.hold(res, fault.delayMs)) !== 'client-gone';
  }
}

function sendComprehendError(res: ServerResponse, error: ComprehendError, headers: Record<string, string> = {}): void {
  sendAwsJson(res, error.statusCode, errorBody(error), { 'x-amzn-errortype': error.type, ...headers });
}
