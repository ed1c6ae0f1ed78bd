import { describe, expect, it } from '@jest/globals';
import { ApiError, parseRetryAfter, problemToApiError } from '../../web/src/api/problem.js';
import { commentsPath, queuePath, ticketPath } from '../../web/src/api/queries.js';
import { TICKET_STATUSES } from '../../layers/shared/src/domain/ticket-vocabulary.js';

describe('problem+json', () => {
  it("keeps the problem's title, detail and field errors", () => {
    const error = problemToApiError(
      400,
      'application/problem+json',
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The request is not valid.',
        errors: [{ path: '/priority', message: 'must be one of urgent, high, normal, low' }],
      },
      null,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      title: 'Bad Request',
      detail: 'The request is not valid.',
      errors: [{ path: '/priority', message: 'must be one of urgent, high, normal, low' }],
      retryAfter: null,
    });
  });

  it('reads Retry-After on 429 and 503, in seconds or as a date', () => {
    expect(problemToApiError(503, 'application/problem+json', { title: 'Service Unavailable' }, '2').retryAfter).toBe(
      2,
    );
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', Date.parse('2026-11-28T10:00:00Z'))).toBe(30);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it("names the status itself when the body is not a problem (API Gateway's 502, a proxy's page)", () => {
    expect(problemToApiError(502, 'application/json', { message: 'Internal server error' })).toMatchObject({
      status: 502,
      title: 'The API failed to answer',
      detail: null,
      errors: [],
    });
    expect(problemToApiError(404, 'text/html', '<h1>Not found</h1>')).toMatchObject({
      title: 'Not found',
      detail: null,
    });
    expect(problemToApiError(418, null, null).title).toBe('The API answered 418');
  });

  it('ignores problem fields of the wrong type', () => {
    const error = problemToApiError(409, 'application/problem+json', {
      title: 7,
      detail: '',
      errors: [1, { path: 2 }],
    });
    expect(error).toMatchObject({ title: 'Conflict', detail: null, errors: [{ path: '', message: '' }] });
  });
});

describe('queue queries', () => {
  it.each(TICKET_STATUSES)("asks for the agent's %s queue in triage order by default", (status) => {
    expect(queuePath({ role: 'agent', status, sort: 'priority' })).toBe(`/tickets?status=${status}&limit=25`);
  });

  it.each(TICKET_STATUSES)("asks for the agent's %s queue by due time", (status) => {
    expect(queuePath({ role: 'agent', status, sort: 'due' })).toBe(`/tickets?status=${status}&sort=due&limit=25`);
  });

  it('asks for the same query with the cursor for the next page', () => {
    expect(queuePath({ role: 'agent', status: 'open', sort: 'due', cursor: 'abc+/=', limit: 2 })).toBe(
      '/tickets?status=open&sort=due&limit=2&cursor=abc%2B%2F%3D',
    );
  });

  it("asks for a customer's own tickets with neither status nor sort", () => {
    expect(queuePath({ role: 'customer' })).toBe('/tickets?limit=25');
    expect(queuePath({ role: 'customer', cursor: 'next' })).toBe('/tickets?limit=25&cursor=next');
  });

  it("asks for a ticket and its conversation's pages", () => {
    expect(ticketPath('01JD0000000000000000000000')).toBe('/tickets/01JD0000000000000000000000');
    expect(commentsPath('01JD0000000000000000000000')).toBe('/tickets/01JD0000000000000000000000/comments?limit=50');
    expect(commentsPath('01JD0000000000000000000000', 'c')).toBe(
      '/tickets/01JD0000000000000000000000/comments?limit=50&cursor=c',
    );
  });
});
