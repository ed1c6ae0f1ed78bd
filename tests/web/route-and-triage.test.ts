import { describe, expect, it } from '@jest/globals';
import { parseRoute, queueHash, ticketHash } from '../../web/src/route.js';
import { changesAgainst, changesSince, editsStillApply } from '../../web/src/triage.js';
import { aHistoryEntry } from '../support/tickets.js';
import { ticketFixture } from './ticket-fixture.js';

describe('routes', () => {
  it('reads queues and tickets from the hash, and falls back to the open queue', () => {
    expect(parseRoute('')).toEqual({ name: 'queue', status: 'open', sort: 'priority' });
    expect(parseRoute('#/')).toEqual({ name: 'queue', status: 'open', sort: 'priority' });
    expect(parseRoute('#/queue/resolved')).toEqual({ name: 'queue', status: 'resolved', sort: 'priority' });
    expect(parseRoute('#/queue/in_progress?sort=due')).toEqual({ name: 'queue', status: 'in_progress', sort: 'due' });
    expect(parseRoute('#/queue/nonsense?sort=sideways')).toEqual({ name: 'queue', status: 'open', sort: 'priority' });
    expect(parseRoute('#/tickets/01JD0000000000000000000000')).toEqual({
      name: 'ticket',
      id: '01JD0000000000000000000000',
    });
    expect(parseRoute('#/tickets/a/b')).toEqual({ name: 'queue', status: 'open', sort: 'priority' });
    // Only a ticket id names a ticket: no malformed escape, no path segment reaches the API's paths.
    for (const id of ['%E0%A4%A', '%2e%2e', '..', '01jd0000000000000000000000', '01JD00000000000000000000001'])
      expect(parseRoute(`#/tickets/${id}`)).toEqual({ name: 'queue', status: 'open', sort: 'priority' });
    expect(parseRoute('#/?limit=2')).toEqual({ name: 'queue', status: 'open', sort: 'priority', limit: 2 });
    for (const limit of ['0', '101', '02', '1e1', '-1', 'x']) {
      expect(parseRoute(`#/queue/open?limit=${limit}`)).toEqual({ name: 'queue', status: 'open', sort: 'priority' });
    }
  });

  it('writes what it reads', () => {
    expect(parseRoute(queueHash({ status: 'waiting_on_customer', sort: 'due' }))).toEqual({
      name: 'queue',
      status: 'waiting_on_customer',
      sort: 'due',
    });
    expect(parseRoute(queueHash({ status: 'closed', sort: 'priority', limit: 2 }))).toEqual({
      name: 'queue',
      status: 'closed',
      sort: 'priority',
      limit: 2,
    });
    expect(queueHash({ status: 'open', sort: 'priority' })).toBe('#/queue/open');
    expect(queueHash({ status: 'open', sort: 'due', limit: 2 })).toBe('#/queue/open?sort=due&limit=2');
    expect(parseRoute(ticketHash('01JD0000000000000000000000'))).toEqual({
      name: 'ticket',
      id: '01JD0000000000000000000000',
    });
  });
});

describe('triage edits', () => {
  it('sends only the fields that change the ticket as it is', () => {
    const ticket = ticketFixture({ status: 'open', priority: 'high', assigneeId: null });
    expect(changesAgainst(ticket, {})).toEqual({});
    expect(changesAgainst(ticket, { status: 'open', priority: 'urgent' })).toEqual({ priority: 'urgent' });
    expect(changesAgainst(ticket, { assigneeId: 'ada' })).toEqual({ assigneeId: 'ada' });
    expect(changesAgainst(ticketFixture({ assigneeId: 'ada' }), { assigneeId: null })).toEqual({ assigneeId: null });
  });

  const changed = () =>
    ticketFixture({
      version: 4,
      history: [
        aHistoryEntry({ version: 2, at: '2026-11-28T10:10:00.000Z', by: { id: 'ada', role: 'agent' } }),
        aHistoryEntry({
          version: 3,
          at: '2026-11-28T10:20:00.000Z',
          by: { id: 'bob', role: 'agent' },
          changes: [{ field: 'priority', from: 'high', to: 'urgent' }],
        }),
        aHistoryEntry({
          version: 4,
          at: '2026-11-28T10:30:00.000Z',
          by: { id: 'system', role: 'system' },
          changes: [
            { field: 'analysis', from: 'pending', to: 'complete' },
            { field: 'category', from: 'general', to: 'account' },
          ],
        }),
      ],
    });

  it('tells who changed the ticket after a version, when, and which fields', () => {
    const ticket = changed();
    expect(changesSince(ticket, 2, { me: 'ada', edits: {} })).toEqual({
      by: ['bob', 'system'],
      at: '2026-11-28T10:30:00.000Z',
      fields: ['priority', 'category'],
    });
    expect(changesSince(ticket, 4, { me: 'ada', edits: {} })).toEqual({ by: [], at: null, fields: [] });
    // The user's own change made elsewhere is theirs, not someone else's.
    expect(changesSince(ticket, 1, { me: 'ada', edits: {} }).by).toEqual(['you', 'bob', 'system']);
  });

  /** A ticket the user (ada) replied to publicly after version 1, which moved it to waiting on the customer. */
  const repliedTo = (more: ReturnType<typeof aHistoryEntry>[] = []) =>
    ticketFixture({
      version: 3,
      history: [
        aHistoryEntry({
          version: 2,
          commentId: '01JD0000000000000000000001',
          by: { id: 'ada', role: 'agent' },
          changes: [{ field: 'status', from: 'open', to: 'waiting_on_customer' }],
        }),
        ...more,
      ],
    });

  it("keeps edits on the re-read ticket when the only change since is the user's own reply on another field", () => {
    const bobsPriority = aHistoryEntry({
      version: 3,
      by: { id: 'bob', role: 'agent' },
      changes: [{ field: 'priority', from: 'high', to: 'urgent' }],
    });
    // A comment alone bumps the version with no history entry.
    expect(editsStillApply(ticketFixture({ version: 3 }), 1, { priority: 'low' }, 'ada')).toBe(true);
    expect(editsStillApply(repliedTo(), 1, { priority: 'low' }, 'ada')).toBe(true);
    // Another agent's change since: the edits stay on their version, so saving meets the conflict.
    expect(editsStillApply(repliedTo([bobsPriority]), 1, { priority: 'low' }, 'ada')).toBe(false);
    // The reply moved the very field the user is editing.
    expect(editsStillApply(repliedTo(), 1, { status: 'in_progress' }, 'ada')).toBe(false);
    // Someone else's reply.
    expect(editsStillApply(repliedTo(), 1, { priority: 'low' }, 'bob')).toBe(false);
  });

  it("names who else changed the ticket, not the user's own reply", () => {
    const bobsPriority = aHistoryEntry({
      version: 3,
      at: '2026-11-28T10:20:00.000Z',
      by: { id: 'bob', role: 'agent' },
      changes: [{ field: 'priority', from: 'high', to: 'urgent' }],
    });
    expect(changesSince(repliedTo([bobsPriority]), 1, { me: 'ada', edits: { priority: 'low' } })).toEqual({
      by: ['bob'],
      at: '2026-11-28T10:20:00.000Z',
      fields: ['priority'],
    });
    // A reply that moved the field the user edited is a change they must see.
    expect(changesSince(repliedTo(), 1, { me: 'ada', edits: { status: 'in_progress' } })).toMatchObject({
      by: ['you'],
      fields: ['status'],
    });
  });
});
