import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import type { DeliveredEvent } from '../../local/eventbridge/eventbridge-stand-in.js';
import { expectProblem } from '../support/problem-details.js';
import type { ApiClient } from './support/api-client.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * The table's stream is the outbox: over HTTP against `npm start`'s runtime,
 * every committed change of a ticket (created, updated, commented, its
 * analysis completed) becomes exactly one event in the events file, through
 * the built PublishEventsFunction and the EventBridge stand-in, in each
 * ticket's order; a rejected request and an idempotent replay become none,
 * and no event carries the tickets' text or e-mail addresses.
 */

const MARKER = 'Zebracorn';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

interface Detail {
  ticketId: string;
  changeId: string;
  [field: string]: unknown;
}

describe('events of committed changes', () => {
  const system = testSystemPerFile();

  const eventsFile = () => system().system.eventsFile;
  const readEvents = (): DeliveredEvent[] =>
    existsSync(eventsFile())
      ? readFileSync(eventsFile(), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as DeliveredEvent)
      : [];

  /**
   * The events once the stream has been drained: the file holds `expected`
   * events and still does a while later (a stray event would come within the
   * poller's batching window), read for at most a minute.
   */
  async function drainedEvents(expected: number): Promise<DeliveredEvent[]> {
    const stableReads = 12;
    let stable = 0;
    for (let attempt = 0; attempt < 240; attempt++) {
      const count = readEvents().length;
      stable = count === expected ? stable + 1 : 0;
      if (count > expected || stable >= stableReads) return readEvents();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return readEvents();
  }

  const faults = (method: 'POST' | 'DELETE', body?: unknown) =>
    fetch(`${system().system.comprehendEndpoint}/__admin/faults`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });

  async function untilAnalyzed(client: ApiClient, id: string) {
    for (let attempt = 0; attempt < 240; attempt++) {
      const answer = await client.get(id);
      if (answer.body.analysis.status !== 'pending') return answer;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Ticket ${id} was still pending.`);
  }

  test('exactly one event per committed change, in order, none for rejected requests, no text', async () => {
    const alice = await system().clientAs({ sub: 'alice', email: 'alice.private@example.com' });
    const bob = await system().clientAs({ sub: 'bob' });
    const ada = await system().clientAs({ sub: 'ada', agent: true });

    // A: created (with an Idempotency-Key, then replayed), updated, answered, noted, replied to.
    const request = {
      subject: `${MARKER} export fails`,
      description: `The ${MARKER} CSV export fails; write to ${MARKER.toLowerCase()}.owner@example.com.`,
      tags: [`${MARKER.toLowerCase()}-tag`],
    };
    const created = await alice.create(request, { 'Idempotency-Key': 'events-e2e-1' });
    expect(created.status).toBe(201);
    const a = created.body.id;
    const replay = await alice.create(request, { 'Idempotency-Key': 'events-e2e-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(a);

    const updated = await ada.update(a, { status: 'in_progress', assigneeId: 'ada', tags: ['triaged'] });
    expect(updated.status).toBe(200);
    const update = updated.body.history.find((entry) => entry.version === updated.body.version)!;
    const reply = await ada.addComment(a, { body: `Which browser do you use, ${MARKER}?` });
    expect(reply.status).toBe(201);
    const note = await ada.addComment(a, { body: `${MARKER} is a VIP.`, visibility: 'internal' });
    expect(note.status).toBe(201);
    const answer = await alice.addComment(a, { body: `Firefox, ${MARKER}.` });
    expect(answer.status).toBe(201);

    // B: created and closed by its requester.
    const b = (await alice.create({ subject: 'Question', description: 'How do I export?' })).body.id;
    const closed = await alice.update(b, { status: 'closed' });
    expect(closed.status).toBe(200);

    // Rejected requests write nothing, so publish nothing.
    expectProblem(await ada.update(a, { status: 'bogus' }), 400);
    expectProblem(await bob.addComment(a, { body: 'Not my ticket.' }), 404);
    expectProblem(await ada.update('01HZZZZZZZZZZZZZZZZZZZZZZZ', { priority: 'low' }), 404);
    expectProblem(await ada.addComment(b, { body: 'Reopening?' }), 409);
    expectProblem(await ada.update(b, { status: 'open' }), 409);
    expectProblem(await ada.update(a, { priority: 'low' }, { 'If-Match': '"1"' }), 412);

    // C: stored while Comprehend failed, completed from the stream once it recovers.
    expect((await faults('POST', { mode: 'error' })).status).toBe(200);
    const pending = await alice.create({ subject: 'Login', description: 'The login page rejects my password.' });
    expect((await faults('DELETE')).status).toBe(200);
    expect(pending.body.analysis.status).toBe('pending');
    const c = pending.body.id;
    const completed = await untilAnalyzed(alice, c);
    expect(completed.body.analysis.status).toBe('complete');

    const events = await drainedEvents(9);
    const text = readFileSync(eventsFile(), 'utf8');
    expect(text.toLowerCase()).not.toContain(MARKER.toLowerCase());
    expect(text).not.toContain('@example.com');

    for (const event of events) {
      expect(event).toMatchObject({
        version: '0',
        source: 'aws-support-system',
        account: expect.any(String),
        region: expect.any(String),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        resources: [],
      });
    }
    const changeIds = events.map((event) => (event.detail as unknown as Detail).changeId);
    expect(new Set(changeIds).size).toBe(events.length);
    const ofTicket = (id: string) =>
      events
        .filter((event) => event.detail.ticketId === id)
        .map((event) => {
          const { changeId, ...detail } = event.detail as unknown as Detail;
          expect(changeId).toEqual(expect.any(String));
          return [event['detail-type'], detail];
        });

    expect(ofTicket(a)).toEqual([
      ['Ticket Created', expect.objectContaining({ ticketId: a, version: 1, requesterId: 'alice', status: 'open' })],
      [
        'Ticket Updated',
        {
          ticketId: a,
          version: updated.body.version,
          at: update.at,
          by: { id: 'ada', role: 'agent' },
          changes: update.changes.map(({ field, from, to }) => (field === 'tags' ? { field } : { field, from, to })),
        },
      ],
      [
        'Comment Added',
        {
          ticketId: a,
          commentId: expect.stringMatching(ULID),
          author: { id: 'ada', role: 'agent' },
          visibility: 'public',
          createdAt: reply.body.createdAt,
          statusChange: { from: 'in_progress', to: 'waiting_on_customer' },
        },
      ],
      [
        'Comment Added',
        expect.objectContaining({ commentId: note.body.id, visibility: 'internal', statusChange: null }),
      ],
      [
        'Comment Added',
        expect.objectContaining({
          commentId: answer.body.id,
          author: { id: 'alice', role: 'customer' },
          statusChange: { from: 'waiting_on_customer', to: 'open' },
        }),
      ],
    ]);
    expect((ofTicket(a)[2]![1] as Detail).commentId).toBe(reply.body.id);
    expect(update.changes.map(({ field }) => field).sort()).toEqual(['assigneeId', 'status', 'tags']);

    expect(ofTicket(b)).toEqual([
      ['Ticket Created', expect.objectContaining({ ticketId: b, version: 1 })],
      [
        'Ticket Updated',
        expect.objectContaining({
          version: 2,
          by: { id: 'alice', role: 'customer' },
          changes: [{ field: 'status', from: 'open', to: 'closed' }],
        }),
      ],
    ]);

    expect(ofTicket(c)).toEqual([
      ['Ticket Created', expect.objectContaining({ ticketId: c, version: 1, analysisStatus: 'pending' })],
      [
        'Analysis Completed',
        expect.objectContaining({
          ticketId: c,
          version: completed.body.version,
          status: 'complete',
          language: 'en',
          priority: completed.body.priority,
          category: completed.body.category,
        }),
      ],
    ]);
    expect(events).toHaveLength(9);
  }, 180_000);

  test('while EventBridge refuses events they wait, then each is published once, in order', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const ada = await system().clientAs({ sub: 'ada', agent: true });
    const before = (await drainedEvents(readEvents().length)).length;
    const eventBridgeFaults = (method: 'POST' | 'DELETE', body?: unknown) =>
      fetch(`${system().system.eventBridgeEndpoint}/__admin/faults`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    expect((await eventBridgeFaults('POST', { mode: 'fail-entries' })).status).toBe(200);
    const id = (await alice.create({ subject: 'Invoice', description: 'Where is my invoice?' })).body.id;
    const updated = await ada.update(id, { status: 'in_progress' });
    expect(updated.body.version).toBe(2);
    // Refused for a while: the function names the first record, the poller retries it, nothing reaches the file.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(readEvents()).toHaveLength(before);
    expect((await eventBridgeFaults('DELETE')).status).toBe(200);

    const events = (await drainedEvents(before + 2)).slice(before);
    expect(events.map((event) => [event['detail-type'], event.detail.ticketId])).toEqual([
      ['Ticket Created', id],
      ['Ticket Updated', id],
    ]);
  }, 120_000);
});
