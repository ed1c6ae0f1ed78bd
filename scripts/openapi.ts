/**
 * Writes openapi.json, the API's OpenAPI 3.1 description for its consumers,
 * from what the API is made of: the routes template.yaml gives API Gateway,
 * each route's function's request schema (functions/<name>/request-schema.ts)
 * and the response schemas (layers/shared/src/domain/ticket-schema.ts and
 * comment-schema.ts). The
 * status codes each route answers and what they mean are stated here, once.
 *
 *   npm run openapi              write openapi.json
 *   npm run openapi -- --check   fail if openapi.json is out of date
 *
 * A unit test fails when the committed document is not the one this produces.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { commentPageSchema, commentSchema } from '../layers/shared/src/domain/comment-schema.js';
import {
  commentAnalysisSchema,
  historyEntrySchema,
  ticketAnalysisSchema,
  ticketPageSchema,
  ticketSchema,
  ticketWithHistorySchema,
} from '../layers/shared/src/domain/ticket-schema.js';
import { gatewayErrorSchema, problemSchema } from '../layers/shared/src/http/problem-schema.js';
import { PROJECT_ROOT, readTemplate, resourcesOfType, type Template } from './sam-template.js';

export const OPENAPI_PATH = join(PROJECT_ROOT, 'openapi.json');

type Json = Record<string, unknown>;

/** A route as the template gives it to API Gateway: an `Api` event of a function. */
export interface TemplateRoute {
  /** Lower case, as OpenAPI names operations. */
  method: string;
  path: string;
  functionId: string;
  /** The function's folder (its CodeUri), relative to the project root. */
  codeDir: string;
}

/**
 * The API's operations. OPTIONS, the CORS preflight on every path, is
 * browser plumbing rather than an operation a client calls: the document
 * leaves it out.
 */
export function templateRoutes(template: Template = readTemplate()): TemplateRoute[] {
  return resourcesOfType(template, 'AWS::Serverless::Function').flatMap(([functionId, resource]) => {
    const events = (resource.Properties?.Events ?? {}) as Record<string, { Type?: string; Properties?: Json }>;
    return Object.values(events)
      .filter((event) => event.Type === 'Api' && String(event.Properties?.Method).toLowerCase() !== 'options')
      .map((event) => ({
        method: String(event.Properties?.Method).toLowerCase(),
        path: String(event.Properties?.Path),
        functionId,
        codeDir: String(resource.Properties?.CodeUri).replace(/\/+$/, ''),
      }));
  });
}

// ---------------------------------------------------------------------------
// What each route answers

/** An answer a route can give besides its success: its status and what it means there. */
type Failure = [status: number, description: string];

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  /** The component the request body is published as. */
  requestBodyName?: string;
  success: { status: number; description: string; schema: object; headers: Record<string, { required: boolean }> };
  failures: Failure[];
}

const INVALID_INPUT = 'The request breaks its schema, or its body is not valid JSON; `errors` names the fields.';
const UNAUTHENTICATED = 'No bearer token, or one that is not valid.';
const THROTTLED = "API Gateway's stage throttle is spent; retry after `Retry-After` seconds.";
const BUG = 'Something failed that the request did not cause; quote the `requestId` when reporting it.';
const CRASHED =
  "API Gateway's own answer when the function failed without answering (it crashed or ran out of time); quote the `requestId`.";
const UNAVAILABLE = 'A dependency (the ticket store) is throttling or down; retry after `Retry-After` seconds.';
const TOO_LARGE = "The body is over 256 KiB (the function's limit) or over 10 MB (API Gateway's).";
const NOT_JSON = 'The body is not sent as `application/json`.';
const NOT_FOUND = 'No such ticket, or not one the caller may see: another customer’s ticket is answered the same way.';

/** Answered by API Gateway or the layer's stack on every route alike. */
const EVERY_ROUTE: Failure[] = [
  [401, UNAUTHENTICATED],
  [429, THROTTLED],
  [500, BUG],
  [502, CRASHED],
  [503, UNAVAILABLE],
];

const OPERATIONS: Record<string, Operation> = {
  'post /tickets': {
    operationId: 'createTicket',
    summary: 'Submit a ticket',
    description:
      'Analyzes and stores a new ticket; the requester is the caller. With an `Idempotency-Key` (kept 24 hours, per caller), ' +
      'a retry with the same body returns the first ticket (`Idempotent-Replayed: true`) and stores nothing.',
    requestBodyName: 'NewTicket',
    success: {
      status: 201,
      description: 'The ticket as stored, its text analyzed and redacted.',
      schema: ticketSchema,
      headers: { Location: { required: true }, ETag: { required: true }, 'Idempotent-Replayed': { required: false } },
    },
    failures: [
      [400, INVALID_INPUT],
      [404, 'The ticket an earlier request with this `Idempotency-Key` created no longer exists.'],
      [409, 'A ticket with the id this one was given already exists.'],
      [413, TOO_LARGE],
      [415, NOT_JSON],
      [422, 'This `Idempotency-Key` was already used with a different body.'],
    ],
  },
  'get /tickets': {
    operationId: 'listTickets',
    summary: 'List tickets',
    description:
      "A customer's own tickets, newest first. Agents see every ticket newest first, or with `status` that status's " +
      'triage queue (priority, then oldest first). A page stays inside the 6 MB a function may answer with, so it ' +
      'may hold fewer than `limit`; `nextCursor` then goes on.',
    success: { status: 200, description: 'One page of tickets.', schema: ticketPageSchema, headers: {} },
    failures: [[400, 'A query parameter is out of range, or the cursor is not valid for this caller and query.']],
  },
  'get /tickets/{id}': {
    operationId: 'getTicket',
    summary: 'Read a ticket',
    description: 'The ticket with its history, to its requester or an agent. Its `ETag` is its version.',
    success: {
      status: 200,
      description: 'The ticket with every change made to it.',
      schema: ticketWithHistorySchema,
      headers: { ETag: { required: true } },
    },
    failures: [
      [400, 'The id is not a ticket id.'],
      [404, NOT_FOUND],
    ],
  },
  'patch /tickets/{id}': {
    operationId: 'updateTicket',
    summary: 'Change a ticket',
    description:
      'Agents change status, priority, assignee, category and tags, and move a ticket between any statuses except out ' +
      'of `closed`. A requester may only close their ticket or reopen a resolved one. With `If-Match`, a stale version ' +
      'is refused; without it, a concurrent change is re-read and the update checked again. Every change is recorded ' +
      'in the history.',
    requestBodyName: 'TicketChanges',
    success: {
      status: 200,
      description: 'The ticket as changed, with every change made to it.',
      schema: ticketWithHistorySchema,
      headers: { ETag: { required: true } },
    },
    failures: [
      [400, INVALID_INPUT],
      [403, 'The caller is the requester and asked for more than closing the ticket or reopening a resolved one.'],
      [404, NOT_FOUND],
      [409, 'The ticket is closed: a closed ticket cannot be reopened or changed.'],
      [412, '`If-Match` names a version that is no longer current (a weak tag never matches).'],
      [413, TOO_LARGE],
      [415, NOT_JSON],
    ],
  },
  'post /tickets/{id}/comments': {
    operationId: 'addComment',
    summary: 'Comment on a ticket',
    description:
      "A public comment (the requester's or an agent's) or an agent's internal note, its body kept and redacted as a " +
      "description is. An agent's public reply moves an `open` or `in_progress` ticket to `waiting_on_customer`; the " +
      "requester's comment moves a `waiting_on_customer` or `resolved` one back to `open`: each move is recorded in " +
      'the history and bumps the version. With an `Idempotency-Key` (kept 24 hours, per caller and ticket), a retry ' +
      'with the same body returns the first comment (`Idempotent-Replayed: true`) and stores nothing.',
    requestBodyName: 'NewComment',
    success: {
      status: 201,
      description: 'The comment as stored, its body analyzed and redacted.',
      schema: commentSchema,
      headers: { Location: { required: true }, 'Idempotent-Replayed': { required: false } },
    },
    failures: [
      [400, INVALID_INPUT],
      [403, 'The caller is the requester and asked for an internal note: internal notes are for agents.'],
      [404, NOT_FOUND],
      [409, 'The ticket is closed: a closed ticket takes no more comments.'],
      [413, TOO_LARGE],
      [415, NOT_JSON],
      [422, 'This `Idempotency-Key` was already used on this ticket with a different body.'],
    ],
  },
  'get /tickets/{id}/comments': {
    operationId: 'listComments',
    summary: "List a ticket's comments",
    description:
      "The ticket's conversation, oldest first, to its requester or an agent. A customer never sees agents' internal " +
      'notes. A page stays inside the 6 MB a function may answer with, so it may hold fewer than `limit`; ' +
      '`nextCursor` then goes on.',
    success: { status: 200, description: 'One page of comments.', schema: commentPageSchema, headers: {} },
    failures: [
      [
        400,
        'The id is not a ticket id, a query parameter is out of range, or the cursor is not valid for this caller and ticket.',
      ],
      [404, NOT_FOUND],
    ],
  },
  'get /tickets/{id}/comments/{commentId}': {
    operationId: 'getComment',
    summary: 'Read a comment',
    description:
      "One comment of a ticket (the path in a new comment's `Location`), as a list shows it, to the ticket's " +
      "requester or an agent. A customer never sees agents' internal notes: asking for one is answered as for a " +
      'comment that does not exist.',
    success: { status: 200, description: 'The comment.', schema: commentSchema, headers: {} },
    failures: [
      [400, 'The id is not a ticket id, or the commentId not a comment id.'],
      [
        404,
        'No such ticket or comment, or not one the caller may see: another customer’s ticket, a comment of another ' +
          'ticket and, to a customer, an internal note are answered the same way.',
      ],
    ],
  },
};

/** Headers an answer may carry, and the answers that always carry them. */
const RESPONSE_HEADERS: Record<string, Json> = {
  ETag: {
    description: "The ticket's version, for `If-Match`.",
    schema: { type: 'string', pattern: '^"[0-9]+"$' },
  },
  Location: {
    description:
      "The new ticket's or comment's path, as the client called the API (with the stage on API Gateway's default endpoint).",
    schema: { type: 'string', format: 'uri-reference' },
  },
  'Idempotent-Replayed': {
    description: 'Present when the answer replays an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 1 },
  },
  'WWW-Authenticate': {
    description: "`Bearer`, on API Gateway's answer.",
    schema: { type: 'string' },
  },
};

const HEADERS_OF_FAILURE: Record<number, Record<string, { required: boolean }>> = {
  401: { 'WWW-Authenticate': { required: false } },
  429: { 'Retry-After': { required: true } },
  503: { 'Retry-After': { required: true } },
};

const SCHEMA_OF_FAILURE: Record<number, object> = {
  500: { anyOf: [problemSchema, gatewayErrorSchema] },
  502: gatewayErrorSchema,
};

const RESPONSE_SCHEMAS: Record<string, object> = {
  Ticket: ticketSchema,
  TicketWithHistory: ticketWithHistorySchema,
  TicketAnalysis: ticketAnalysisSchema,
  HistoryEntry: historyEntrySchema,
  TicketPage: ticketPageSchema,
  Comment: commentSchema,
  CommentAnalysis: commentAnalysisSchema,
  CommentPage: commentPageSchema,
  Problem: problemSchema,
  GatewayError: gatewayErrorSchema,
};

// ---------------------------------------------------------------------------
// The document

interface RequestSchema {
  required?: readonly string[];
  properties?: {
    pathParameters?: EventPart;
    queryStringParameters?: EventPart;
    headers?: EventPart;
    body?: object;
  };
}

interface EventPart {
  required?: readonly string[];
  properties?: Record<string, object>;
}

/** `idempotency-key` → `Idempotency-Key`: the request schemas see headers normalized to lower case. */
const headerName = (lowerCase: string) =>
  lowerCase.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());

function parametersOf(request: RequestSchema): Json[] {
  const parts: [keyof NonNullable<RequestSchema['properties']>, string, (name: string) => string][] = [
    ['pathParameters', 'path', (name) => name],
    ['queryStringParameters', 'query', (name) => name],
    ['headers', 'header', headerName],
  ];
  return parts.flatMap(([part, where, nameOf]) => {
    const schema = request.properties?.[part] as EventPart | undefined;
    return Object.entries(schema?.properties ?? {}).map(([name, parameter]) => ({
      name: nameOf(name),
      in: where,
      required: where === 'path' || (schema?.required?.includes(name) ?? false),
      schema: parameter,
    }));
  });
}

function problemResponse([status, description]: Failure): Json {
  const headers = HEADERS_OF_FAILURE[status] ?? {};
  return {
    description,
    ...(Object.keys(headers).length > 0 && { headers: responseHeaders(headers) }),
    content: { 'application/problem+json': { schema: SCHEMA_OF_FAILURE[status] ?? problemSchema } },
  };
}

/** Header objects are written out: a `$ref` to a shared one could not say whether this answer requires it. */
function responseHeaders(headers: Record<string, { required: boolean }>): Json {
  return Object.fromEntries(
    Object.entries(headers).map(([name, { required }]) => [name, { ...RESPONSE_HEADERS[name], required }]),
  );
}

async function requestSchemaOf(route: TemplateRoute): Promise<RequestSchema> {
  const module = (await import(pathToFileURL(join(PROJECT_ROOT, route.codeDir, 'request-schema.ts')).href)) as {
    requestSchema: RequestSchema;
  };
  return module.requestSchema;
}

/** The OpenAPI document, its schemas still inline (see `withComponentRefs`). */
async function describeApi(template: Template): Promise<{ document: Json; named: Map<object, string> }> {
  const packageJson = await readPackageJson();
  const named = new Map<object, string>(Object.entries(RESPONSE_SCHEMAS).map(([name, schema]) => [schema, name]));
  const requestBodies: Record<string, object> = {};
  const paths: Record<string, Record<string, Json>> = {};

  const routes = templateRoutes(template);
  assertEveryOperationRouted(routes);
  // One import at a time: jest's ESM loader (the up-to-date test) fails on concurrent imports of one module.
  for (const route of routes) {
    const operation = OPERATIONS[`${route.method} ${route.path}`];
    if (!operation) throw new Error(`scripts/openapi.ts does not describe ${route.method} ${route.path}.`);
    const request = await requestSchemaOf(route);
    const body = request.properties?.body;
    if (body && operation.requestBodyName) {
      requestBodies[operation.requestBodyName] = body;
      named.set(body, operation.requestBodyName);
    }
    const pathItem = (paths[route.path] ??= {});
    pathItem[route.method] = operationObject(operation, request);
  }

  const stages = (template.Parameters?.Stage?.AllowedValues ?? []) as string[];
  return { document: apiDocument({ packageJson, stages, paths, requestBodies }), named };
}

interface PackageJson {
  name: string;
  version: string;
  description: string;
  license: string;
}

async function readPackageJson(): Promise<PackageJson> {
  return JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** Fails on an operation described here for a route the template no longer has. */
function assertEveryOperationRouted(routes: readonly TemplateRoute[]): void {
  const gone = Object.keys(OPERATIONS).filter(
    (key) => !routes.some((route) => `${route.method} ${route.path}` === key),
  );
  if (gone.length > 0) throw new Error(`scripts/openapi.ts describes routes the template lacks: ${gone.join(', ')}.`);
}

/** One route's Operation Object: its parameters and body from its request schema, its answers from `operation`. */
function operationObject(operation: Operation, request: RequestSchema): Json {
  const body = request.properties?.body;
  const parameters = parametersOf(request);
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description,
    tags: ['tickets'],
    ...(parameters.length > 0 && { parameters }),
    ...(body && {
      requestBody: {
        required: request.required?.includes('body') ?? false,
        content: { 'application/json': { schema: body } },
      },
    }),
    responses: responsesOf(operation),
  };
}

/** The success, then every failure the route or every route answers, by status. */
function responsesOf({ success, failures }: Operation): Json {
  return {
    [success.status]: {
      description: success.description,
      ...(Object.keys(success.headers).length > 0 && { headers: responseHeaders(success.headers) }),
      content: { 'application/json': { schema: success.schema } },
    },
    ...Object.fromEntries(
      [...failures, ...EVERY_ROUTE].sort(([a], [b]) => a - b).map((failure) => [failure[0], problemResponse(failure)]),
    ),
  };
}

/** What the document is made of besides the fixed text. */
interface DocumentParts {
  packageJson: PackageJson;
  /** The template's Stage values, the first the default. */
  stages: string[];
  paths: Json;
  requestBodies: Record<string, object>;
}

/** The document around the paths: what the API is, where it is served, how callers authenticate. */
function apiDocument({ packageJson, stages, paths, requestBodies }: DocumentParts): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: `${packageJson.name} API`,
      version: packageJson.version,
      summary: 'Customer-support tickets: submit, read, triage and list them, and the conversation on each.',
      description:
        'Every error is an RFC 9457 problem (`application/problem+json`). Customers see their own tickets; ' +
        'agents (the `agents` group) see and triage every ticket.',
      license: { name: packageJson.license, identifier: packageJson.license },
    },
    servers: [
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: "A deployed stage, on API Gateway's default endpoint (the stack's API URL).",
        variables: {
          restApiId: { default: 'restApiId', description: "The REST API's id (the stack's TicketsApi)." },
          region: { default: 'us-east-1', description: 'The AWS Region the stack is deployed in.' },
          stage: { default: stages[0] ?? 'dev', enum: stages, description: 'The Stage parameter of the stack.' },
        },
      },
      { url: 'http://127.0.0.1:3000', description: '`npm start` on this machine (`PORT` overrides the port).' },
    ],
    security: [{ bearerAuth: [] }],
    tags: [{ name: 'tickets', description: 'Support tickets and their triage.' }],
    paths,
    components: {
      schemas: { ...RESPONSE_SCHEMAS, ...requestBodies },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A Cognito ID token of the stack's user pool (`npm run token` prints one for `npm start`). " +
            'Members of the `agents` group act as support agents.',
        },
      },
    },
  };
}

/**
 * Replaces every schema that is a named component by a `$ref` to it. The
 * schemas embed one another as objects (a page's items are `ticketSchema`
 * itself), so identity says which is which.
 */
function withComponentRefs(value: unknown, named: Map<object, string>, isComponent = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withComponentRefs(item, named));
  if (value === null || typeof value !== 'object') return value;
  const name = named.get(value);
  if (name !== undefined && !isComponent) return { $ref: `#/components/schemas/${name}` };
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withComponentRefs(child, named)]));
}

export async function openApiDocument(template: Template = readTemplate()): Promise<Json> {
  const { document, named } = await describeApi(template);
  const { components, ...rest } = document as { components: { schemas: Record<string, object> } & Json };
  const schemas = Object.fromEntries(
    Object.entries(components.schemas).map(([name, schema]) => [name, withComponentRefs(schema, named, true)]),
  );
  return {
    ...(withComponentRefs(rest, named) as Json),
    components: { ...components, schemas },
  };
}

/** openapi.json as committed: formatted as Prettier formats it, since `prettier --check .` reads it. */
export async function openApiSource(document?: Json): Promise<string> {
  const options = await resolveConfig(OPENAPI_PATH);
  return format(JSON.stringify(document ?? (await openApiDocument())), { ...options, filepath: OPENAPI_PATH });
}

async function main(): Promise<void> {
  const source = await openApiSource();
  const current = await readFile(OPENAPI_PATH, 'utf8').catch(() => '');
  if (current === source) return;
  if (process.argv.includes('--check')) {
    console.error(`out of date: ${relative(process.cwd(), OPENAPI_PATH)} (npm run openapi)`);
    process.exit(1);
  }
  await writeFile(OPENAPI_PATH, source);
  console.log(`wrote ${relative(process.cwd(), OPENAPI_PATH)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
