/**
 * The EventBridge stand-in as the SDK and a raw client see it: PutEvents in
 * the JSON 1.1 protocol, the service's checks where they matter, and one line
 * in the events file per accepted event, shaped as EventBridge delivers it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLine } from '../../../local/eventbridge/event-line.js';
import {
  startEventBridgeStandIn,
  type DeliveredEvent,
  type EventBridgeStandIn,
} from '../../../local/eventbridge/eventbridge-stand-in.js';

const stateDir = mkdtempSync(join(tmpdir(), 'eventbridge-stand-in-'));
const eventsFile = join(stateDir, 'nested', 'events.jsonl');
const delivered: DeliveredEvent[] = [];
let standIn: EventBridgeStandIn;
let client: EventBridgeClient;
/** When the stand-in sees an entry arrive. */
let arrival = new Date('2026-11-27T10:00:00.000Z');

beforeAll(async () => {
  standIn = await startEventBridgeStandIn({
    eventsFile,
    eventBuses: ['tickets-bus'],
    region: 'us-east-1',
    accountId: '123456789012',
    onEvent: (event) => delivered.push(event),
    now: () => arrival,
  });
  client = new EventBridgeClient({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await standIn.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

beforeEach(() => {
  delivered.length = 0;
  writeFileSync(eventsFile, '');
});

const fileLines = () =>
  readFileSync(eventsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DeliveredEvent);

const entry = (overrides: Record<string, unknown> = {}) => ({
  EventBusName: 'tickets-bus',
  Source: 'aws-support-system',
  DetailType: 'Ticket Created',
  Detail: JSON.stringify({ ticketId: '01J', version: 1 }),
  Time: new Date('2026-11-27T10:00:00.250Z'),
  ...overrides,
});

/** A raw call, as the SDK makes it. */
const rawCall = (body: string, target = 'AWSEvents.PutEvents') =>
  fetch(standIn.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  });

describe('PutEvents through the SDK', () => {
  test('accepted events are appended in order as EventBridge delivers them, each answered with its id', async () => {
    const output = await client.send(
      new PutEventsCommand({
        Entries: [entry(), entry({ DetailType: 'Ticket Updated', Detail: '{"ticketId":"01J","version":2}' })],
      }),
    );
    expect(output.FailedEntryCount).toBe(0);
    const lines = fileLines();
    expect(output.Entries).toEqual(lines.map((line) => ({ EventId: line.id })));
    expect(lines).toEqual([
      {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'Ticket Created',
        source: 'aws-support-system',
        account: '123456789012',
        time: '2026-11-27T10:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { ticketId: '01J', version: 1 },
      },
      expect.objectContaining({ 'detail-type': 'Ticket Updated', detail: { ticketId: '01J', version: 2 } }),
    ]);
    expect(delivered).toEqual(lines);
  });

  test('the bus may be named by ARN, or left out for the default bus', async () => {
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/tickets-bus' }),
          entry({ EventBusName: undefined }),
        ],
      }),
    );
    expect(output.FailedEntryCount).toBe(0);
    expect(fileLines()).toHaveLength(2);
  });

  test('a bad entry fails alone, with the service error code; the others are published', async () => {
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ EventBusName: 'no-such-bus' }),
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry({ Detail: 'not json' }),
          entry({ Detail: '[1,2]' }),
          entry(),
        ],
      }),
    );
    expect(output.FailedEntryCount).toBe(6);
    expect(output.Entries?.map((result) => result.ErrorCode ?? 'ok')).toEqual([
      'ResourceNotFoundException',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'ok',
    ]);
    expect(output.Entries?.[0]?.ErrorMessage).toBe('Event bus no-such-bus does not exist.');
    expect(fileLines()).toHaveLength(1);
  });

  test('no entries, more than 10, or over 256 KB together is a ValidationException and nothing is published', async () => {
    for (const entries of [
      [],
      Array.from({ length: 11 }, () => entry()),
      Array.from({ length: 2 }, () => entry({ Detail: JSON.stringify({ padding: 'x'.repeat(130 * 1024) }) })),
    ]) {
      await expect(client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
    }
    // Just under the limit is accepted.
    const output = await client.send(
      new PutEventsCommand({ Entries: [entry({ Detail: JSON.stringify({ padding: 'x'.repeat(250 * 1024) }) })] }),
    );
    expect(output.FailedEntryCount).toBe(0);
    expect(fileLines()).toHaveLength(1);
  });
});

describe('the protocol', () => {
  test('only POST with X-Amz-Target AWSEvents.PutEvents is an operation', async () => {
    const response = await rawCall('{"Entries":[]}', 'AWSEvents.ListRules');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const get = await fetch(standIn.endpoint);
    expect(get.status).toBe(400);
  });

  test('a body that is not JSON is a SerializationException; an answer is JSON 1.1', async () => {
    const response = await rawCall('{');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });

  test('an entry without Time is stamped with the time it arrives, without a fraction of a second', async () => {
    arrival = new Date('2026-11-27T10:15:30.789Z');
    const response = await rawCall(
      JSON.stringify({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}', EventBusName: 'tickets-bus' }] }),
    );
    expect(await response.json()).toMatchObject({ FailedEntryCount: 0 });
    const [line] = fileLines();
    expect(line!.time).toBe('2026-11-27T10:15:30Z');
  });
});

describe('faults', () => {
  const faults = (method: 'POST' | 'DELETE', body?: unknown) =>
    fetch(`${standIn.endpoint}/__admin/faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test('fail-entries fails every entry of the next calls, publishing nothing; then calls succeed again', async () => {
    expect((await faults('POST', { mode: 'fail-entries', remaining: 1 })).status).toBe(200);
    const refused = await client.send(new PutEventsCommand({ Entries: [entry(), entry()] }));
    expect(refused).toMatchObject({
      FailedEntryCount: 2,
      Entries: [{ ErrorCode: 'InternalFailure' }, { ErrorCode: 'InternalFailure' }],
    });
    expect(fileLines()).toEqual([]);
    expect((await client.send(new PutEventsCommand({ Entries: [entry()] }))).FailedEntryCount).toBe(0);
    expect(fileLines()).toHaveLength(1);
  });

  test('throttle answers a ThrottlingException until cleared', async () => {
    expect((await faults('POST', { mode: 'throttle' })).status).toBe(200);
    for (let call = 0; call < 2; call++) {
      await expect(client.send(new PutEventsCommand({ Entries: [entry()] }))).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
    }
    expect((await faults('DELETE')).status).toBe(200);
    expect((await client.send(new PutEventsCommand({ Entries: [entry()] }))).FailedEntryCount).toBe(0);
    expect(fileLines()).toHaveLength(1);
  });

  test('an unknown fault is refused', async () => {
    expect((await faults('POST', { mode: 'explode' })).status).toBe(400);
    expect((await faults('POST', { mode: 'throttle', remaining: 0 })).status).toBe(400);
    expect((await client.send(new PutEventsCommand({ Entries: [entry()] }))).FailedEntryCount).toBe(0);
  });
});

describe('the line npm start prints', () => {
  const event = (detailType: string, detail: Record<string, unknown>): DeliveredEvent => ({
    version: '0',
    id: 'x',
    'detail-type': detailType,
    source: 'aws-support-system',
    account: '123456789012',
    time: '2026-11-27T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  });

  test('names the event, the ticket, who and what changed, on one line', () => {
    expect(
      eventLine(event('Ticket Created', { ticketId: 'T1', version: 1, requesterId: 'alice', status: 'open' })),
    ).toBe('event Ticket Created ticket=T1 version=1 by=alice status=open');
    expect(
      eventLine(
        event('Ticket Updated', {
          ticketId: 'T1',
          version: 2,
          by: { id: 'ada', role: 'agent' },
          changes: [{ field: 'status', from: 'open', to: 'in_progress' }, { field: 'tags' }],
        }),
      ),
    ).toBe('event Ticket Updated ticket=T1 version=2 by=ada changes=status:open→in_progress,tags');
    expect(
      eventLine(
        event('Comment Added', {
          ticketId: 'T1',
          commentId: 'C1',
          author: { id: 'ada', role: 'agent' },
          visibility: 'public',
          statusChange: { from: 'open', to: 'waiting_on_customer' },
        }),
      ),
    ).toBe('event Comment Added ticket=T1 comment=C1 by=ada visibility=public move=open→waiting_on_customer');
    expect(eventLine(event('Analysis Completed', { ticketId: 'T1', version: 2, status: 'complete' }))).toBe(
      'event Analysis Completed ticket=T1 version=2 analysis=complete',
    );
  });
});
