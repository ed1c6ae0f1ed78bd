import { describe, expect, it } from '@jest/globals';
import { parseRoute, queueHash, ticketHash } from '../../web/src/route.js';
import { changesAgainst, changesSince } from '../../web/src/triage.js';
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

  it('tells who changed the ticket after a version, when, and which fields', () => {
    const ticket = ticketFixture({
      version: 4,
      history: [
        {
          version: 2,
          at: '2026-11-28T10:10:00.000Z',
          by: { id: 'ada', role: 'agent' },
          changes: [{ field: 'status', from: 'open', to: 'in_progress' }],
        },
        {
          version: 3,
          at: '2026-11-28T10:20:00.000Z',
          by: { id: 'bob', role: 'agent' },
          changes: [{ field: 'priority', from: 'high', to: 'urgent' }],
        },
        {
          version: 4,
          at: '2026-11-28T10:30:00.000Z',
          by: { id: 'system', role: 'system' },
          changes: [
            { field: 'analysis', from: 'pending', to: 'complete' },
            { field: 'category', from: 'general', to: 'account' },
          ],
        },
      ],
    });
    expect(changesSince(ticket, 2)).toEqual({
      by: ['bob', 'system'],
      at: '2026-11-28T10:30:00.000Z',
      fields: ['priority', 'category'],
    });
    expect(changesSince(ticket, 4)).toEqual({ by: [], at: null, fields: [] });
  });
});
