import { describe, expect, test } from '@jest/globals';
import { ConflictError, ForbiddenError } from '../../../layers/shared/src/domain/errors.js';
import type { Caller, Ticket, TicketStatus } from '../../../layers/shared/src/domain/ticket.js';
import { TICKET_STATUSES } from '../../../layers/shared/src/domain/ticket.js';
import {
  assertChangeAllowed,
  assertCommentAllowed,
  changedFields,
  fieldsToWrite,
  statusAfterComment,
} from '../../../layers/shared/src/domain/workflow.js';

const requester: Caller = { id: 'alice', email: 'alice@example.com', role: 'customer' };
const agent: Caller = { id: 'ada', email: null, role: 'agent' };

function ticketIn(status: TicketStatus): Ticket {
  return {
    id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    subject: 's',
    description: 'd',
    status,
    priority: 'normal',
    category: 'general',
    tags: ['a'],
    requester: { id: 'alice', email: 'alice@example.com' },
    assigneeId: null,
    channel: 'api',
    analysis: {
      status: 'complete',
      language: 'en',
      sentiment: null,
      keyPhrases: [],
      urgent: false,
      redactions: [],
      signals: { priority: [], category: [] },
    },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    commentCount: 0,
    lastCommentAt: null,
    firstResponseAt: null,
    sla: {
      firstResponseDueAt: '2026-01-01T08:00:00.000Z',
      resolutionDueAt: '2026-01-04T00:00:00.000Z',
      pausedSince: null,
      breached: [],
    },
  };
}

const open = TICKET_STATUSES.filter((status) => status !== 'closed');

describe('agents', () => {
  test.each(open.flatMap((from) => TICKET_STATUSES.map((to) => [from, to] as const)))(
    'may move a ticket from %s to %s',
    (from, to) => {
      expect(() => {
        assertChangeAllowed(agent, ticketIn(from), { status: to });
      }).not.toThrow();
    },
  );

  test.each(open)('may not move a closed ticket to %s: closed is final (409)', (to) => {
    expect(() => {
      assertChangeAllowed(agent, ticketIn('closed'), { status: to });
    }).toThrow(ConflictError);
  });

  test('may not change the priority of a closed ticket', () => {
    expect(() => {
      assertChangeAllowed(agent, ticketIn('closed'), { priority: 'urgent' });
    }).toThrow(ConflictError);
  });

  test('may repeat the current values of a closed ticket (no change)', () => {
    expect(() => {
      assertChangeAllowed(agent, ticketIn('closed'), { status: 'closed', tags: ['a'] });
    }).not.toThrow();
  });
});

describe('requesters', () => {
  test.each(open)('may close their ticket from %s', (from) => {
    expect(() => {
      assertChangeAllowed(requester, ticketIn(from), { status: 'closed' });
    }).not.toThrow();
  });

  test('may reopen a resolved ticket', () => {
    expect(() => {
      assertChangeAllowed(requester, ticketIn('resolved'), { status: 'open' });
    }).not.toThrow();
  });

  test.each([
    ['open', 'in_progress'],
    ['open', 'resolved'],
    ['waiting_on_customer', 'open'],
    ['in_progress', 'waiting_on_customer'],
    ['closed', 'open'],
  ] as const)('may not move a ticket from %s to %s (403)', (from, to) => {
    expect(() => {
      assertChangeAllowed(requester, ticketIn(from), { status: to });
    }).toThrow(ForbiddenError);
  });

  test.each([
    { priority: 'urgent' as const },
    { assigneeId: 'bob' },
    { category: 'billing' as const },
    { tags: ['b'] },
  ])('may not change %o', (change) => {
    expect(() => {
      assertChangeAllowed(requester, ticketIn('open'), change);
    }).toThrow(ForbiddenError);
  });

  test('may send unchanged values of agent-only fields along with a close', () => {
    expect(() => {
      assertChangeAllowed(requester, ticketIn('open'), { status: 'closed', priority: 'normal', tags: ['a'] });
    }).not.toThrow();
  });
});

describe('changedFields', () => {
  test('lists only fields whose value differs, comparing tags by content', () => {
    expect(
      changedFields(ticketIn('open'), { status: 'open', tags: ['a'], priority: 'high', assigneeId: null }),
    ).toEqual(['priority']);
    expect(changedFields(ticketIn('open'), { tags: ['a', 'b'] })).toEqual(['tags']);
  });
});

describe('fieldsToWrite', () => {
  const pending = (status: TicketStatus = 'open'): Ticket => {
    const ticket = ticketIn(status);
    return { ...ticket, analysis: { ...ticket.analysis, status: 'pending' } };
  };

  test('while the analysis is pending, an agent sending the current priority or category chooses it', () => {
    expect(fieldsToWrite(agent, pending(), { priority: 'normal', category: 'general', status: 'open' })).toEqual([
      'priority',
      'category',
    ]);
    expect(fieldsToWrite(agent, pending(), { category: 'bug', priority: 'normal' })).toEqual(['category', 'priority']);
  });

  test('once analyzed, or for a requester, or on a closed ticket, only what differs is written', () => {
    expect(fieldsToWrite(agent, ticketIn('open'), { priority: 'normal', category: 'general' })).toEqual([]);
    expect(fieldsToWrite(requester, pending(), { priority: 'normal', status: 'closed' })).toEqual(['status']);
    expect(fieldsToWrite(agent, pending('closed'), { priority: 'normal' })).toEqual([]);
  });
});

describe('comments', () => {
  const commentable = TICKET_STATUSES.filter((status) => status !== 'closed');

  test.each(commentable)('a requester may comment publicly on their %s ticket', (status) => {
    expect(() => {
      assertCommentAllowed(requester, ticketIn(status), 'public');
    }).not.toThrow();
  });

  test('a requester may not add an internal note (403)', () => {
    expect(() => {
      assertCommentAllowed(requester, ticketIn('open'), 'internal');
    }).toThrow(ForbiddenError);
  });

  test.each(['public', 'internal'] as const)('an agent may add a %s comment', (visibility) => {
    expect(() => {
      assertCommentAllowed(agent, ticketIn('in_progress'), visibility);
    }).not.toThrow();
  });

  test.each([
    [requester, 'public'],
    [agent, 'public'],
    [agent, 'internal'],
  ] as const)('nobody may comment on a closed ticket (409): %o, %s', (caller, visibility) => {
    expect(() => {
      assertCommentAllowed(caller, ticketIn('closed'), visibility);
    }).toThrow(ConflictError);
  });

  test.each([
    ['open', 'waiting_on_customer'],
    ['in_progress', 'waiting_on_customer'],
    ['waiting_on_customer', null],
    ['resolved', null],
  ] as const)("an agent's public reply moves %s to %s", (from, to) => {
    expect(statusAfterComment(agent, ticketIn(from), 'public')).toBe(to);
  });

  test.each(commentable)("an agent's internal note leaves %s as it is", (status) => {
    expect(statusAfterComment(agent, ticketIn(status), 'internal')).toBeNull();
  });

  test.each([
    ['waiting_on_customer', 'open'],
    ['resolved', 'open'],
    ['open', null],
    ['in_progress', null],
  ] as const)("the requester's comment moves %s to %s", (from, to) => {
    expect(statusAfterComment(requester, ticketIn(from), 'public')).toBe(to);
  });
});
