import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ApiClient } from '../../web/src/api/client.js';
import { ApiError } from '../../web/src/api/problem.js';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  jest.useRealTimers();
});

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Answers each request in turn with the given responses, recording what was sent. */
function fakeFetch(...responses: (() => Response)[]): Sent[] {
  const sent: Sent[] = [];
  globalThis.fetch = ((input: string, init: RequestInit) => {
    sent.push({
      url: input,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? init.body : null,
    });
    const next = responses.shift();
    return next ? Promise.resolve(next()) : Promise.reject(new TypeError('no more answers'));
  }) as typeof fetch;
  return sent;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
    });

const client = (overrides: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) =>
  new ApiClient({ baseUrl: 'http://api.test', idToken: 'id-token', onUnauthorized: () => undefined, ...overrides });

describe('the API client', () => {
  it('sends the ID token as a bearer token and keeps the ETag exactly as sent', async () => {
    const sent = fakeFetch(json(200, { id: 't1' }, { ETag: '"4"' }));
    const answer = await client().get<{ id: string }>('/tickets/t1');
    expect(answer).toEqual({ body: { id: 't1' }, etag: '"4"' });
    expect(sent).toEqual([
      {
        url: 'http://api.test/tickets/t1',
        method: 'GET',
        headers: { Accept: 'application/json', Authorization: 'Bearer id-token' },
        body: null,
      },
    ]);
  });

  it('changes a ticket with If-Match and a JSON body of the changed fields only', async () => {
    const sent = fakeFetch(json(200, { id: 't1' }, { ETag: '"5"' }));
    await client().patch('/tickets/t1', { priority: 'urgent' }, '"4"');
    expect(sent[0]).toMatchObject({
      method: 'PATCH',
      headers: { 'If-Match': '"4"', 'Content-Type': 'application/json' },
      body: '{"priority":"urgent"}',
    });
  });

  it('posts with the Idempotency-Key of the draft', async () => {
    const sent = fakeFetch(json(201, { id: 'c1' }));
    await client().post('/tickets/t1/comments', { body: 'Hi', visibility: 'internal' }, 'key-1');
    expect(sent[0]).toMatchObject({
      method: 'POST',
      headers: { 'Idempotency-Key': 'key-1' },
      body: '{"body":"Hi","visibility":"internal"}',
    });
  });

  it('throws the problem as an ApiError and never retries a change by itself', async () => {
    const sent = fakeFetch(json(412, { title: 'Precondition Failed', status: 412, detail: 'The ticket has changed.' }));
    const error = await client()
      .patch('/tickets/t1', { status: 'closed' }, '"1"')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 412, title: 'Precondition Failed', detail: 'The ticket has changed.' });
    expect(sent).toHaveLength(1);
  });

  it('retries a GET once after Retry-After when the API is busy, and says so', async () => {
    jest.useFakeTimers();
    const busy = jest.fn<(seconds: number) => void>();
    const sent = fakeFetch(
      json(503, { title: 'Service Unavailable', status: 503 }, { 'Retry-After': '2' }),
      json(200, []),
    );
    const answer = client({ onBusy: busy }).get('/tickets?limit=25');
    await jest.advanceTimersByTimeAsync(2000);
    await expect(answer).resolves.toMatchObject({ body: [] });
    expect(busy).toHaveBeenCalledWith(2);
    expect(sent).toHaveLength(2);
  });

  it('gives up after one retry', async () => {
    jest.useFakeTimers();
    const sent = fakeFetch(
      json(429, { title: 'Too Many Requests' }, { 'Retry-After': '1' }),
      json(429, { title: 'Too Many Requests' }),
    );
    const answer = client()
      .get('/tickets')
      .catch((caught: unknown) => caught);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(answer).resolves.toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(sent).toHaveLength(2);
  });

  it('ends the session on 401', async () => {
    const unauthorized = jest.fn();
    fakeFetch(json(401, { title: 'Unauthorized', status: 401 }));
    await expect(client({ onUnauthorized: unauthorized }).get('/tickets')).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toHaveBeenCalledTimes(1);
  });

  it('reports an API it cannot reach', async () => {
    fakeFetch();
    await expect(client().get('/tickets')).rejects.toMatchObject({ status: 0, title: 'The API could not be reached' });
  });
});
