/**
 * A local Amazon EventBridge for the support system on one machine: PutEvents
 * only, in the JSON 1.1 protocol the AWS SDK v3 speaks (POST /,
 * `X-Amz-Target: AWSEvents.PutEvents`), so the unchanged EventBridgeClient
 * works against it through AWS_ENDPOINT_URL_EVENTBRIDGE. It checks a call as
 * the service does where it matters (1 to 10 entries, 256 KB, Source,
 * DetailType and Detail present, Detail a JSON object, the bus known), and
 * appends each accepted event, shaped as EventBridge delivers it to a rule's
 * target, as one JSON line to the events file, in the order received.
 *
 * It can be told to fail, to see the publishing function's retries:
 * `POST /__admin/faults {"mode": "throttle" | "fail-entries", "remaining": N}`
 * answers the next N calls (all, without `remaining`) with a
 * ThrottlingException, or with every entry failed (InternalFailure);
 * `DELETE /__admin/faults` ends it.
 *
 * It listens on 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AwsServiceError, startAwsJsonServer } from '../http/aws-json-server.js';
import { FaultSwitch } from '../http/fault-switch.js';

export const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';

/** PutEvents' limits: entries per call, and bytes of the entries together. */
export const MAX_ENTRIES = 10;
export const MAX_ENTRIES_BYTES = 256 * 1024;
/** Well above what 256 KB of entries can be as JSON; anything larger is refused unread. */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;
/** What EventBridge counts for an entry's Time, whatever its value. */
const TIME_BYTES = 14;
const DEFAULT_BUS = 'default';

/** An event as EventBridge hands it to a rule's target. */
export interface DeliveredEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface EventBridgeStandInOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Where each accepted event is appended as a JSON line. */
  eventsFile: string;
  /** The buses that exist besides `default` (names). */
  eventBuses: readonly string[];
  region: string;
  accountId: string;
  /** Called with each accepted event once it is in the file. */
  onEvent?: (event: DeliveredEvent) => void;
  /** Where unexpected errors are reported; console.error by default. */
  logError?: (message: string, error: unknown) => void;
  /** The time an entry without its own is stamped with; the system clock by default. */
  now?: () => Date;
}

export interface EventBridgeStandIn {
  /** Base URL for EventBridgeClient's `endpoint`, e.g. http://127.0.0.1:4621 */
  endpoint: string;
  port: number;
  eventsFile: string;
  stop(): Promise<void>;
}

const FAULT_MODES = ['throttle', 'fail-entries'] as const;

interface EntryResult {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export async function startEventBridgeStandIn(options: EventBridgeStandInOptions): Promise<EventBridgeStandIn> {
  mkdirSync(dirname(options.eventsFile), { recursive: true });
  const context: Context = { ...options, buses: new Set([DEFAULT_BUS, ...options.eventBuses]) };
  const server = await startAwsJsonServer({
    port: options.port,
    name: 'EventBridge stand-in',
    operations: {
      [PUT_EVENTS_TARGET]: (input, fault) => (fault === 'fail-entries' ? failAll(input) : putEvents(input, context)),
    },
    maxRequestBodyBytes: MAX_REQUEST_BODY_BYTES,
    bodyTooLarge: () => new AwsServiceError('ValidationException', 'Request body is too large.'),
    internalError: () => new AwsServiceError('InternalException', 'An internal error occurred.', 500),
    faults: new FaultSwitch(FAULT_MODES),
    logError: options.logError,
  });
  return { ...server, eventsFile: options.eventsFile };
}

type Context = EventBridgeStandInOptions & { buses: Set<string> };

/** PutEvents: the call checked as a whole, then each entry on its own; accepted events appended in order. */
function putEvents(input: unknown, context: Context): { FailedEntryCount: number; Entries: EntryResult[] } {
  const entries = (input as { Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries)) {
    throw new AwsServiceError(
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: ` +
        `Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`}`,
    );
  }
  const bytes = entries.reduce((total: number, entry: unknown) => total + entryBytes(entry), 0);
  if (bytes > MAX_ENTRIES_BYTES) {
    throw new AwsServiceError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
  const results = entries.map((entry: unknown) => publish(entry, context));
  return { FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length, Entries: results };
}

function publish(entry: unknown, context: Context): EntryResult {
  const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  for (const name of ['Source', 'DetailType', 'Detail']) {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') {
      return failed('InvalidArgument', `Parameter ${name} is not valid. Reason: ${name} is a required argument.`);
    }
  }
  let detail: unknown;
  try {
    detail = JSON.parse(fields.Detail as string);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return failed('MalformedDetail', 'Detail is malformed.');
  }
  const bus = busName(fields.EventBusName);
  if (!context.buses.has(bus)) return failed('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  const time = timeOf(fields.Time, context.now ?? (() => new Date()));
  if (time === undefined) return failed('InvalidArgument', 'Parameter Time is not valid.');
  const event: DeliveredEvent = {
    version: '0',
    id: randomUUID(),
    'detail-type': fields.DetailType as string,
    source: fields.Source as string,
    account: context.accountId,
    time,
    region: context.region,
    resources: Array.isArray(fields.Resources) ? fields.Resources.map(String) : [],
    detail: detail as Record<string, unknown>,
  };
  appendFileSync(context.eventsFile, `${JSON.stringify(event)}\n`);
  context.onEvent?.(event);
  return { EventId: event.id };
}

const failed = (ErrorCode: string, ErrorMessage: string): EntryResult => ({ ErrorCode, ErrorMessage });

/** A call whose every entry failed, as EventBridge answers when it cannot take them now. */
function failAll(input: unknown): { FailedEntryCount: number; Entries: EntryResult[] } {
  const entries = (input as { Entries?: unknown } | null)?.Entries;
  const count = Array.isArray(entries) ? entries.length : 0;
  const Entries = Array.from({ length: count }, () => failed('InternalFailure', 'An internal error occurred.'));
  return { FailedEntryCount: count, Entries };
}

/** A bus named by name or by ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`); none is `default`. */
function busName(value: unknown): string {
  if (typeof value !== 'string' || value === '') return DEFAULT_BUS;
  const arn = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return arn?.[1] ?? value;
}

/** The SDK sends Time as epoch seconds; none is now. EventBridge's time has no fraction of a second. */
function timeOf(value: unknown, now: () => Date): string | undefined {
  const date =
    value === undefined || value === null
      ? now()
      : typeof value === 'number'
        ? new Date(value * 1000)
        : typeof value === 'string'
          ? new Date(value)
          : new Date(NaN);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What EventBridge counts of an entry toward the call's 256 KB. */
function entryBytes(entry: unknown): number {
  const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(fields.Resources)
    ? fields.Resources.reduce((total: number, resource: unknown) => total + text(resource), 0)
    : 0;
  return (
    (fields.Time === undefined ? 0 : TIME_BYTES) +
    text(fields.Source) +
    text(fields.DetailType) +
    text(fields.Detail) +
    resources
  );
}
