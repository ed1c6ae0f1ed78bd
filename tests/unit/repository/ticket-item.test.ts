/**
 * Tickets and history entries to items and back: what is written carries the
 * table's keys, what is read is rebuilt attribute by attribute, and an item
 * that is not a well-formed ticket is refused loudly instead of passed on.
 */
import { describe, expect, test } from '@jest/globals';
import { DomainError } from '../../../layers/shared/src/domain/errors.js';
import type { Ticket, TicketWithHistory } from '../../../layers/shared/src/domain/ticket.js';
import {
  historyEntryFromItem,
  ticketFromItem,
  toHistoryItem,
  toNewTicketItem,
  toTicketItem,
} from '../../../layers/shared/src/repository/ticket-item.js';
import { aHistoryEntry, anAnalysis, aTicket } from '../../support/tickets.js';

/** A ticket an agent has taken, its analysis complete (a sentiment to read back); priority high ranks 1 in the triage index. */
const TICKET = aTicket({
  priority: 'high',
  tags: ['export'],
  requester: { id: 'alice', email: null },
  assigneeId: 'agent-ada',
  analysis: anAnalysis({
    status: 'complete',
    language: 'en',
    sentiment: { label: 'NEGATIVE', scores: { positive: 0.01, negative: 0.9, neutral: 0.08, mixed: 0.01 } },
    keyPhrases: ['export'],
    redactions: [{ type: 'EMAIL', count: 1 }],
    signals: { priority: [{ kind: 'impact', phrase: 'fails' }], category: [] },
  }),
  updatedAt: '2026-03-01T11:00:00.000Z',
  version: 2,
});
/** When the tests read items back: an hour after TICKET was created, no target of a high ticket missed yet. */
const READ_AT = new Date('2026-03-01T11:00:00.000Z');

const ENTRY = aHistoryEntry({
  version: 2,
  at: TICKET.updatedAt,
  changes: [{ field: 'assigneeId', from: null, to: 'agent-ada' }],
});

/** The item with one attribute replaced, at a dotted path (`undefined` reads as a missing attribute). */
function withAttribute(item: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(item);
  const names = path.split('.');
  const last = names.pop()!;
  let parent = copy;
  for (const name of names) parent = parent[name] as Record<string, unknown>;
  parent[last] = value;
  return copy;
}

describe('a ticket item', () => {
  test('carries the ticket, its table key and its index keys; not its conversation, which comments write', () => {
    const conversation = new Set(['commentCount', 'lastCommentAt', 'firstResponseAt']);
    const own = Object.fromEntries(Object.entries(TICKET).filter(([name]) => !conversation.has(name)));
    const { firstResponseDueAt, resolutionDueAt, pausedSince } = TICKET.sla;
    const clock = { firstResponseDueAt, resolutionDueAt, pausedSince };
    expect(toTicketItem(TICKET)).toEqual({
      ...own,
      sla: clock,
      pk: `TICKET#${TICKET.id}`,
      sk: 'TICKET',
      gsi1pk: 'REQUESTER#alice',
      gsi1sk: `${TICKET.createdAt}#${TICKET.id}`,
      gsi2pk: 'STATUS#open',
      gsi2sk: `1#${TICKET.createdAt}#${TICKET.id}`,
      gsi3pk: 'TICKET',
      gsi3sk: `${TICKET.createdAt}#${TICKET.id}`,
      // High: a first response within 4 hours.
      gsi4sk: `2026-03-01T14:00:00.000Z#${TICKET.id}`,
    });
  });

  test('keeps the service-level clock, not which targets are breached: that depends on when it is read', () => {
    const item = toTicketItem({ ...TICKET, sla: { ...TICKET.sla, breached: ['firstResponse'] } });
    expect(item.sla).toEqual({
      firstResponseDueAt: '2026-03-01T14:00:00.000Z',
      resolutionDueAt: '2026-03-02T10:00:00.000Z',
      pausedSince: null,
    });
    expect(ticketFromItem(item, 'agent', READ_AT).sla.breached).toEqual([]);
    expect(ticketFromItem(item, 'agent', new Date('2026-03-01T14:00:00.001Z')).sla.breached).toEqual(['firstResponse']);
    expect(ticketFromItem(item, 'agent', new Date('2026-03-02T10:00:00.001Z')).sla.breached).toEqual([
      'firstResponse',
      'resolution',
    ]);
  });

  test('once an agent has replied, the byDue key is the resolution due time', () => {
    const replied = { ...TICKET, firstResponseAt: '2026-03-01T10:30:00.000Z' };
    expect(toTicketItem(replied)).toMatchObject({ gsi4sk: `2026-03-02T10:00:00.000Z#${TICKET.id}` });
  });

  test('one stored before service levels were kept, waiting on the customer: its clock stopped at its last change', () => {
    const waiting = toTicketItem({ ...TICKET, status: 'waiting_on_customer' });
    delete waiting.sla;
    expect(ticketFromItem(waiting, 'agent', new Date('2026-03-05T00:00:00.000Z')).sla).toMatchObject({
      pausedSince: TICKET.updatedAt,
      breached: [],
    });
  });

  test("a ticket stored before service levels were kept reads with the default targets' clock", () => {
    const older = toTicketItem(TICKET);
    delete older.sla;
    expect(ticketFromItem(older, 'agent', READ_AT).sla).toEqual({
      firstResponseDueAt: '2026-03-01T14:00:00.000Z',
      resolutionDueAt: '2026-03-02T10:00:00.000Z',
      pausedSince: null,
      breached: [],
    });
  });

  test('never copies the history of a TicketWithHistory: history lives in items of its own', () => {
    const withHistory: TicketWithHistory = { ...TICKET, history: [ENTRY] };
    expect(toTicketItem(withHistory)).not.toHaveProperty('history');
  });

  test('reads back as the ticket it was written from, without the key attributes', () => {
    expect(ticketFromItem(toTicketItem(TICKET), 'agent', READ_AT)).toStrictEqual(TICKET);
  });

  test('reads a ticket whose nullable fields are null', () => {
    const pending: Ticket = { ...TICKET, assigneeId: null, analysis: { ...TICKET.analysis, sentiment: null } };
    expect(ticketFromItem(toTicketItem(pending), 'agent', READ_AT)).toStrictEqual(pending);
  });
});

describe("a ticket's conversation in its item", () => {
  test('a new ticket starts with no comments, its comment times absent for the first comment to set', () => {
    const item = toNewTicketItem(TICKET);
    expect(item).toMatchObject({ commentCount: 0, publicCommentCount: 0 });
    for (const attribute of ['lastCommentAt', 'lastPublicCommentAt', 'firstResponseAt']) {
      expect(item).not.toHaveProperty(attribute);
    }
  });

  const conversation = {
    commentCount: 3,
    lastCommentAt: '2026-03-01T12:00:00.000Z',
    publicCommentCount: 2,
    lastPublicCommentAt: '2026-03-01T11:00:00.000Z',
    firstResponseAt: '2026-03-01T10:30:00.000Z',
  };

  test('an agent sees every comment: internal notes count', () => {
    expect(ticketFromItem({ ...toTicketItem(TICKET), ...conversation }, 'agent', READ_AT)).toMatchObject({
      commentCount: 3,
      lastCommentAt: '2026-03-01T12:00:00.000Z',
      firstResponseAt: '2026-03-01T10:30:00.000Z',
    });
  });

  test("a customer sees the public comments' count and time alone", () => {
    expect(ticketFromItem({ ...toTicketItem(TICKET), ...conversation }, 'customer', READ_AT)).toMatchObject({
      commentCount: 2,
      lastCommentAt: '2026-03-01T11:00:00.000Z',
      firstResponseAt: '2026-03-01T10:30:00.000Z',
    });
  });

  test.each(['agent', 'customer'] as const)('a ticket stored before comments reads as none yet, for an %s', (role) => {
    expect(ticketFromItem(toTicketItem(TICKET), role, READ_AT)).toMatchObject({
      commentCount: 0,
      lastCommentAt: null,
      firstResponseAt: null,
    });
  });

  test('a count that is not an integer is refused', () => {
    expect(() => ticketFromItem({ ...toTicketItem(TICKET), commentCount: 'three' }, 'agent', READ_AT)).toThrow(
      'Malformed item in the ticket table: ticket.commentCount is not an integer.',
    );
  });
});

describe('a malformed ticket item is refused, naming the attribute', () => {
  const item = toTicketItem(TICKET);

  test.each([
    ['a missing attribute', 'subject', undefined, 'ticket.subject is not a string'],
    ['a number where text belongs', 'description', 42, 'ticket.description is not a string'],
    ['a status outside the workflow', 'status', 'lost', 'ticket.status is not one of open, in_progress'],
    ['a version that is not an integer', 'version', '2', 'ticket.version is not an integer'],
    ['tags that are not all text', 'tags', ['export', 7], 'ticket.tags is not a list of strings'],
    ['a requester that is not a map', 'requester', 'alice', 'ticket.requester is not a map'],
    ['a missing nested attribute', 'analysis.keyPhrases', undefined, 'ticket.analysis.keyPhrases is not a list'],
    ['signals that are not a map', 'analysis.signals', 'impact', 'ticket.analysis.signals is not a map'],
    ['an unknown sentiment label', 'analysis.sentiment.label', 'ANGRY', 'ticket.analysis.sentiment.label is not one'],
    ['a malformed list element', 'analysis.redactions', [{ type: 'EMAIL' }], 'ticket.analysis.redactions[0].count'],
  ])('%s', (_, path, value, message) => {
    const refusal = () => ticketFromItem(withAttribute(item, path, value), 'agent', READ_AT);
    expect(refusal).toThrow(`Malformed item in the ticket table: ${message}`);
  });

  test('a ticket stored before triage recorded its signals reads with none', () => {
    const older = ticketFromItem(withAttribute(item, 'analysis.signals', undefined), 'agent', READ_AT);
    expect(older.analysis.signals).toEqual({ priority: [], category: [] });
    expect(older).toEqual({ ...TICKET, analysis: { ...TICKET.analysis, signals: { priority: [], category: [] } } });
  });

  test('as a plain Error (a fault, answered as a 500), never a domain error', () => {
    let caught: unknown;
    try {
      ticketFromItem(withAttribute(item, 'status', 'lost'), 'agent', READ_AT);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(DomainError);
  });

  test("without quoting the value, which may be a customer's text", () => {
    expect(() => ticketFromItem(withAttribute(item, 'status', 'my password is hunter2'), 'agent', READ_AT)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  test('anything but a map is refused as a whole', () => {
    for (const notAnItem of [null, undefined, 'TICKET', [item]]) {
      expect(() => ticketFromItem(notAnItem, 'agent', READ_AT)).toThrow(
        'Malformed item in the ticket table: ticket is not a map.',
      );
    }
  });
});

describe('a history item', () => {
  test("carries the entry under its ticket's partition, sorted by version", () => {
    expect(toHistoryItem(TICKET.id, ENTRY)).toEqual({
      ...ENTRY,
      pk: `TICKET#${TICKET.id}`,
      sk: 'HISTORY#0000000002',
    });
  });

  test('reads back as the entry it was written from', () => {
    expect(historyEntryFromItem(toHistoryItem(TICKET.id, ENTRY))).toStrictEqual(ENTRY);
  });

  const item = toHistoryItem(TICKET.id, ENTRY);
  test.each([
    ['a stray item without the fields of an entry', { pk: item.pk, sk: item.sk, stray: true }, 'history entry.'],
    ['an actor role nobody has', { ...item, by: { id: 'x', role: 'admin' } }, 'history entry.by.role is not one of'],
    [
      'a change of a field never changed',
      { ...item, changes: [{ field: 'subject' }] },
      'history entry.changes[0].field',
    ],
    ['a version that is not a number', { ...item, version: '0000000002' }, 'history entry.version is not an integer'],
  ])('%s is refused', (_, malformed, message) => {
    expect(() => historyEntryFromItem(malformed)).toThrow(`Malformed item in the ticket table: ${message}`);
  });
});
