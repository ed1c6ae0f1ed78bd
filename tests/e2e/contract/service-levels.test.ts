import { beforeAll, describe, expect, test } from '@jest/globals';
import { serviceLevelTargetsFrom } from '../../../layers/shared/src/domain/service-levels.js';
import { expectProblem } from '../../support/problem-details.js';
import type { ApiClient } from '../support/api-client.js';
import { contractTargetPerFile } from '../support/contract-target.js';
import { E2E_START_TIMEOUT_MS } from '../support/local-system.js';

/**
 * Service levels over HTTP: due times on every ticket following the
 * deployment's targets (its ServiceLevelTargets parameter: set here for the
 * local system, the stack's own when deployed), the clock standing still
 * while the ticket waits on the customer, and the queue's 400s. The order of
 * an agent's queue by due time needs a queue of this file's tickets alone:
 * it is local-only, in ../service-levels.test.ts.
 */
const MINUTE_MS = 60_000;

describe('service levels over HTTP', () => {
  const target = contractTargetPerFile({
    local: { parameterOverrides: { ServiceLevelTargets: 'urgent=10d/20d,normal=2h/1d' } },
  });
  let customer: ApiClient;
  let agent: ApiClient;
  let urgentId: string;
  let normalId: string;

  beforeAll(async () => {
    customer = target().customer.client;
    agent = target().agent.client;
    const first = await customer.create({
      subject: target().subject('Export question'),
      description: 'How do I export my data?',
    });
    const second = await customer.create({
      subject: target().subject('Another question'),
      description: 'Where are my invoices?',
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    urgentId = first.body.id;
    normalId = second.body.id;
    const raised = await agent.update(urgentId, { priority: 'urgent' });
    const kept = await agent.update(normalId, { priority: 'normal' });
    expect([raised.status, kept.status]).toEqual([200, 200]);
  }, E2E_START_TIMEOUT_MS);

  test("a ticket's due times follow this deployment's targets for its priority", async () => {
    const targets = serviceLevelTargetsFrom(target().parameters.ServiceLevelTargets ?? '');
    const { body: normal } = await customer.get(normalId);
    const created = Date.parse(normal.createdAt);
    expect(Date.parse(normal.sla.firstResponseDueAt) - created).toBe(targets.normal.firstResponseMinutes * MINUTE_MS);
    expect(Date.parse(normal.sla.resolutionDueAt) - created).toBe(targets.normal.resolutionMinutes * MINUTE_MS);
    expect(normal.sla).toMatchObject({ pausedSince: null, breached: [] });

    const { body: urgent } = await agent.get(urgentId);
    expect(Date.parse(urgent.sla.firstResponseDueAt) - Date.parse(urgent.createdAt)).toBe(
      targets.urgent.firstResponseMinutes * MINUTE_MS,
    );
  });

  test('waiting on the customer stops the clock; the customer answering restarts it', async () => {
    const reply = await agent.addComment(normalId, { body: 'Which browser do you use?' });
    expect(reply.status).toBe(201);
    const waiting = await customer.get(normalId);
    expect(waiting.body.status).toBe('waiting_on_customer');
    expect(waiting.body.sla.pausedSince).toBe(reply.body.createdAt);
    expect(waiting.body.firstResponseAt).toBe(reply.body.createdAt);

    const answer = await customer.addComment(normalId, { body: 'Firefox.' });
    expect(answer.status).toBe(201);
    const back = await agent.get(normalId);
    expect(back.body.status).toBe('open');
    expect(back.body.sla.pausedSince).toBeNull();
    const stopped = Date.parse(answer.body.createdAt) - Date.parse(reply.body.createdAt);
    expect(Date.parse(back.body.sla.resolutionDueAt) - Date.parse(waiting.body.sla.resolutionDueAt)).toBe(stopped);
    // The first response was given: its due time no longer moves.
    expect(back.body.sla.firstResponseDueAt).toBe(waiting.body.sla.firstResponseDueAt);
  });

  test.each([
    ['a customer asking for a queue', 'customer', { status: 'open', sort: 'due' }],
    ['no status', 'agent', { sort: 'due' }],
    ['a priority with the due order', 'agent', { status: 'open', sort: 'due', priority: 'high' }],
    ['an unknown order', 'agent', { status: 'open', sort: 'oldest' }],
  ])('%s: 400', async (_case, who, query) => {
    const answer = await (who === 'agent' ? agent : customer).list(query);
    expectProblem(answer, 400);
  });
});
