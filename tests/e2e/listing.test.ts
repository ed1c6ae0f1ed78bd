import { beforeAll, describe, expect, test } from '@jest/globals';
import type { TicketBody } from '../support/api-bodies.js';
import { expectProblem } from '../support/problem-details.js';
import type { ApiClient } from './support/api-client.js';
import { E2E_START_TIMEOUT_MS, testSystemPerFile } from './support/local-system.js';

/**
 * GET /tickets over HTTP: pagination, what each caller may see, the agents'
 * triage order, and the 400s of its query (limit, filters, cursor).
 */
describe('listing tickets over HTTP', () => {
  const system = testSystemPerFile();
  let dora: ApiClient;
  let eve: ApiClient;
  let ada: ApiClient;
  const doraIds: string[] = [];
  let eveId: string;
  const idsOf = (items: TicketBody[]) => items.map((ticket) => ticket.id);

  beforeAll(async () => {
    dora = await system().clientAs({ sub: 'dora' });
    eve = await system().clientAs({ sub: 'eve' });
    ada = await system().clientAs({ sub: 'ada', agent: true });
    for (let index = 0; index < 7; index++) {
      const answer = await dora.create({
        subject: `Question ${index}`,
        description: `How do I change setting number ${index}?`,
      });
      expect(answer.status).toBe(201);
      doraIds.push(answer.body.id);
    }
    const eves = await eve.create({ subject: 'Eve only', description: 'How do I export my data?' });
    expect(eves.status).toBe(201);
    eveId = eves.body.id;
  }, E2E_START_TIMEOUT_MS);

  test('a customer sees only their own tickets, newest first', async () => {
    const answer = await dora.list({ limit: '100' });
    expect(answer.status).toBe(200);
    expect(idsOf(answer.body.items)).toEqual([...doraIds].reverse());
    expect(answer.body.nextCursor).toBeNull();
    const theirs = await eve.list();
    expect(theirs.body.items.map((ticket) => ticket.subject)).toEqual(['Eve only']);
  });

  test('pages with an opaque cursor until nextCursor is null, each ticket exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await dora.list({ limit: '3', ...(cursor && { cursor }) });
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...idsOf(answer.body.items));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...doraIds].reverse());
    expect(pages).toBe(3);
  });

  test("400 for a tampered cursor, another customer's cursor and a cursor that is not one of ours", async () => {
    const { body: page } = await dora.list({ limit: '2' });
    const cursor = page.nextCursor!;
    const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BB' : 'AA'}`;
    expectProblem(await dora.list({ cursor: tampered }), 400);
    expectProblem(await eve.list({ cursor }), 400);
    expectProblem(await dora.list({ cursor: 'bm90LWEtY3Vyc29y' }), 400);
  });

  test('400 for a limit outside 1–100 or an unknown filter value', async () => {
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: '101' },
      { status: 'done' },
      { priority: 'whenever' },
    ];
    for (const query of queries) {
      expectProblem(await dora.list(query), 400);
    }
  });

  test('an agent sees every ticket, newest first; a customer filtering sees only their own', async () => {
    const all = await ada.list({ limit: '100' });
    expect(all.status).toBe(200);
    // Other tests here add tickets of their own: only the ones created for this file's listing count.
    const created = new Set([...doraIds, eveId]);
    const ids = idsOf(all.body.items).filter((id) => created.has(id));
    expect(ids).toEqual([eveId, ...[...doraIds].reverse()]);

    const filtered = await eve.list({ status: 'open' });
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.map((ticket) => [ticket.id, ticket.subject])).toEqual([[eveId, 'Eve only']]);
  });

  test('an agent filtering by status sees the triage order: priority first, then oldest first', async () => {
    const frank = await system().clientAs({ sub: 'frank' });
    const calmOld = (
      await frank.create({ subject: 'Colour', description: 'How do I change the colour of my dashboard?' })
    ).body;
    const outage = (
      await frank.create({
        subject: 'Outage',
        description: 'Our production database is down and we are losing money, please help ASAP!',
      })
    ).body;
    const calmNew = (await frank.create({ subject: 'Font', description: 'How do I change the font of my reports?' }))
      .body;
    for (const ticket of [calmOld, outage, calmNew]) {
      expect((await ada.update(ticket.id, { status: 'waiting_on_customer' })).status).toBe(200);
    }
    const queue = await ada.list({ status: 'waiting_on_customer' });
    expect(queue.status).toBe(200);
    const mine = new Set([calmOld.id, outage.id, calmNew.id]);
    const order = idsOf(queue.body.items).filter((id) => mine.has(id));
    expect(order).toEqual([outage.id, calmOld.id, calmNew.id]);
    expect(outage.priority).toBe('urgent');
    expect(calmOld.priority).toBe(calmNew.priority);
  });
});
