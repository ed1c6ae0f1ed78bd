import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectProblem } from '../support/problem-details.js';
import type { ApiClient } from './support/api-client.js';
import { E2E_START_TIMEOUT_MS, testSystemPerFile } from './support/local-system.js';

/**
 * Service levels over HTTP, with targets set for this deployment through the
 * template parameter: due times on every ticket, the clock standing still
 * while the ticket waits on the customer, and an agent's queue by due time.
 * The urgent target here is longer than the normal one on purpose, so that
 * the due order differs from the triage order.
 */
const HOUR_MS = 3_600_000;

describe('service levels over HTTP', () => {
  const system = testSystemPerFile({
    parameterOverrides: { ServiceLevelTargets: 'urgent=10d/20d,normal=2h/1d' },
  });
  let carol: ApiClient;
  let ada: ApiClient;
  let urgentId: string;
  let normalId: string;

  beforeAll(async () => {
    carol = await system().clientAs({ sub: 'carol' });
    ada = await system().clientAs({ sub: 'ada', agent: true });
    const first = await carol.create({ subject: 'Export question', description: 'How do I export my data?' });
    const second = await carol.create({ subject: 'Another question', description: 'Where are my invoices?' });
    expect([first.status, second.status]).toEqual([201, 201]);
    urgentId = first.body.id;
    normalId = second.body.id;
    const raised = await ada.update(urgentId, { priority: 'urgent' });
    const kept = await ada.update(normalId, { priority: 'normal' });
    expect([raised.status, kept.status]).toEqual([200, 200]);
  }, E2E_START_TIMEOUT_MS);

  test("a ticket's due times follow this deployment's targets for its priority", async () => {
    const { body: normal } = await carol.get(normalId);
    const created = Date.parse(normal.createdAt);
    expect(Date.parse(normal.sla.firstResponseDueAt) - created).toBe(2 * HOUR_MS);
    expect(Date.parse(normal.sla.resolutionDueAt) - created).toBe(24 * HOUR_MS);
    expect(normal.sla).toMatchObject({ pausedSince: null, breached: [] });

    const { body: urgent } = await ada.get(urgentId);
    expect(Date.parse(urgent.sla.firstResponseDueAt) - Date.parse(urgent.createdAt)).toBe(10 * 24 * HOUR_MS);
  });

  test('the triage queue puts urgent first; the queue by due time puts first what is due first', async () => {
    const triage = await ada.list({ status: 'open' });
    const byDue = await ada.list({ status: 'open', sort: 'due' });
    expect([triage.status, byDue.status]).toEqual([200, 200]);
    expect(triage.body.items.map((ticket) => ticket.id)).toEqual([urgentId, normalId]);
    expect(byDue.body.items.map((ticket) => ticket.id)).toEqual([normalId, urgentId]);

    const firstPage = await ada.list({ status: 'open', sort: 'due', limit: '1' });
    expect(firstPage.body.items.map((ticket) => ticket.id)).toEqual([normalId]);
    const secondPage = await ada.list({ status: 'open', sort: 'due', limit: '1', cursor: firstPage.body.nextCursor! });
    expect(secondPage.body.items.map((ticket) => ticket.id)).toEqual([urgentId]);
  });

  test('waiting on the customer stops the clock; the customer answering restarts it', async () => {
    const reply = await ada.addComment(normalId, { body: 'Which browser do you use?' });
    expect(reply.status).toBe(201);
    const waiting = await carol.get(normalId);
    expect(waiting.body.status).toBe('waiting_on_customer');
    expect(waiting.body.sla.pausedSince).toBe(reply.body.createdAt);
    expect(waiting.body.firstResponseAt).toBe(reply.body.createdAt);

    const answer = await carol.addComment(normalId, { body: 'Firefox.' });
    expect(answer.status).toBe(201);
    const back = await ada.get(normalId);
    expect(back.body.status).toBe('open');
    expect(back.body.sla.pausedSince).toBeNull();
    const stopped = Date.parse(answer.body.createdAt) - Date.parse(reply.body.createdAt);
    expect(Date.parse(back.body.sla.resolutionDueAt) - Date.parse(waiting.body.sla.resolutionDueAt)).toBe(stopped);
    // The first response was given: its due time no longer moves.
    expect(back.body.sla.firstResponseDueAt).toBe(waiting.body.sla.firstResponseDueAt);
  });

  test.each([
    ['a customer asking for a queue', 'carol', { status: 'open', sort: 'due' }],
    ['no status', 'ada', { sort: 'due' }],
    ['a priority with the due order', 'ada', { status: 'open', sort: 'due', priority: 'high' }],
    ['an unknown order', 'ada', { status: 'open', sort: 'oldest' }],
  ])('%s: 400', async (_case, who, query) => {
    const answer = await (who === 'ada' ? ada : carol).list(query);
    expectProblem(answer, 400);
  });
});
