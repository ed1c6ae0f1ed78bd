import { beforeAll, describe, expect, test } from '@jest/globals';
import type { ApiClient } from './support/api-client.js';
import { E2E_START_TIMEOUT_MS, testSystemPerFile } from './support/local-system.js';

/**
 * An agent's queue by due time, with targets set for this deployment through
 * the template parameter. The urgent target here is longer than the normal
 * one on purpose, so that the due order differs from the triage order. The
 * queues must hold this file's tickets alone, which only a local system of
 * its own promises; the rest of the service levels' contract is in
 * contract/service-levels.test.ts.
 */
describe('service levels over HTTP: the queue by due time', () => {
  const system = testSystemPerFile({
    parameterOverrides: { ServiceLevelTargets: 'urgent=10d/20d,normal=2h/1d' },
  });
  let ada: ApiClient;
  let urgentId: string;
  let normalId: string;

  beforeAll(async () => {
    const carol = await system().clientAs({ sub: 'carol' });
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
});
