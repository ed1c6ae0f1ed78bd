import { expect } from '@jest/globals';
import { checkResponse } from './contract-check.js';
import type {
  CommentBody,
  CommentPageBody,
  TicketBody,
  TicketPageBody,
  TicketWithHistoryBody,
} from '../../support/api-bodies.js';
import type { ApiRequest, ApiResponse } from './api-types.js';

/**
 * The one way an e2e test calls the API: every response goes through
 * checkResponse before the test sees it, and a 500 fails the test. The body is typed as what the
 * contract says the route returns on success; an error answer's body is read
 * through expectProblem.
 */
export async function callApi<Body = unknown>(apiUrl: string, request: ApiRequest): Promise<ApiResponse<Body>> {
  const headers = new Headers(request.headers);
  if (request.token) headers.set('Authorization', `Bearer ${request.token}`);
  let body: string | undefined;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
  }
  const answer = await fetch(`${apiUrl}${request.path}`, { method: request.method, headers, body });
  const text = await answer.text();
  const response: ApiResponse = { status: answer.status, headers: answer.headers, body: parseJson(text, request) };
  checkResponse(request, response);
  // The document allows a 500 (a fault can happen), but no request an e2e test sends may cause one.
  if (response.status === 500) {
    throw new Error(`${request.method} ${request.path} answered 500: ${text}`);
  }
  return response as ApiResponse<Body>;
}

function parseJson(text: string, request: ApiRequest): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${request.method} ${request.path} answered with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Where the API listens now: a restarted system may listen elsewhere. */
export interface ApiLocation {
  readonly apiUrl: string;
}

export type RequestExtras = Pick<ApiRequest, 'headers'>;

/** The routes, for one caller (a null token calls without one). */
export function clientFor(api: ApiLocation, token: string | null) {
  const send = <Body>(request: Omit<ApiRequest, 'token'>) => callApi<Body>(api.apiUrl, { ...request, token });
  return {
    create: (body: unknown, headers?: Record<string, string>) =>
      send<TicketBody>({ method: 'POST', path: '/tickets', body, headers }),
    get: (id: string) => send<TicketWithHistoryBody>({ method: 'GET', path: `/tickets/${id}` }),
    update: (id: string, body: unknown, headers?: Record<string, string>) =>
      send<TicketWithHistoryBody>({ method: 'PATCH', path: `/tickets/${id}`, body, headers }),
    list: (query: Record<string, string> = {}) => {
      const search = new URLSearchParams(query).toString();
      return send<TicketPageBody>({ method: 'GET', path: `/tickets${search ? `?${search}` : ''}` });
    },
    addComment: (id: string, body: unknown, headers?: Record<string, string>) =>
      send<CommentBody>({ method: 'POST', path: `/tickets/${id}/comments`, body, headers }),
    listComments: (id: string, query: Record<string, string> = {}) => {
      const search = new URLSearchParams(query).toString();
      return send<CommentPageBody>({ method: 'GET', path: `/tickets/${id}/comments${search ? `?${search}` : ''}` });
    },
    getComment: (id: string, commentId: string) =>
      send<CommentBody>({ method: 'GET', path: `/tickets/${id}/comments/${commentId}` }),
    /** Any other request, with this caller's token. */
    call: <Body = unknown>(request: Omit<ApiRequest, 'token'>) => send<Body>(request),
  };
}

export type ApiClient = ReturnType<typeof clientFor>;

/** Every ticket the caller's list query gives, following nextCursor to the end. */
export async function everyTicket(caller: ApiClient, query: Record<string, string> = {}): Promise<TicketBody[]> {
  const tickets: TicketBody[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<ApiClient['list']>> = await caller.list({
      limit: '100',
      ...query,
      ...(cursor === null ? {} : { cursor }),
    });
    expect(page.status).toBe(200);
    tickets.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return tickets;
}
