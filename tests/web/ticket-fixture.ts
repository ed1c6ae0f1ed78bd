import type { TicketWithHistory } from '../../layers/shared/src/domain/ticket.js';
import { anAnalysis, aTicket } from '../support/tickets.js';

/**
 * A ticket as the API answers it (with its history): one of the shared test tickets, created at
 * 10:00 with high priority (first response due at 14:00), analysed, untouched since; the given
 * fields over it.
 */
export function ticketFixture(overrides: Partial<TicketWithHistory> = {}): TicketWithHistory {
  const ticket = aTicket({
    id: '01JD0000000000000000000000',
    subject: 'Cannot log in',
    description: 'Since this morning\nthe login page says no.',
    priority: 'high',
    category: 'account',
    analysis: anAnalysis({
      status: 'complete',
      language: 'en',
      sentiment: { label: 'NEGATIVE', scores: { positive: 0.01, negative: 0.9, neutral: 0.08, mixed: 0.01 } },
      keyPhrases: ['the login page'],
      redactions: [{ type: 'CREDIT_DEBIT_NUMBER', count: 2 }],
      signals: {
        priority: [{ kind: 'access', phrase: 'cannot log in' }],
        category: [{ kind: 'topic', phrase: 'login' }],
      },
    }),
    createdAt: '2026-11-28T10:00:00.000Z',
  });
  return { ...ticket, history: [], ...overrides };
}

export const at = (iso: string): number => Date.parse(iso);
