import { describe, expect, test } from '@jest/globals';
import { expectProblem } from '../../support/problem-details.js';
import { callApi } from '../support/api-client.js';
import { expectFromGateway } from '../support/answer-origin.js';
import { contractTargetPerFile } from '../support/contract-target.js';
import { SEVERAL_ORIGINS } from '../support/cors.js';
import {
  EVERY_ROUTE,
  resignedWithAnotherKey,
  UNAUTHORIZED,
  unauthorizedExchange,
  UNKNOWN_ID,
  unsigned,
} from '../support/unauthorized.js';

/**
 * Who may call what, over HTTP. API Gateway's Cognito authorizer (and the
 * local API, which verifies tokens as it does) lets through only a valid ID
 * token: anything else is the UNAUTHORIZED gateway response (401), before any
 * function runs. The `agents` group makes an agent; a customer may read and
 * change only their own tickets: another customer's is 404, the same answer
 * as for a ticket that does not exist, and a change only agents may make is
 * 403. A forged token is made from a real one of the target's, so that it
 * names the target's issuer and audience and only its signature is wrong.
 * Tokens only the local signing key can make are in ../auth.test.ts.
 */

const QUESTION = { subject: 'Export question', description: 'How do I export my invoices as a CSV file?' };

describe('authentication over HTTP', () => {
  // Locally with several origins: API Gateway's 401 then echoes the request's Origin.
  const target = contractTargetPerFile({ local: { parameterOverrides: { AllowedOrigins: SEVERAL_ORIGINS } } });
  const question = () => ({ ...QUESTION, subject: target().subject(QUESTION.subject) });

  const forgedTokens: [string, () => Promise<string | null>][] = [
    ['no token', () => Promise.resolve(null)],
    ['a string that is not a token', () => Promise.resolve('not-a-token')],
    [
      "a customer's token claiming the agents group, signed again with another key",
      () => resignedWithAnotherKey(target().customer.token),
    ],
    [
      "a customer's token claiming the agents group, unsigned (alg: none)",
      () => Promise.resolve(unsigned(target().customer.token)),
    ],
    [
      "a customer's token with a tampered payload (the agent's sub and group)",
      () => {
        const [header, payload, signature] = target().customer.token.split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        const tampered = Buffer.from(
          JSON.stringify({ ...claims, sub: target().agent.id, 'cognito:groups': ['agents'], exp: 9999999999 }),
        ).toString('base64url');
        return Promise.resolve(`${header ?? ''}.${tampered}.${signature ?? ''}`);
      },
    ],
  ];

  test.each(forgedTokens)('401 for %s, on every route, from API Gateway', async (_case, makeToken) => {
    const token = await makeToken();
    const { requestHeaders, answerHeaders } = unauthorizedExchange(target().parameters.AllowedOrigins ?? '');
    for (const request of EVERY_ROUTE) {
      const answer = await callApi(target().apiUrl, { ...request, token, headers: requestHeaders });
      expectProblem(answer, 401);
      expectFromGateway(answer, UNAUTHORIZED, answerHeaders);
    }
  });

  test('a valid token is accepted, with or without the Bearer prefix', async () => {
    const { token } = target().customer;
    expect((await callApi(target().apiUrl, { method: 'GET', path: '/tickets', token })).status).toBe(200);
    const bare = await target().anonymous.call({ method: 'GET', path: '/tickets', headers: { Authorization: token } });
    expect(bare.status).toBe(200);
  });

  test("the agents group makes an agent; a customer's token does not", async () => {
    const customer = target().customer.client;
    const agent = target().agent.client;
    const created = await customer.create({
      subject: target().subject('Hello'),
      description: 'How do I change my e-mail address?',
    });
    expect(created.status).toBe(201);
    const triage = { status: 'in_progress', priority: 'high' };
    expect((await customer.update(created.body.id, triage)).status).toBe(403);
    expect((await agent.update(created.body.id, triage)).status).toBe(200);
  });

  test('403 when a requester changes what only agents may; they may close their own ticket', async () => {
    const customer = target().customer.client;
    const { body: ticket } = await customer.create(question());
    expectProblem(await customer.update(ticket.id, { priority: 'urgent' }), 403);
    expect((await customer.update(ticket.id, { status: 'closed' })).status).toBe(200);
  });

  test("404 when reading another customer's ticket: the same answer as for one that does not exist", async () => {
    const customer = target().customer.client;
    const otherCustomer = target().otherCustomer.client;
    const { body: ticket } = await customer.create(question());
    const theirs = expectProblem(await otherCustomer.get(ticket.id), 404);
    const missing = expectProblem(await otherCustomer.get(UNKNOWN_ID), 404);
    expect(theirs.detail.replace(ticket.id, 'ID')).toBe(missing.detail.replace(UNKNOWN_ID, 'ID'));
  });

  test("404 when changing another customer's ticket", async () => {
    const customer = target().customer.client;
    const otherCustomer = target().otherCustomer.client;
    const { body: ticket } = await customer.create(question());
    expectProblem(await otherCustomer.update(ticket.id, { status: 'closed' }), 404);
  });
});
