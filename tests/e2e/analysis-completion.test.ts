import { describe, expect, test } from '@jest/globals';
import type { ApiClient } from './support/api-client.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * Every ticket and comment is analyzed: one stored while Comprehend was
 * failing is completed from the table's stream (the local poller running the
 * built AnalyzeTicketFunction) once Comprehend answers again, without undoing
 * what an agent changed in the meantime.
 */
describe('completing pending analyses', () => {
  const system = testSystemPerFile();

  const faults = (method: 'POST' | 'DELETE', body?: unknown) =>
    fetch(`${system().system.comprehendEndpoint}/__admin/faults`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });

  /** Polls the ticket until its analysis is no longer pending, for at most `attempts` reads. */
  async function untilAnalyzed(client: ApiClient, id: string, attempts = 240) {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const answer = await client.get(id);
      if (answer.status !== 200 || answer.body.analysis.status !== 'pending') return answer;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Ticket ${id} was still pending after ${attempts} reads.`);
  }

  test('a ticket stored while Comprehend failed is completed once it recovers, keeping the priority an agent set meanwhile', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const ada = await system().clientAs({ sub: 'ada', agent: true });
    expect((await faults('POST', { mode: 'error' })).status).toBe(200);

    const outage = await alice.create({
      subject: 'Production is down',
      description: 'Our production database is down and we are losing money, please help ASAP!',
    });
    expect(outage.status).toBe(201);
    expect(outage.body.analysis.status).toBe('pending');
    const triaged = await alice.create({
      subject: 'Invoices export',
      description: 'The CSV export of my invoices has been failing since yesterday, the download never starts.',
    });
    expect(triaged.body.analysis.status).toBe('pending');
    // The agent decides while the analysis is still owed.
    const changed = await ada.update(triaged.body.id, { priority: 'low' });
    expect(changed.status).toBe(200);

    expect((await faults('DELETE')).status).toBe(200);

    const completed = await untilAnalyzed(alice, outage.body.id);
    expect(completed.body.analysis).toMatchObject({
      status: 'complete',
      language: 'en',
      sentiment: { label: expect.any(String) },
    });
    expect(completed.body.analysis.keyPhrases.length).toBeGreaterThan(0);
    expect(completed.body.version).toBeGreaterThan(outage.body.version);
    expect(completed.headers.get('etag')).toBe(`"${completed.body.version}"`);
    expect(completed.body.history).toContainEqual(
      expect.objectContaining({
        version: completed.body.version,
        by: { id: 'analysis', role: 'system' },
        changes: expect.arrayContaining([{ field: 'analysis', from: 'pending', to: 'complete' }]),
        at: expect.any(String),
      }),
    );

    const kept = await untilAnalyzed(ada, triaged.body.id);
    expect(kept.body).toMatchObject({ priority: 'low', analysis: { status: 'complete' } });
    expect(kept.body.version).toBe(changed.body.version + 1);
    expect(kept.body.history.map((entry) => entry.by.role)).toEqual(['agent', 'system']);
  }, 120_000);

  test('an agent who confirms the provisional priority of a pending ticket keeps it when the analysis completes', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const ada = await system().clientAs({ sub: 'ada', agent: true });
    expect((await faults('POST', { mode: 'error' })).status).toBe(200);
    // Normal from the text alone; the completed analysis adds a furious tone, which raises a described impact to high.
    const ticket = {
      subject: 'Month-end exports',
      description:
        'The exports show a problem and it is affecting our month-end operations. This is terrible, awful and unacceptable, I am furious!',
    };
    const confirmedTicket = await alice.create(ticket);
    const control = await alice.create(ticket);
    expect(confirmedTicket.body).toMatchObject({ priority: 'normal', analysis: { status: 'pending' } });
    // The agent looks at one of them and decides the provisional priority is right, and says so.
    const confirmed = await ada.update(confirmedTicket.body.id, { priority: 'normal' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.version).toBe(confirmedTicket.body.version + 1);
    expect(confirmed.body.history.at(-1)).toMatchObject({
      by: { id: 'ada', role: 'agent' },
      changes: [{ field: 'priority', from: 'normal', to: 'normal' }],
    });
    expect((await faults('DELETE')).status).toBe(200);

    expect((await untilAnalyzed(ada, control.body.id)).body).toMatchObject({
      priority: 'high',
      analysis: { status: 'complete' },
    });
    expect((await untilAnalyzed(ada, confirmedTicket.body.id)).body).toMatchObject({
      priority: 'normal',
      analysis: { status: 'complete' },
    });
  }, 120_000);

  test('a comment stored while Comprehend failed is completed once it recovers, with what Comprehend redacts gone from its body', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const ticket = await alice.create({
      subject: 'Refund',
      description: 'I was charged for a plan I cancelled last month.',
    });
    expect(ticket.status).toBe(201);
    expect((await faults('POST', { mode: 'error' })).status).toBe(200);

    // Luhn-valid but of no card network: the on-box floor keeps it, Comprehend (here its stand-in) calls it a card number.
    // In too few words for the box to tell its language, so that even the language waits for Comprehend.
    const body = 'Frustrating. Refund to card 9111111111111110 today, please!';
    const added = await alice.addComment(ticket.body.id, { body });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ body, analysis: { status: 'pending', language: null, sentiment: null } });
    const listed = await alice.listComments(ticket.body.id);
    expect(listed.body.items).toEqual([added.body]);

    expect((await faults('DELETE')).status).toBe(200);

    let stored = listed.body.items[0];
    for (let read = 0; read < 240 && stored?.analysis.status === 'pending'; read++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      stored = (await alice.listComments(ticket.body.id)).body.items[0];
    }
    expect(stored).toMatchObject({
      id: added.body.id,
      body: 'Frustrating. Refund to card [REDACTED:CREDIT_DEBIT_NUMBER] today, please!',
      visibility: 'public',
      createdAt: added.body.createdAt,
      analysis: {
        status: 'complete',
        language: 'en',
        sentiment: { label: expect.any(String) },
        redactions: [{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }],
      },
    });
    // The comment alone was written: the ticket's version and history are as the comment left them.
    const after = await alice.get(ticket.body.id);
    expect(after.body).toMatchObject({ version: ticket.body.version, commentCount: 1 });
    expect(after.body.history.map((entry) => entry.by.id)).not.toContain('analysis');
  }, 120_000);
});
