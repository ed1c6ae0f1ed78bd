import { beforeAll, describe, expect, test } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { expectProblem } from '../support/problem-details.js';
import { callApi, everyTicket, type ApiClient } from './support/api-client.js';
import type { ApiRequest } from './support/api-types.js';
import { testSystemPerFile } from './support/local-system.js';
import { resignedWithAnotherKey, signedBy, unsigned } from './support/unauthorized.js';

/**
 * Who may call what, as a matrix: every route, called with each kind of
 * token, answers exactly the code its cell names. Forged, expired and
 * not-yet-valid tokens are refused by the authorizer (401) before any
 * function runs; another customer finds no ticket of alice's (404, never
 * 403); the requester and an agent get their answers. Each cell works on a
 * ticket (and comment) of its own, so no cell's change decides another's.
 */

type TokenCase =
  | 'no token'
  | 'bad signature'
  | 'alg: none'
  | 'HS256 keyed with the public key'
  | 'wrong kid'
  | 'expired'
  | 'not yet valid'
  | 'another customer'
  | 'the requester'
  | 'an agent';

type Route =
  | 'POST /tickets'
  | 'GET /tickets'
  | 'GET /tickets/{id}'
  | 'PATCH /tickets/{id}'
  | 'POST /tickets/{id}/comments'
  | 'GET /tickets/{id}/comments'
  | 'GET /tickets/{id}/comments/{commentId}';

const REFUSED: TokenCase[] = [
  'no token',
  'bad signature',
  'alg: none',
  'HS256 keyed with the public key',
  'wrong kid',
  'expired',
  'not yet valid',
];

/** What each caller who gets past the authorizer is answered, per route. */
const ANSWERED: Record<Route, Record<'another customer' | 'the requester' | 'an agent', number>> = {
  'POST /tickets': { 'another customer': 201, 'the requester': 201, 'an agent': 201 },
  'GET /tickets': { 'another customer': 200, 'the requester': 200, 'an agent': 200 },
  'GET /tickets/{id}': { 'another customer': 404, 'the requester': 200, 'an agent': 200 },
  'PATCH /tickets/{id}': { 'another customer': 404, 'the requester': 200, 'an agent': 200 },
  'POST /tickets/{id}/comments': { 'another customer': 404, 'the requester': 201, 'an agent': 201 },
  'GET /tickets/{id}/comments': { 'another customer': 404, 'the requester': 200, 'an agent': 200 },
  'GET /tickets/{id}/comments/{commentId}': { 'another customer': 404, 'the requester': 200, 'an agent': 200 },
};

const ROUTES = Object.keys(ANSWERED) as Route[];

/** The request of a route, about alice's ticket and comment; a PATCH each caller may make. */
function requestFor(
  route: Route,
  ticketId: string,
  commentId: string,
  tokenCase: TokenCase,
): Omit<ApiRequest, 'token'> {
  switch (route) {
    case 'POST /tickets':
      return {
        method: 'POST',
        path: '/tickets',
        body: { subject: 'Login fails', description: 'The login page says no.' },
      };
    case 'GET /tickets':
      return { method: 'GET', path: '/tickets' };
    case 'GET /tickets/{id}':
      return { method: 'GET', path: `/tickets/${ticketId}` };
    case 'PATCH /tickets/{id}':
      // A requester may close their ticket; an agent may triage it.
      return {
        method: 'PATCH',
        path: `/tickets/${ticketId}`,
        body: tokenCase === 'an agent' ? { priority: 'high' } : { status: 'closed' },
      };
    case 'POST /tickets/{id}/comments':
      return { method: 'POST', path: `/tickets/${ticketId}/comments`, body: { body: 'Any news?' } };
    case 'GET /tickets/{id}/comments':
      return { method: 'GET', path: `/tickets/${ticketId}/comments` };
    case 'GET /tickets/{id}/comments/{commentId}':
      return { method: 'GET', path: `/tickets/${ticketId}/comments/${commentId}` };
  }
}

describe('the auth matrix: every route × every kind of token', () => {
  const system = testSystemPerFile();
  let alice: ApiClient;
  const tokens = new Map<TokenCase, string | null>();

  /** Alice's real token, with its header and claims changed as `change` says, signed with the local key. */
  async function locallySigned(change: {
    header?: Record<string, unknown>;
    claims?: Record<string, unknown>;
  }): Promise<string> {
    const real = await system().token({ sub: 'alice' });
    const header = { ...decodeProtectedHeader(real), ...change.header };
    return new SignJWT({ ...decodeJwt(real), ...change.claims })
      .setProtectedHeader({ ...header, alg: header.alg ?? 'ES256' })
      .sign(system().signingKey.privateKey);
  }

  beforeAll(async () => {
    alice = await system().clientAs({ sub: 'alice' });
    const aliceToken = await system().token({ sub: 'alice' });
    const nowSeconds = Math.floor(Date.now() / 1000);
    tokens.set('no token', null);
    tokens.set('bad signature', await resignedWithAnotherKey(aliceToken));
    tokens.set('alg: none', unsigned(aliceToken));
    tokens.set(
      'HS256 keyed with the public key',
      await signedBy(
        new TextEncoder().encode(JSON.stringify(await crypto.subtle.exportKey('jwk', system().signingKey.publicKey))),
        'HS256',
      ),
    );
    tokens.set('wrong kid', await locallySigned({ header: { kid: 'another-key' } }));
    tokens.set('expired', await system().token({ sub: 'alice', expiresInSeconds: -30 }));
    tokens.set('not yet valid', await locallySigned({ claims: { nbf: nowSeconds + 3600 } }));
    tokens.set('another customer', await system().token({ sub: 'bob' }));
    tokens.set('the requester', aliceToken);
    tokens.set('an agent', await system().token({ sub: 'ada', agent: true }));
  });

  /** A ticket of alice's with a public comment of hers, for one cell. */
  async function aliceTicketWithComment(): Promise<{ ticketId: string; commentId: string }> {
    const ticket = await alice.create({ subject: 'Invoice', description: 'My invoice shows the wrong amount.' });
    expect(ticket.status).toBe(201);
    const comment = await alice.addComment(ticket.body.id, { body: 'It is invoice 2291.' });
    expect(comment.status).toBe(201);
    return { ticketId: ticket.body.id, commentId: comment.body.id };
  }

  const cells = ROUTES.flatMap((route) =>
    [...REFUSED, 'another customer', 'the requester', 'an agent'].map((tokenCase) => [route, tokenCase as TokenCase]),
  ) as [Route, TokenCase][];

  test.each(cells)('%s with %s', async (route, tokenCase) => {
    const { ticketId, commentId } = await aliceTicketWithComment();
    const answer = await callApi(system().apiUrl, {
      ...requestFor(route, ticketId, commentId, tokenCase),
      token: tokens.get(tokenCase) ?? null,
    });

    if (REFUSED.includes(tokenCase)) {
      expectProblem(answer, 401);
      return;
    }
    const expected = ANSWERED[route][tokenCase as keyof (typeof ANSWERED)[Route]];
    if (expected >= 400) expectProblem(answer, expected);
    else expect(answer.status).toBe(expected);
  });

  test('the table holds exactly the tickets answered 201: none from a refused token', async () => {
    const ada = await system().clientAs({ sub: 'ada', agent: true });
    const byRequester = new Map<string, number>();
    for (const ticket of await everyTicket(ada)) {
      byRequester.set(ticket.requester.id, (byRequester.get(ticket.requester.id) ?? 0) + 1);
    }
    // One of alice's per cell, plus POST /tickets by the three callers the authorizer lets through.
    expect(Object.fromEntries(byRequester)).toEqual({ alice: cells.length + 1, bob: 1, ada: 1 });
  });
});
