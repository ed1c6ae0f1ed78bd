/**
 * The check every e2e response goes through: answers that keep to openapi.json
 * pass, and an answer that breaks it fails with an error naming the
 * operation, the status and where in the document the rule is.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OPENAPI_PATH } from '../../../scripts/openapi.js';
import type { ApiRequest } from '../../e2e/support/api-types.js';
import { contractChecker, type OpenApiDocument } from '../../e2e/support/contract-check.js';

const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApiDocument;
const check = contractChecker(document);

const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

const ticket = {
  id: ID,
  subject: 'Export question',
  description: 'How do I export my invoices as a CSV file?',
  status: 'open',
  priority: 'normal',
  category: 'billing',
  tags: ['invoices'],
  requester: { id: 'alice', email: 'alice@example.com' },
  assigneeId: null,
  channel: 'api',
  analysis: {
    status: 'complete',
    language: 'en',
    sentiment: { label: 'NEUTRAL', scores: { positive: 0.1, negative: 0.05, neutral: 0.8, mixed: 0.05 } },
    keyPhrases: ['my invoices'],
    urgent: false,
    redactions: [],
    signals: { priority: [], category: [{ kind: 'learned', phrase: 'invoices' }] },
  },
  createdAt: '2026-11-27T17:00:00.000Z',
  updatedAt: '2026-11-27T17:00:00.000Z',
  version: 1,
  commentCount: 0,
  lastCommentAt: null,
  firstResponseAt: null,
  sla: {
    firstResponseDueAt: '2026-11-28T01:00:00.000Z',
    resolutionDueAt: '2026-11-30T17:00:00.000Z',
    pausedSince: null,
    breached: [],
  },
};

const json = { 'Content-Type': 'application/json' };
const problemJson = { 'Content-Type': 'application/problem+json' };

const create: ApiRequest = { method: 'POST', path: '/tickets', body: { subject: 'x', description: 'y' } };
const get: ApiRequest = { method: 'GET', path: `/tickets/${ID}` };
const list: ApiRequest = { method: 'GET', path: '/tickets?limit=5' };
const update: ApiRequest = { method: 'PATCH', path: `/tickets/${ID}`, body: { status: 'closed' } };

const answer = (status: number, headers: Record<string, string>, body?: unknown) => ({
  status,
  headers: new Headers(headers),
  body,
});

const problem = (status: number, extra: object = {}) => ({
  type: 'urn:aws-support-system:problem:x',
  title: 'Title',
  status,
  detail: 'What went wrong.',
  ...extra,
});

describe('a response that keeps to the document', () => {
  test.each([
    ['a created ticket', create, answer(201, { ...json, Location: `/tickets/${ID}`, ETag: '"1"' }, ticket)],
    [
      'a replayed create',
      create,
      answer(201, { ...json, Location: `/dev/tickets/${ID}`, ETag: '"1"', 'Idempotent-Replayed': 'true' }, ticket),
    ],
    [
      'a ticket with its history',
      get,
      answer(
        200,
        { ...json, ETag: '"2"' },
        {
          ...ticket,
          version: 2,
          history: [
            {
              version: 2,
              at: '2026-11-27T17:01:00.000Z',
              by: { id: 'ada', role: 'agent' },
              changes: [{ field: 'assigneeId', from: null, to: 'ada' }],
            },
          ],
        },
      ),
    ],
    [
      'a page',
      list,
      answer(200, { 'Content-Type': 'application/json; charset=utf-8' }, { items: [ticket], nextCursor: null }),
    ],
    [
      'a bad request with its fields',
      create,
      answer(
        400,
        problemJson,
        problem(400, { requestId: 'r-1', errors: [{ path: '/body/subject', message: 'is required' }] }),
      ),
    ],
    ['a stale If-Match', update, answer(412, problemJson, problem(412, { requestId: 'r-2' }))],
    ['throttling, with Retry-After', update, answer(429, { ...problemJson, 'Retry-After': '1' }, problem(429))],
    [
      "API Gateway's catch-all 5XX",
      get,
      answer(502, problemJson, { type: 'about:blank', title: 'Server error', detail: 'Failed.', requestId: 'r-3' }),
    ],
    ['an unknown route, refused', { method: 'DELETE', path: `/tickets/${ID}` }, answer(404, problemJson, problem(404))],
    ['a CORS preflight', { method: 'OPTIONS', path: '/tickets' }, answer(200, {})],
  ] as const)('%s', (_name, request, response) => {
    expect(() => {
      check(request, response);
    }).not.toThrow();
  });
});

describe('a response that breaks the document', () => {
  test.each([
    [
      'a field value outside its enum',
      get,
      answer(
        200,
        { ...json, ETag: '"1"' },
        { ...ticket, history: [], analysis: { ...ticket.analysis, status: 'done' } },
      ),
      'GET /tickets/{id} (getTicket) → 200 application/json: the body breaks its schema: /analysis/status must be equal to one of the allowed values (schema #/components/schemas/TicketAnalysis/properties/status/enum)',
    ],
    [
      'a field the API does not promise',
      create,
      answer(201, { ...json, Location: `/tickets/${ID}`, ETag: '"1"' }, { ...ticket, secret: 'x' }),
      'POST /tickets (createTicket) → 201 application/json: the body breaks its schema: (the whole value) must NOT have additional properties (secret)',
    ],
    [
      'a ticket without its history',
      get,
      answer(200, { ...json, ETag: '"1"' }, ticket),
      "must have required property 'history'",
    ],
    [
      'an undocumented status',
      list,
      answer(418, problemJson, problem(418)),
      'GET /tickets (listTickets) answered 418, which openapi.json does not document',
    ],
    [
      'a missing ETag',
      update,
      answer(200, json, ticket),
      'PATCH /tickets/{id} (updateTicket) → 200: the required header ETag is missing.',
    ],
    [
      'a Retry-After that is not a number of seconds',
      update,
      answer(503, { ...problemJson, 'Retry-After': 'soon' }, problem(503)),
      'PATCH /tickets/{id} (updateTicket) → 503: header Retry-After: "soon" /value must be integer',
    ],
    [
      'an error as plain JSON',
      update,
      answer(409, json, problem(409)),
      'PATCH /tickets/{id} (updateTicket) → 409: content type application/json is not documented (it documents application/problem+json).',
    ],
    [
      'a problem without its status',
      update,
      answer(409, problemJson, { type: 'about:blank', title: 'Conflict', detail: 'Closed.' }),
      "(the whole value) must have required property 'status'",
    ],
    [
      'an undocumented route answered',
      { method: 'DELETE', path: `/tickets/${ID}` },
      answer(204, {}),
      `DELETE /tickets/${ID} is not in openapi.json, yet the API answered it 204.`,
    ],
    [
      'an undocumented route refused without a problem',
      { method: 'DELETE', path: `/tickets/${ID}` },
      answer(404, { 'content-type': 'text/html' }, '<h1>Not Found</h1>'),
      `DELETE /tickets/${ID} was refused without a problem+json body.`,
    ],
  ] as const)('%s', (_name, request, response, message) => {
    expect(() => {
      check(request, response);
    }).toThrow(message);
  });
});
