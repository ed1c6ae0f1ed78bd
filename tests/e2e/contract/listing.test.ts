import { beforeAll, describe, expect, test } from '@jest/globals';
import type { TicketBody } from '../../support/api-bodies.js';
import { expectProblem } from '../../support/problem-details.js';
import { everyTicket, type ApiClient } from '../support/api-client.js';
import { contractTargetPerFile, createSettled, settlingTimeout } from '../support/contract-target.js';
import { E2E_START_TIMEOUT_MS } from '../support/local-system.js';

/**
 * GET /tickets over HTTP: pagination, what each caller may see, the agents'
 * triage order, and the 400s of its query (limit, filters, cursor).
 *
 * On a deployed stack the run's customers may already have tickets from the
 * suite's other files, and agents see every run's: what a customer had before
 * this file's tickets is read first and expected after them (locally there is
 * none), and what agents see is narrowed to this file's tickets.
 */
describe('listing tickets over HTTP', () => {
  const target = contractTargetPerFile();
  let customer: ApiClient;
  let otherCustomer: ApiClient;
  let agent: ApiClient;
  const customerIds: string[] = [];
  let otherCustomerId: string;
  /** Each customer's tickets from before this file's, newest first. */
  let customerEarlier: TicketBody[];
  let otherCustomerEarlier: TicketBody[];
  const idsOf = (items: TicketBody[]) => items.map((ticket) => ticket.id);
  /** The customer's tickets this file expects, newest first. */
  const customerExpected = () => [...[...customerIds].reverse(), ...idsOf(customerEarlier)];

  beforeAll(async () => {
    customer = target().customer.client;
    otherCustomer = target().otherCustomer.client;
    agent = target().agent.client;
    customerEarlier = await everyTicket(customer);
    otherCustomerEarlier = await everyTicket(otherCustomer);
    for (let index = 0; index < 7; index++) {
      const answer = await customer.create({
        subject: target().subject(`Question ${index}`),
        description: `How do I change setting number ${index}?`,
      });
      expect(answer.status).toBe(201);
      customerIds.push(answer.body.id);
    }
    const theirs = await otherCustomer.create({
      subject: target().subject('Eve only'),
      description: 'How do I export my data?',
    });
    expect(theirs.status).toBe(201);
    otherCustomerId = theirs.body.id;
  }, E2E_START_TIMEOUT_MS);

  test('a customer sees only their own tickets, newest first', async () => {
    const answer = await customer.list({ limit: '100' });
    expect(answer.status).toBe(200);
    expect(idsOf(answer.body.items)).toEqual(customerExpected());
    expect(answer.body.nextCursor).toBeNull();
    const theirs = await otherCustomer.list();
    expect(theirs.body.items.map((ticket) => ticket.subject)).toEqual(
      [target().subject('Eve only'), ...otherCustomerEarlier.map((ticket) => ticket.subject)].slice(0, 20),
    );
  });

  test('pages with an opaque cursor until nextCursor is null, each ticket exactly once', async () => {
    const expected = customerExpected();
    const expectedPages = Math.ceil(expected.length / 3);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer: Awaited<ReturnType<ApiClient['list']>> = await customer.list({
        limit: '3',
        ...(cursor && { cursor }),
      });
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...idsOf(answer.body.items));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor && pages <= expectedPages);
    expect(seen).toEqual(expected);
    expect(pages).toBe(expectedPages);
  });

  test("400 for a tampered cursor, another customer's cursor and a cursor that is not one of ours", async () => {
    const { body: page } = await customer.list({ limit: '2' });
    const cursor = page.nextCursor!;
    const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BB' : 'AA'}`;
    expectProblem(await customer.list({ cursor: tampered }), 400);
    expectProblem(await otherCustomer.list({ cursor }), 400);
    expectProblem(await customer.list({ cursor: 'bm90LWEtY3Vyc29y' }), 400);
  });

  test('400 for a limit outside 1–100 or an unknown filter value', async () => {
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: '101' },
      { status: 'done' },
      { priority: 'whenever' },
    ];
    for (const query of queries) {
      expectProblem(await customer.list(query), 400);
    }
  });

  test('an agent sees every ticket, newest first; a customer filtering sees only their own', async () => {
    const all = await agent.list({ limit: '100' });
    expect(all.status).toBe(200);
    // Other tests here add tickets of their own: only the ones created for this file's listing count.
    const created = new Set([...customerIds, otherCustomerId]);
    const ids = idsOf(all.body.items).filter((id) => created.has(id));
    expect(ids).toEqual([otherCustomerId, ...[...customerIds].reverse()]);

    const filtered = await otherCustomer.list({ status: 'open' });
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.map((ticket) => [ticket.id, ticket.subject])).toEqual(
      [
        [otherCustomerId, target().subject('Eve only')],
        ...otherCustomerEarlier.filter(({ status }) => status === 'open').map((ticket) => [ticket.id, ticket.subject]),
      ].slice(0, 20),
    );
  });

  test(
    'an agent filtering by status sees the triage order: priority first, then oldest first',
    async () => {
      // The priorities analysis gives, which a deployed stack's stream may complete after the create.
      const calmOld = await createSettled(target(), customer, {
        subject: target().subject('Colour'),
        description: 'How do I change the colour of my dashboard?',
      });
      const outage = await createSettled(target(), customer, {
        subject: target().subject('Outage'),
        description: 'Our production database is down and we are losing money, please help ASAP!',
      });
      const calmNew = await createSettled(target(), customer, {
        subject: target().subject('Font'),
        description: 'How do I change the font of my reports?',
      });
      for (const ticket of [calmOld, outage, calmNew]) {
        expect((await agent.update(ticket.id, { status: 'waiting_on_customer' })).status).toBe(200);
      }
      // A deployed stack's queue holds earlier runs' tickets too: all of it is read.
      const queue = await everyTicket(agent, { status: 'waiting_on_customer' });
      const mine = new Set([calmOld.id, outage.id, calmNew.id]);
      const order = idsOf(queue).filter((id) => mine.has(id));
      expect(order).toEqual([outage.id, calmOld.id, calmNew.id]);
      expect(outage.priority).toBe('urgent');
      expect(calmOld.priority).toBe(calmNew.priority);
    },
    settlingTimeout(3),
  );
});
