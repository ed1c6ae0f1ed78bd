import type { TicketWithHistory } from '../../layers/shared/src/domain/ticket.js';

/** A ticket as the API answers it, created at 10:00 and untouched since, with the given fields over it. */
export function ticketFixture(overrides: Partial<TicketWithHistory> = {}): TicketWithHistory {
  return {
    id: '01JD0000000000000000000000',
    subject: 'Cannot log in',
    description: 'Since this morning\nthe login page says no.',
    status: 'open',
    priority: 'high',
    category: 'account',
    tags: [],
    requester: { id: 'alice', email: 'alice@example.com' },
    assigneeId: null,
    channel: 'web',
    analysis: {
      status: 'complete',
      language: 'en',
      sentiment: { label: 'NEGATIVE', scores: { positive: 0.01, negative: 0.9, neutral: 0.08, mixed: 0.01 } },
      keyPhrases: ['the login page'],
      urgent: false,
      redactions: [{ type: 'CREDIT_DEBIT_NUMBER', count: 2 }],
      signals: {
        priority: [{ kind: 'access', phrase: 'cannot log in' }],
        category: [{ kind: 'topic', phrase: 'login' }],
      },
    },
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
    version: 1,
    commentCount: 0,
    lastCommentAt: null,
    firstResponseAt: null,
    sla: {
      firstResponseDueAt: '2026-11-28T14:00:00.000Z',
      resolutionDueAt: '2026-11-29T10:00:00.000Z',
      pausedSince: null,
      breached: [],
    },
    history: [],
    ...overrides,
  };
}

export const at = (iso: string): number => Date.parse(iso);
