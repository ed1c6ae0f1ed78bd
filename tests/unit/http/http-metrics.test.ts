import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, DynamoDBRecord } from 'aws-lambda';
import { ConflictError, PreconditionFailedError } from '../../../layers/shared/src/domain/errors.js';
import type { CompiledValidator } from '../../../layers/shared/src/http/request-validation.js';
import { jsonResponse, type HttpResponse } from '../../../layers/shared/src/http/responses.js';
import { agent, apiEvent, customer, lambdaContext } from '../../support/api-gateway-event.js';
import { anAnalysis, aTicket } from '../../support/tickets.js';

// The function's environment as template.yaml's Globals set it, before the layer reads it.
const SERVICE = 'support-tickets';
Object.assign(process.env, {
  POWERTOOLS_SERVICE_NAME: SERVICE,
  POWERTOOLS_METRICS_NAMESPACE: 'test-stack',
  TABLE_NAME: 'tickets',
});
const { httpHandler } = await import('../../../layers/shared/src/http/http-handler.js');
const { METRIC_NAMES } = await import('../../../layers/shared/src/metrics.js');
const { streamBatchHandler } = await import('../../../layers/shared/src/stream/stream-handler.js');

/**
 * The middleware stacks write the business metrics as CloudWatch embedded
 * metric format (EMF) lines on stdout; these tests read those lines as
 * CloudWatch would.
 */

interface EmfLine {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

let written: string[] = [];
beforeEach(() => {
  written = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

function emfLines(): EmfLine[] {
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/** Each metric written, with its value and the dimension sets it is aggregated under (each set's values). */
function emitted() {
  return emfLines().flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap(({ Metrics, Dimensions }) =>
      Metrics.map(({ Name, Unit }) => ({
        name: Name,
        unit: Unit,
        value: line[Name],
        dimensions: Dimensions.map((set) => Object.fromEntries(set.map((key) => [key, line[key]]))),
      })),
    ),
  );
}

/** Accepts every request: these tests are about what the stack answers and counts, not validation. */
const anything = Object.assign((event: unknown): event is object => typeof event === 'object', {
  errors: null,
}) as CompiledValidator<Record<string, never>>;

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The stack around a route that answers `answer`, typed as Lambda calls it. */
function stackAnswering(answer: () => Promise<HttpResponse>): LambdaHandler {
  const handler: unknown = httpHandler(() => answer(), { validateRequest: anything, input: 'body' });
  return handler as LambdaHandler;
}

function invoke(handler: LambdaHandler, event: APIGatewayProxyEvent) {
  return handler(event, lambdaContext());
}

const SECRET_TEXT = 'My card 4111 1111 1111 1111 and e-mail ada@example.com';

describe('the HTTP stack writes the business metrics', () => {
  test('a created ticket counts once per priority, category and language, with its pending analysis and redactions', async () => {
    const ticket = aTicket({
      id: '01HZXMETRICS00000000000000',
      subject: SECRET_TEXT,
      priority: 'high',
      category: 'billing',
      analysis: anAnalysis({
        status: 'pending',
        language: 'en',
        redactions: [
          { type: 'CREDIT_DEBIT_NUMBER', count: 2 },
          { type: 'EMAIL', count: 1 },
        ],
      }),
    });
    const handler = stackAnswering(() => Promise.resolve(jsonResponse(201, ticket, { Location: '/tickets/x' })));
    const response = await invoke(handler, apiEvent({ method: 'POST', resource: '/tickets', body: {} }));
    expect(response.statusCode).toBe(201);

    const metrics = emitted();
    expect(metrics).toContainEqual({
      name: METRIC_NAMES.ticketsCreated,
      unit: 'Count',
      value: 1,
      dimensions: [
        { service: SERVICE, Priority: 'high' },
        { service: SERVICE, Category: 'billing' },
        { service: SERVICE, Language: 'en' },
      ],
    });
    expect(metrics).toContainEqual({
      name: METRIC_NAMES.analysisPending,
      unit: 'Count',
      value: 1,
      dimensions: [{ service: SERVICE, Subject: 'ticket' }],
    });
    expect(metrics).toContainEqual({
      name: METRIC_NAMES.redactions,
      unit: 'Count',
      value: 2,
      dimensions: [{ service: SERVICE, Kind: 'CREDIT_DEBIT_NUMBER' }],
    });
    expect(metrics).toContainEqual({
      name: METRIC_NAMES.redactions,
      unit: 'Count',
      value: 1,
      dimensions: [{ service: SERVICE, Kind: 'EMAIL' }],
    });
    expect(metrics.map(({ name }) => name)).not.toContain(METRIC_NAMES.rejections);
  });

  test('no metric line carries a ticket id, text or the caller, in a dimension or anywhere else', async () => {
    const ticket = aTicket({
      id: '01HZXMETRICS00000000000001',
      subject: SECRET_TEXT,
      description: SECRET_TEXT,
      tags: ['vip-customer'],
      analysis: anAnalysis({
        status: 'failed',
        language: 'xx-<script>',
        redactions: [{ type: 'not a kind', count: 1 }],
      }),
    });
    const handler = stackAnswering(() => Promise.resolve(jsonResponse(201, ticket)));
    await invoke(
      handler,
      apiEvent({ method: 'POST', resource: '/tickets', body: {}, claims: customer('ada-lovelace') }),
    );

    const lines = emfLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const text = JSON.stringify(line);
      for (const secret of [
        ticket.id,
        '4111',
        'ada@example.com',
        'ada-lovelace',
        'vip-customer',
        '<script>',
        'not a kind',
      ])
        expect(text).not.toContain(secret);
    }
    const metrics = emitted();
    expect(metrics).toContainEqual(
      expect.objectContaining({
        name: METRIC_NAMES.ticketsCreated,
        dimensions: expect.arrayContaining([{ service: SERVICE, Language: 'other' }]),
      }),
    );
    expect(metrics).toContainEqual(
      expect.objectContaining({
        name: METRIC_NAMES.analysisFailed,
        dimensions: [{ service: SERVICE, Subject: 'ticket' }],
      }),
    );
    expect(metrics).toContainEqual(
      expect.objectContaining({
        name: METRIC_NAMES.redactions,
        dimensions: [{ service: SERVICE, Kind: 'other' }],
      }),
    );
  });

  test('an idempotent replay counts as a replay, not as a new ticket', async () => {
    const handler = stackAnswering(() =>
      Promise.resolve(jsonResponse(201, aTicket(), { 'Idempotent-Replayed': 'true' })),
    );
    await invoke(handler, apiEvent({ method: 'POST', resource: '/tickets', body: {} }));
    const names = emitted().map(({ name }) => name);
    expect(names).toEqual([METRIC_NAMES.idempotentReplays]);
  });

  test('a created comment counts its analysis and redactions, not a ticket', async () => {
    const comment = {
      id: '01HZXCOMMENT00000000000000',
      body: SECRET_TEXT,
      analysis: { status: 'pending', language: null, sentiment: null, redactions: [{ type: 'EMAIL', count: 1 }] },
    };
    const handler = stackAnswering(() => Promise.resolve(jsonResponse(201, comment)));
    await invoke(
      handler,
      apiEvent({ method: 'POST', resource: '/tickets/{id}/comments', pathParameters: { id: 'x' }, body: {} }),
    );
    const metrics = emitted();
    expect(metrics.map(({ name }) => name).sort()).toEqual([METRIC_NAMES.analysisPending, METRIC_NAMES.redactions]);
    expect(metrics).toContainEqual(
      expect.objectContaining({
        name: METRIC_NAMES.analysisPending,
        dimensions: [{ service: SERVICE, Subject: 'comment' }],
      }),
    );
  });

  test.each([
    ['a stale If-Match', new PreconditionFailedError('The ticket has changed.'), 412],
    ["the ticket's state", new ConflictError('A closed ticket cannot move.'), 409],
  ])(
    'an update refused by %s counts as an update conflict and a rejection by status',
    async (_reason, error, status) => {
      const handler = stackAnswering(() => Promise.reject(error));
      const response = await invoke(
        handler,
        apiEvent({
          method: 'PATCH',
          resource: '/tickets/{id}',
          pathParameters: { id: 'x' },
          body: {},
          claims: agent('ada'),
        }),
      );
      expect(response.statusCode).toBe(status);
      expect(emitted()).toEqual([
        {
          name: METRIC_NAMES.rejections,
          unit: 'Count',
          value: 1,
          dimensions: [{ service: SERVICE, StatusCode: String(status) }],
        },
        {
          name: METRIC_NAMES.updateConflicts,
          unit: 'Count',
          value: 1,
          dimensions: [{ service: SERVICE, StatusCode: String(status) }],
        },
      ]);
    },
  );

  test('a request refused before the route (401, 413, 415) counts as a rejection by its status, a 2xx or 5xx not at all', async () => {
    const handler = stackAnswering(() => Promise.resolve(jsonResponse(200, {})));
    const statuses = [
      await invoke(handler, apiEvent({ method: 'POST', resource: '/tickets', body: {}, claims: null })),
      await invoke(handler, apiEvent({ method: 'POST', resource: '/tickets', body: 'x'.repeat(300 * 1024) })),
      await invoke(
        handler,
        apiEvent({ method: 'POST', resource: '/tickets', body: 'a=b', headers: { 'Content-Type': 'text/plain' } }),
      ),
      await invoke(handler, apiEvent({ method: 'POST', resource: '/tickets', body: {} })),
      await invoke(
        stackAnswering(() => Promise.reject(new Error('boom'))),
        apiEvent({ method: 'POST', resource: '/tickets', body: {} }),
      ),
    ].map(({ statusCode }) => statusCode);
    expect(statuses).toEqual([401, 413, 415, 200, 500]);
    expect(emitted().map(({ name, dimensions }) => [name, dimensions[0]?.StatusCode])).toEqual([
      [METRIC_NAMES.rejections, '401'],
      [METRIC_NAMES.rejections, '413'],
      [METRIC_NAMES.rejections, '415'],
    ]);
  });
});

describe('the stream stack writes the business metrics', () => {
  test('records left for Lambda to retry are counted, a batch that completes writes nothing', async () => {
    const record = (sequenceNumber: string): DynamoDBRecord => ({ dynamodb: { SequenceNumber: sequenceNumber } });
    const retrying = streamBatchHandler(() =>
      Promise.resolve({ batchItemFailures: [{ itemIdentifier: '2' }, { itemIdentifier: '3' }] }),
    );
    await retrying({ Records: [record('1'), record('2'), record('3')] }, lambdaContext());
    expect(emitted()).toEqual([
      {
        name: METRIC_NAMES.streamRecordsRetried,
        unit: 'Count',
        value: 2,
        dimensions: [{ service: SERVICE }],
      },
    ]);

    written = [];
    const completing = streamBatchHandler(() => Promise.resolve({ batchItemFailures: [] }));
    await completing({ Records: [record('1')] }, lambdaContext());
    expect(emitted()).toEqual([]);
  });
});
